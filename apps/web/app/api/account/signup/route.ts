/**
 * POST /api/account/signup {email, password, displayName}: creates an account (scrypt
 * hash), links this browser's anonymous progress to it, and starts a fresh signed
 * session (a new id, so a session id seen before sign-up is worth nothing after it).
 */
import { isSameOrigin, json, problem, readJson, roleFor, sessionCookieName, siteHost, cookieValue, allowAttempt } from '../../../../lib/progress';

export async function POST(request: Request): Promise<Response> {
  const host = siteHost();
  if (!host) return problem(503, 'Accounts are not available on this server.');
  if (!isSameOrigin(request)) return problem(403, 'This request did not come from this site.');
  const previous = host.verifySession(cookieValue(request.headers.get('cookie'), sessionCookieName));
  if (!previous) return problem(401, 'Your browser has no session yet.', 'reload the page and try again');
  const body = await readJson(request);
  const email = typeof body?.email === 'string' ? body.email : '';
  const password = typeof body?.password === 'string' ? body.password : '';
  const displayName = typeof body?.displayName === 'string' ? body.displayName : '';
  if (!allowAttempt(`signup:${request.headers.get('x-forwarded-for') ?? 'local'}`)) return problem(429, 'Too many attempts.', 'wait a few minutes');
  let passwordHash: string;
  try {
    passwordHash = await host.hashPassword(password);
  } catch (error) {
    return problem(400, (error as Error).message, 'choose a longer password');
  }
  try {
    const account = await host.store.createAccount({ email, displayName: displayName || email.split('@')[0] || 'Learner', passwordHash, role: roleFor(email, host), nowMs: Date.now() });
    const oldLearner = await host.store.ensureLearner(previous, Date.now());
    await host.store.linkLearner(oldLearner, account.id);
    const fresh = host.newSession();
    await host.store.ensureLearner(fresh.id, Date.now());
    await host.store.linkLearner(fresh.id, account.id);
    return json({ account }, 201, { 'Set-Cookie': fresh.setCookie });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EMAIL_TAKEN') return problem(409, (error as Error).message, 'log in instead');
    if (code === 'INVALID_INPUT') return problem(400, (error as Error).message);
    throw error;
  }
}
