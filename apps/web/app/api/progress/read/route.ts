/** POST /api/progress/read {moduleSlug}: a module page was read. */
import { isSameOrigin, json, problem, readJson, visitor } from '../../../../lib/progress';

export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) return problem(403, 'This request did not come from this site.');
  const who = await visitor({ header: request.headers.get('cookie') });
  if (!who?.learnerId) return problem(401, 'No session.', 'reload the page');
  const body = await readJson(request);
  const slug = typeof body?.moduleSlug === 'string' ? body.moduleSlug : '';
  if (!/^[a-z0-9-]{1,64}$/.test(slug)) return problem(400, 'moduleSlug must be a module slug.');
  await who.host.store.recordModuleRead(who.learnerId, slug, Date.now());
  return json({ ok: true });
}
