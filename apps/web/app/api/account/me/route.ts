/** GET /api/account/me: the account behind this session, or null for an anonymous learner. */
import { json, problem, visitor } from '../../../../lib/progress';

export async function GET(request: Request): Promise<Response> {
  const who = await visitor({ header: request.headers.get('cookie') });
  if (!who) return problem(503, 'Accounts are not available on this server.');
  return json({ account: who.account, anonymous: who.account === null });
}
