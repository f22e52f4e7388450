/**
 * POST /api/account/login {email, password}: checks the scrypt hash, links this
 * browser's anonymous progress to the account, and starts a fresh signed session.
 * Wrong email and wrong password get the same answer.
 */
import { allowAttempt, cookieValue, isSameOrigin, json, problem, readJson, sessionCookieName, siteHost } from '../../../../lib/progress';

export async function POST(request: Request): Promise<Response> {
  const host = siteHost();
  if (!host) return problem(503, 'Accounts are not available on this server.');
  if (!isSameOrigin(request)) return problem(403, 'This request did not come from this site.');
  const body = await readJson(request);
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  const password = typeof body?.password === 'string' ? body.password : '';
  if (!allowAttempt(`login:${email}`) || !allowAttempt(`login-ip:${request.headers.get('x-forwarded-for') ?? 'local'}`)) {
    return problem(429, 'Too many log-in attempts.', 'wait fifteen minutes and try again');
  }
  const found = await host.store.accountByEmail(email);
  if (!found || !(await host.verifyPassword(password, found.passwordHash))) return problem(401, 'That email and password do not match an account.', 'check both, or sign up');
  const previous = host.verifySession(cookieValue(request.headers.get('cookie'), sessionCookieName));
  if (previous) {
    const learner = await host.store.ensureLearner(previous, Date.now());
    const owner = await host.store.accountForLearner(learner);
    // Anonymous progress joins the account; a session of someone else's account stays theirs.
    if (!owner) await host.store.linkLearner(learner, found.id);
  }
  const fresh = host.newSession();
  await host.store.ensureLearner(fresh.id, Date.now());
  await host.store.linkLearner(fresh.id, found.id);
  const { passwordHash: _hash, ...account } = found;
  return json({ account }, 200, { 'Set-Cookie': fresh.setCookie });
}
