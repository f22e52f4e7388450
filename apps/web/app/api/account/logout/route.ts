/** POST /api/account/logout: replaces the session with a fresh anonymous one. */
import { isSameOrigin, json, problem, siteHost } from '../../../../lib/progress';

export async function POST(request: Request): Promise<Response> {
  const host = siteHost();
  if (!host) return problem(503, 'Accounts are not available on this server.');
  if (!isSameOrigin(request)) return problem(403, 'This request did not come from this site.');
  return json({ ok: true }, 200, { 'Set-Cookie': host.newSession().setCookie });
}
