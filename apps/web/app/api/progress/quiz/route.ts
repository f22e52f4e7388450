/**
 * POST /api/progress/quiz {moduleSlug, score, total}: a quiz was submitted. A score of
 * at least two thirds also marks the module completed.
 */
import { isSameOrigin, json, problem, readJson, visitor } from '../../../../lib/progress';

export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) return problem(403, 'This request did not come from this site.');
  const who = await visitor({ header: request.headers.get('cookie') });
  if (!who?.learnerId) return problem(401, 'No session.', 'reload the page');
  const body = await readJson(request);
  const slug = typeof body?.moduleSlug === 'string' ? body.moduleSlug : '';
  const score = body?.score;
  const total = body?.total;
  if (!/^[a-z0-9-]{1,64}$/.test(slug) || typeof score !== 'number' || typeof total !== 'number') return problem(400, 'Send moduleSlug, score and total.');
  try {
    await who.host.store.recordQuizScore({ learnerId: who.learnerId, moduleSlug: slug, score, total, atMs: Date.now() });
  } catch (error) {
    return problem(400, (error as Error).message);
  }
  if (score * 3 >= total * 2) await who.host.store.completeModule(who.learnerId, slug, Date.now());
  return json({ ok: true, completed: score * 3 >= total * 2 });
}
