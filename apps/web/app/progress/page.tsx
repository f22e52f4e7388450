/**
 * Your progress: one bar per module (read, quiz) and per exercise (tasks passed), from
 * the progress store; the same whether you are anonymous or signed in on any device.
 */
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { ProgressBar } from '../../components/exercise/ProgressBar';
import { loadModules } from '../../lib/content';
import { sessionCookieName, visitor } from '../../lib/progress';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Your progress · Kafka Internals Lab' };

export default async function ProgressPage() {
  const who = await visitor({ value: (await cookies()).get(sessionCookieName)?.value });
  if (!who) return <p>Progress is not available on this server.</p>;
  const store = who.host.store;
  const id = who.learnerId;
  const [tasks, reads, quizzes, completed] = id
    ? await Promise.all([store.progress(id), store.moduleReads(id), store.quizScores(id), store.modulesCompleted(id)])
    : [[], [], [], []];
  const modules = loadModules();
  return (
    <div className="mx-auto max-w-3xl space-y-10">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">Your progress</h1>
        <p className="text-slate-600">
          {who.account ? `Signed in as ${who.account.displayName} (${who.account.email}).` : 'You are anonymous: progress is kept for this browser. '}
          {!who.account && <Link href="/account" className="text-blue-700 underline">Create an account to keep it everywhere.</Link>}
        </p>
      </header>
      <section aria-labelledby="exercises-heading" className="space-y-4">
        <h2 id="exercises-heading" className="text-lg font-semibold">Exercises</h2>
        {who.host.exercises.map((exercise) => {
          const passed = exercise.tasks.filter((t) => tasks.some((p) => p.exerciseId === exercise.id && p.taskId === t.id && p.passedAtMs !== null)).length;
          return <ProgressBar key={exercise.id} label={exercise.title} value={exercise.tasks.length ? passed / exercise.tasks.length : 0} detail={`${passed} of ${exercise.tasks.length} tasks`} />;
        })}
      </section>
      <section aria-labelledby="modules-heading" className="space-y-4">
        <h2 id="modules-heading" className="text-lg font-semibold">Modules</h2>
        {modules.map((m) => {
          const read = reads.find((r) => r.moduleSlug === m.slug);
          const quiz = quizzes.find((q) => q.moduleSlug === m.slug);
          const value = (read ? 0.5 : 0) + (quiz ? (0.5 * quiz.bestScore) / quiz.total : 0);
          const detail = [completed.includes(m.slug) ? 'completed' : read ? 'read' : 'not read yet', quiz ? `quiz ${quiz.bestScore}/${quiz.total}` : null].filter(Boolean).join(' · ');
          return <ProgressBar key={m.slug} label={m.frontmatter.title} value={value} detail={detail} />;
        })}
      </section>
    </div>
  );
}
