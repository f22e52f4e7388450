/** GET /api/progress: this learner's task results, module reads, quiz scores and completed modules. */
import { json, problem, visitor } from '../../../lib/progress';

export async function GET(request: Request): Promise<Response> {
  const who = await visitor({ header: request.headers.get('cookie') });
  if (!who) return problem(503, 'Progress is not available on this server.');
  if (!who.learnerId) return json({ tasks: [], reads: [], quizzes: [], modulesCompleted: [], account: null });
  const { store } = who.host;
  const [tasks, reads, quizzes, modulesCompleted] = await Promise.all([
    store.progress(who.learnerId),
    store.moduleReads(who.learnerId),
    store.quizScores(who.learnerId),
    store.modulesCompleted(who.learnerId),
  ]);
  return json({ tasks, reads, quizzes, modulesCompleted, account: who.account });
}
