import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LabPanel } from '../../../components/LabPanel';
import { LabProvider } from '../../../components/LabProvider';
import { findExercise, loadExercises } from '../../../lib/content';
import { renderMdx } from '../../../lib/mdx';

export const dynamicParams = false;

export function generateStaticParams() {
  return loadExercises().map((e) => ({ slug: e.slug }));
}

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const entry = findExercise((await params).slug);
  return { title: entry ? `${entry.frontmatter.title} · Kafka Internals Lab` : 'Kafka Internals Lab' };
}

export default async function ExercisePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const entry = findExercise(slug);
  if (!entry) notFound();
  const content = await renderMdx(entry.body, entry.dir, entry.file);
  return (
    <LabProvider shape={`exercise:${slug}`}>
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,34rem)]">
        <article className="lesson min-w-0" data-testid="lesson">
          <p className="text-sm text-slate-500">
            Exercise {entry.frontmatter.order} · {entry.frontmatter.duration} min
          </p>
          <h1>{entry.frontmatter.title}</h1>
          {content}
        </article>
        <aside className="lg:sticky lg:top-4 lg:h-[calc(100vh-2rem)]" aria-label="Your live lab">
          <LabPanel />
        </aside>
      </div>
    </LabProvider>
  );
}
