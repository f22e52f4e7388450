/**
 * The instructor's cohort view: every member's completion per module and exercise and
 * their latest check results, with a CSV export. Instructors only.
 */
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { loadModules } from '../../lib/content';
import { sessionCookieName, visitor } from '../../lib/progress';
import { CreateCohort } from './CreateCohort';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Instructor · Kafka Internals Lab' };

export default async function InstructorPage({ searchParams }: { searchParams: Promise<{ cohort?: string }> }) {
  const who = await visitor({ value: (await cookies()).get(sessionCookieName)?.value });
  if (who?.account?.role !== 'instructor') {
    return <p className="mx-auto max-w-3xl">This page is for instructors. <Link href="/account" className="text-blue-700 underline">Log in</Link> with an instructor account.</p>;
  }
  const cohorts = await who.host.store.cohortsOf(who.account.id);
  const wanted = (await searchParams).cohort;
  const selected = cohorts.find((c) => c.id === wanted) ?? cohorts[0];
  const members = selected ? await who.host.store.cohortProgress(who.account.id, selected.id) : [];
  const modules = loadModules();
  const exercises = who.host.exercises;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Cohorts</h1>
      <CreateCohort />
      <nav className="flex flex-wrap gap-3 text-sm" aria-label="Your cohorts">
        {cohorts.map((c) => (
          <Link key={c.id} href={`/instructor?cohort=${c.id}`} className={c.id === selected?.id ? 'font-semibold text-slate-900' : 'text-blue-700 underline'}>
            {c.name} ({c.members}) · code {c.joinCode}
          </Link>
        ))}
      </nav>
      {selected && (
        <section className="space-y-3">
          <a href={`/api/instructor/cohorts/${selected.id}/csv`} className="text-sm text-blue-700 underline">Export {selected.name} as CSV</a>
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="cohort-table">
              <thead>
                <tr className="text-left">
                  <th className="p-2">Learner</th>
                  <th className="p-2">Modules completed</th>
                  {exercises.map((e) => <th key={e.id} className="p-2">{e.title}</th>)}
                  <th className="p-2">Latest check</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => {
                  const latest = [...m.tasks].sort((a, b) => b.lastCheckedMs - a.lastCheckedMs)[0];
                  return (
                    <tr key={m.account.id} className="border-t border-slate-200">
                      <td className="p-2">{m.account.displayName}<div className="text-xs text-slate-500">{m.account.email}</div></td>
                      <td className="p-2">{m.modulesCompleted.length} / {modules.length}</td>
                      {exercises.map((e) => {
                        const passed = e.tasks.filter((t) => m.tasks.some((p) => p.exerciseId === e.id && p.taskId === t.id && p.passedAtMs !== null)).length;
                        return <td key={e.id} className="p-2">{passed} / {e.tasks.length}</td>;
                      })}
                      <td className="p-2">{latest ? `${latest.exerciseId}/${latest.taskId}: ${latest.lastPassed ? 'passed' : 'failed'}` : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
