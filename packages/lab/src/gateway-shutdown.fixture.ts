/**
 * The web server's gateway half, wired as apps/web/server.ts wires it, for tests that must
 * run it as a real process without building the Next.js site: GET / mints a session
 * cookie (rate-limited per address), /lab/ws is a LabGateway with "Check my work" recording
 * into a SQLite progress store under DATA_DIR, and SIGTERM runs the same graceful shutdown.
 *
 * To let a test catch a progress write in flight, the recorder prints `write-pending` and
 * waits WRITE_DELAY_MS before it writes. Prints `listening <port>` once ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { topicExists, type ExerciseManifest } from '@kil/grader';
import { openProgressStore } from '@kil/progress';
import { exitGracefullyOn, PendingWork } from './gateway-shutdown';
import { LabGateway } from './gateway';
import { LabManager } from './manager';
import { parseCookies, sessionCookie, sessionCookieName, SessionSigner } from './session';
import { AddressRateLimiter, clientAddress, rateLimitFrom, defaultSessionRateLimit, refuseRateLimited } from './session-limits';

export const fixtureExercise: ExerciseManifest = {
  id: 'shutdown-test',
  title: 'Shutdown test',
  lab: { brokers: 1, controllers: 1 },
  setup: [],
  starter: [],
  tasks: [{ id: 'make-a', title: 'Make a', description: '', criteria: [topicExists('a')], hints: ['create a'], solution: [] }],
};

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR must name a folder for the progress store');
const writeDelayMs = Number(process.env.WRITE_DELAY_MS ?? 0);
const signer = new SessionSigner('fixture-secret-fixture-secret-fixture-0');
const manager = new LabManager({ labsMax: 50 });
const store = await openProgressStore({ dataDir });
const pending = new PendingWork();
const sessionLimiter = new AddressRateLimiter(rateLimitFrom(process.env.SESSION_BURST, process.env.SESSION_RATE_PER_MINUTE, defaultSessionRateLimit));
const trustedProxies = new Set((process.env.TRUSTED_PROXIES ?? '').split(',').filter(Boolean));

const record = async (sessionId: string, taskId: string, passed: boolean): Promise<void> => {
  console.log('write-pending');
  await new Promise((resolve) => setTimeout(resolve, writeDelayMs));
  const learnerId = await store.ensureLearner(sessionId, Date.now());
  await store.recordCheck({ learnerId, exerciseId: fixtureExercise.id, taskId, passed, message: 'recorded during shutdown test', atMs: Date.now() });
  console.log('write-done');
};

const gateway = new LabGateway({
  manager,
  signer,
  checks: {
    exercise: (id) => (id === fixtureExercise.id ? fixtureExercise : undefined),
    record: (sessionId, result) => pending.track(Promise.all(result.tasks.map((t) => record(sessionId, t.taskId, t.passed))).then(() => {})),
  },
});

const server = createServer((req, res) => {
  if (!signer.verify(parseCookies(req.headers.cookie).get(sessionCookieName))) {
    const decision = sessionLimiter.take(clientAddress(req, trustedProxies));
    if (!decision.allowed) return refuseRateLimited(res, 'sessions', decision.retryAfterS);
    res.setHeader('Set-Cookie', sessionCookie(signer.sign(signer.newId()), { secure: false, maxAgeS: 3600 }));
  }
  res.end('ok');
});
server.on('upgrade', (req, socket, head) => {
  if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
});
exitGracefullyOn(['SIGTERM', 'SIGINT'], { server, gateway, manager, pending, closeStore: () => store.close(), graceMs: 8000, log: (line) => console.log(`shutdown: ${line}`) });
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
