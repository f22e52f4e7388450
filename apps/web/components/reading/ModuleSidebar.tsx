'use client';
/**
 * The course outline beside a module: the modules and exercises in order, the current
 * module marked, and, once the learner's progress has loaded, a tick for each module read
 * and the best quiz score. The outline itself is rendered on the server (it is in the
 * page's HTML, so the page stays static); only the marks come later, from GET
 * /api/progress, and a failed fetch just leaves them out.
 *
 * Below the `xl` breakpoint the outline folds behind a "Course contents" button, so on a
 * phone the lesson comes first.
 */
import Link from 'next/link';
import { useEffect, useId, useState } from 'react';

export interface OutlineItem {
  readonly kind: 'module' | 'exercise';
  readonly slug: string;
  readonly title: string;
  readonly order: number;
}

interface ModuleMarks {
  readonly read: ReadonlySet<string>;
  readonly quiz: ReadonlyMap<string, { readonly best: number; readonly total: number }>;
}

interface ProgressBody {
  readonly reads?: readonly { readonly moduleSlug: string }[];
  readonly quizzes?: readonly { readonly moduleSlug: string; readonly bestScore: number; readonly total: number }[];
}

/** The marks the sidebar shows, from a GET /api/progress body. */
export function marksFrom(body: ProgressBody): ModuleMarks {
  return {
    read: new Set((body.reads ?? []).map((r) => r.moduleSlug)),
    quiz: new Map((body.quizzes ?? []).map((q) => [q.moduleSlug, { best: q.bestScore, total: q.total }])),
  };
}

function useModuleMarks(): ModuleMarks | null {
  const [marks, setMarks] = useState<ModuleMarks | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/api/progress', { headers: { accept: 'application/json' } })
      .then((response) => (response.ok ? (response.json() as Promise<ProgressBody>) : null))
      .then((body) => {
        if (live && body) setMarks(marksFrom(body));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return marks;
}

function ItemRow({ item, current, marks }: { item: OutlineItem; current: boolean; marks: ModuleMarks | null }) {
  const href = item.kind === 'module' ? `/modules/${item.slug}` : `/exercises/${item.slug}`;
  const read = item.kind === 'module' && (marks?.read.has(item.slug) ?? false);
  const quiz = item.kind === 'module' ? marks?.quiz.get(item.slug) : undefined;
  return (
    <li>
      <Link
        prefetch={false}
        href={href}
        aria-current={current ? 'page' : undefined}
        data-read={read ? 'true' : undefined}
        className={`sidebar-link ${current ? 'sidebar-current' : ''}`}
      >
        <span className="sidebar-mark" aria-hidden="true">
          {read ? '✓' : item.order}
        </span>
        <span className="min-w-0 flex-1">{item.title}</span>
        {read ? <span className="sr-only">(read)</span> : null}
        {quiz ? (
          <span className="sidebar-quiz" title="Best quiz score">
            {quiz.best}/{quiz.total}
            <span className="sr-only"> in the quiz</span>
          </span>
        ) : null}
      </Link>
    </li>
  );
}

export function ModuleSidebar({ items, current }: { items: readonly OutlineItem[]; current: string }) {
  const marks = useModuleMarks();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const modules = items.filter((i) => i.kind === 'module');
  const exercises = items.filter((i) => i.kind === 'exercise');
  const readCount = marks ? modules.filter((m) => marks.read.has(m.slug)).length : null;
  return (
    <nav aria-label="Course contents" className="module-sidebar" data-testid="module-sidebar">
      <button type="button" className="sidebar-toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        Course contents{readCount === null ? '' : ` · ${readCount} of ${modules.length} read`}
      </button>
      <div id={listId} className={open ? 'sidebar-body sidebar-open' : 'sidebar-body'}>
        <p className="sidebar-heading">Modules{readCount === null ? '' : ` · ${readCount}/${modules.length} read`}</p>
        <ol>
          {modules.map((item) => (
            <ItemRow key={item.slug} item={item} current={item.slug === current} marks={marks} />
          ))}
        </ol>
        {exercises.length > 0 ? (
          <>
            <p className="sidebar-heading">Exercises</p>
            <ol>
              {exercises.map((item) => (
                <ItemRow key={item.slug} item={item} current={false} marks={marks} />
              ))}
            </ol>
          </>
        ) : null}
      </div>
    </nav>
  );
}
