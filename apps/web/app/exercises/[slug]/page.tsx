import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { ExerciseWorkbench, type SavedTask } from '../../../components/exercise/ExerciseWorkbench';
import { LabPanel } from '../../../components/LabPanel';
import { LabProvider } from '../../../components/LabProvider';
import { findExercise } from '../../../lib/content';
import { renderMdx } from '../../../lib/mdx';
import { sessionCookieName, visitor } from '../../../lib/progress';

// Rendered per request: the task list shows this learner's saved progress.
export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const entry = findExercise((await params).slug);
  return { title: entry ? `${entry.frontmatter.title} · Kafka Internals Lab` : 'Kafka Internals Lab' };
}

export default async function ExercisePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const entry = findExercise(slug);
  if (!entry) notFound();
  const content = await renderMdx(entry.body, entry.dir, entry.file);
  const who = await visitor({ value: (await cookies()).get(sessionCookieName)?.value });
  const exercise = who?.host.exercises.find((e) => e.id === entry.frontmatter.id);
  let saved: SavedTask[] = [];
  if (who?.learnerId && exercise) {
    saved = (await who.host.store.progress(who.learnerId))
      .filter((t) => t.exerciseId === exercise.id)
      .map((t) => ({ taskId: t.taskId, passed: t.passedAtMs !== null, attempts: t.attempts }));
  }
  return (
    <LabProvider shape={`exercise:${slug}`}>
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,34rem)]">
        <article className="lesson min-w-0" data-testid="lesson">
          <p className="text-sm text-slate-500">
            Exercise {entry.frontmatter.order} · {entry.frontmatter.duration} min
          </p>
          <h1>{entry.frontmatter.title}</h1>
          {content}
          {exercise ? (
            <ExerciseWorkbench exercise={exercise} saved={saved} starter={who?.host.exerciseFile(exercise.id, 'starter') ?? null} solution={who?.host.exerciseFile(exercise.id, 'solution') ?? null} />
          ) : (
            <p className="text-sm text-slate-500">Automatic checks for this exercise are not available on this server.</p>
          )}
        </article>
        <aside className="lg:sticky lg:top-4 lg:h-[calc(100vh-2rem)]" aria-label="Your live lab">
          <LabPanel />
        </aside>
      </div>
    </LabProvider>
  );
}
