/** POST /api/instructor/cohorts {name}: an instructor creates a cohort with a fresh join code. */
import { randomBytes } from 'node:crypto';
import { isSameOrigin, json, problem, readJson, visitor } from '../../../../lib/progress';

export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) return problem(403, 'This request did not come from this site.');
  const who = await visitor({ header: request.headers.get('cookie') });
  if (!who) return problem(503, 'Cohorts are not available on this server.');
  if (who.account?.role !== 'instructor') return problem(403, 'Only instructors can create cohorts.');
  const body = await readJson(request);
  const name = typeof body?.name === 'string' ? body.name.trim() : '';
  if (!name) return problem(400, 'Give the cohort a name.');
  const joinCode = randomBytes(6).toString('base64url').replace(/[_]/g, 'x');
  const cohort = await who.host.store.createCohort(who.account.id, name, joinCode, Date.now());
  return json(cohort, 201);
}
