/** GET /api/instructor/cohorts/:id/csv: the cohort's progress as CSV, for its instructor only. */
import { problem, visitor } from '../../../../../../lib/progress';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const who = await visitor({ header: request.headers.get('cookie') });
  if (!who) return problem(503, 'Cohorts are not available on this server.');
  if (who.account?.role !== 'instructor') return problem(403, 'Only instructors can export a cohort.');
  if (!/^[0-9a-f-]{36}$/.test(id)) return problem(404, 'No such cohort.');
  try {
    const members = await who.host.store.cohortProgress(who.account.id, id);
    return new Response(who.host.cohortCsv(members), {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="cohort-${id}.csv"`, 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return problem(403, (error as Error).message);
  }
}
