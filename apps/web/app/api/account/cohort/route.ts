/** POST /api/account/cohort {joinCode}: joins an instructor's cohort (needs an account). */
import { isSameOrigin, json, problem, readJson, visitor } from '../../../../lib/progress';

export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) return problem(403, 'This request did not come from this site.');
  const who = await visitor({ header: request.headers.get('cookie') });
  if (!who) return problem(503, 'Accounts are not available on this server.');
  if (!who.account) return problem(401, 'Joining a cohort needs an account.', 'sign up first');
  const body = await readJson(request);
  const joinCode = typeof body?.joinCode === 'string' ? body.joinCode.trim() : '';
  if (!/^[A-Za-z0-9-]{4,40}$/.test(joinCode)) return problem(400, 'That is not a join code.', 'copy it exactly as your instructor gave it');
  try {
    await who.host.store.joinCohort(who.account.id, joinCode);
  } catch (error) {
    return problem(404, (error as Error).message);
  }
  return json({ ok: true });
}
