import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LabPanel } from '../../../components/LabPanel';
import { LabProvider } from '../../../components/LabProvider';
import { ModuleSlugProvider } from '../../../components/Quiz';
import { ModuleReadTracker } from '../../../components/exercise/ModuleProgress';
import { findModule, loadModules } from '../../../lib/content';
import { renderMdx } from '../../../lib/mdx';
import { ModuleSidebar } from '../../../components/reading/ModuleSidebar';
import { courseOutline } from '../../../lib/outline';

export const dynamicParams = false;

export function generateStaticParams() {
  return loadModules().map((m) => ({ slug: m.slug }));
}

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const entry = findModule((await params).slug);
  return { title: entry ? `${entry.frontmatter.title} · Kafka Internals Lab` : 'Kafka Internals Lab' };
}

export default async function ModulePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const modules = loadModules();
  const index = modules.findIndex((m) => m.slug === slug);
  const entry = modules[index];
  if (!entry) notFound();
  const content = await renderMdx(entry.body, entry.dir, entry.file);
  const previous = modules[index - 1];
  const next = modules[index + 1];
  return (
    <LabProvider shape={`module:${slug}`}>
      <ModuleReadTracker slug={slug} />
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,34rem)] xl:grid-cols-[12rem_minmax(0,1fr)_minmax(0,34rem)] xl:gap-6">
        <div className="min-w-0 lg:col-span-2 xl:col-span-1">
          <ModuleSidebar items={courseOutline()} current={slug} />
        </div>
        <article className="lesson min-w-0" data-testid="lesson">
          <p className="text-sm text-slate-500">
            Module {entry.frontmatter.order} · {entry.frontmatter.duration} min
          </p>
          <h1>{entry.frontmatter.title}</h1>
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="!mt-0 !border-0 !text-base">What you will learn</h2>
            <ul>
              {entry.frontmatter.objectives.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          </div>
          <ModuleSlugProvider slug={slug}>{content}</ModuleSlugProvider>
          <nav className="mt-12 flex justify-between border-t pt-4 text-sm">
            {previous ? <Link href={`/modules/${previous.slug}`}>← {previous.frontmatter.title}</Link> : <span />}
            {next ? <Link href={`/modules/${next.slug}`}>{next.frontmatter.title} →</Link> : <span />}
          </nav>
        </article>
        <aside className="lg:sticky lg:top-4 lg:h-[calc(100vh-2rem)]" aria-label="Your live lab">
          <LabPanel defaultView={entry.frontmatter.lab?.view ?? 'cluster'} />
        </aside>
      </div>
    </LabProvider>
  );
}
