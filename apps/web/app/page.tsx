import Link from 'next/link';
import { loadExercises, loadModules } from '../lib/content';

export default function Home() {
  const modules = loadModules();
  const exercises = loadExercises();
  return (
    <div className="space-y-10">
      <section className="max-w-3xl">
        <h1 className="text-3xl font-bold tracking-tight">How Apache Kafka works inside</h1>
        <p className="mt-3 text-slate-700">
          Eleven modules and four hands-on exercises. Every lesson runs against a live Kafka cluster of your own — brokers,
          a KRaft controller quorum, replicated partitions — that you can inspect with Kafka&apos;s tools, break on purpose
          and watch recover.
        </p>
        <Link href="/lab" className="mt-4 inline-block rounded bg-blue-600 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-700">
          Open the sandbox lab
        </Link>
      </section>
      <section>
        <h2 className="mb-3 text-xl font-semibold">Modules</h2>
        <ol className="grid gap-4 md:grid-cols-2" data-testid="module-list">
          {modules.map((m) => (
            <li key={m.slug} data-testid="module-card" className="rounded-lg border border-slate-200 bg-white p-4">
              <Link href={`/modules/${m.slug}`} className="text-lg font-semibold text-blue-800 hover:underline">
                {m.frontmatter.order}. {m.frontmatter.title}
              </Link>
              <p className="mt-1 text-xs text-slate-500">{m.frontmatter.duration} min</p>
              <p className="mt-2 text-sm text-slate-700">{m.frontmatter.summary}</p>
              <ul className="mt-2 list-disc pl-5 text-xs text-slate-600">
                {m.frontmatter.objectives.map((o) => (
                  <li key={o}>{o}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </section>
      <section>
        <h2 className="mb-3 text-xl font-semibold">Hands-on exercises</h2>
        <ol className="grid gap-4 md:grid-cols-2" data-testid="exercise-list">
          {exercises.map((e) => (
            <li key={e.slug} data-testid="exercise-card" className="rounded-lg border border-slate-200 bg-white p-4">
              <Link href={`/exercises/${e.slug}`} className="text-lg font-semibold text-blue-800 hover:underline">
                Exercise {e.frontmatter.order}. {e.frontmatter.title}
              </Link>
              <p className="mt-1 text-xs text-slate-500">{e.frontmatter.duration} min</p>
              <p className="mt-2 text-sm text-slate-700">{e.frontmatter.summary}</p>
              <ul className="mt-2 list-disc pl-5 text-xs text-slate-600">
                {e.frontmatter.objectives.map((o) => (
                  <li key={o}>{o}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
