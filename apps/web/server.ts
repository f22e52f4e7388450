/**
 * One Node process: Next.js pages plus the lab gateway (WebSocket upgrades on /lab/ws).
 * Every HTTP response gets the security headers and, for a new visitor, a signed
 * HttpOnly session cookie; the cookie is what binds a WebSocket to its learner's lab.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import next from 'next';
import {
  AddressRateLimiter,
  clientAddress,
  defaultNewLabRateLimit,
  defaultSessionRateLimit,
  exitGracefullyOn,
  LabGateway,
  LabManager,
  parseCookies,
  PendingWork,
  rateLimitFrom,
  refuseRateLimited,
  SessionSigner,
  sessionCookie,
  sessionCookieName,
  type LabShape,
} from '@kil/lab';
import { LESSON_FILES } from '@kil/shell';
import { findModule, labShapeFor, repoRoot, type LabShapeFrontmatter } from './lib/content';
import { cohortCsv, hashPassword, openProgressStore, verifyPassword, type ProgressStore } from '@kil/progress';
import { toPublicExercise, type ExerciseManifest, type ExerciseResult } from '@kil/grader';
import { exerciseFolders, exercises } from '../../exercises/index';
import { challenges } from '../../content/challenges/index';
import { installSiteHost } from './lib/progress';
import { ContentWatcher, contentEventsPath, serveContentEvents } from './lib/content-events';

const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const root = repoRoot(import.meta.dirname);
const sessionMaxAgeS = 30 * 24 * 3600;

function sessionSecret(): string {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET;
  const dir = path.join(root, 'data');
  const file = path.join(dir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    // blob: lets the editor's Web Worker import the learner's compiled code; 'unsafe-inline' is already allowed.
    `script-src 'self' 'unsafe-inline' blob:${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // Another site may not load our pages, scripts or API answers as subresources.
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  // Behind TLS (secure cookies on), browsers must keep to https for a year.
  ...(process.env.COOKIE_SECURE === 'true' ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
};

type FrontmatterTopic = NonNullable<LabShapeFrontmatter['topics']>[number];

const toNewTopic = (t: FrontmatterTopic) => ({
  name: t.name,
  numPartitions: t.partitions,
  replicationFactor: t.replicationFactor,
  configs: t.configs,
});

function toLabShape(shape: LabShapeFrontmatter | undefined): Partial<LabShape> | undefined {
  if (!shape) return undefined;
  const secondary = shape.secondary;
  return {
    brokers: shape.brokers,
    controllers: shape.controllers,
    racks: shape.racks,
    config: shape.config,
    topics: shape.topics?.map(toNewTopic),
    clusters: shape.clusters,
    linkLatencyMs: shape.linkLatencyMs,
    secondary: secondary ? { ...secondary, topics: secondary.topics?.map(toNewTopic) } : undefined,
  };
}

/** Files a module puts in its lab (JSON plans for kafka-reassign-partitions and the like). */
function lessonFiles(key: string): Readonly<Record<string, string>> | undefined {
  const [kind, slug] = key.split(':');
  if (kind !== 'module' || !slug) return undefined;
  const entry = findModule(slug);
  return entry ? LESSON_FILES[path.basename(entry.dir)] : undefined;
}

/** The set-up lines of the exercise a lab key ("exercise:<id>") names. */
function exerciseSetup(key: string): readonly string[] {
  const [kind, id] = key.split(':');
  return kind === 'exercise' ? (exercises.find((e) => e.id === id)?.setup ?? []) : [];
}

const shapeCache = new Map<string, Partial<LabShape> | undefined>();
function shapeFor(key: string): Partial<LabShape> | undefined {
  if (!dev && shapeCache.has(key)) return shapeCache.get(key);
  let shape: Partial<LabShape> | undefined;
  try {
    shape = toLabShape(labShapeFor(key));
    const files = lessonFiles(key);
    if (files) shape = { ...shape, files };
    // An exercise's live lab runs the manifest's set-up, as the grading lab does.
    const setup = exerciseSetup(key);
    if (setup.length > 0) shape = { ...shape, setup };
  } catch {
    shape = undefined;
  }
  shapeCache.set(key, shape);
  return shape;
}

/** Record a check: every task of a button press; only newly passed tasks of an automatic check. */
async function recordCheck(store: ProgressStore, sessionId: string, result: ExerciseResult, auto: boolean): Promise<void> {
  const learnerId = await store.ensureLearner(sessionId, Date.now());
  const passedBefore = auto ? new Set((await store.progress(learnerId)).filter((t) => t.passedAtMs !== null && t.exerciseId === result.exerciseId).map((t) => t.taskId)) : new Set<string>();
  for (const task of result.tasks) {
    if (auto && (!task.passed || passedBefore.has(task.taskId))) continue;
    const message = task.passed ? `passed: ${task.observed}` : `expected ${task.expected}; observed ${task.observed}`;
    await store.recordCheck({ learnerId, exerciseId: result.exerciseId, taskId: task.taskId, passed: task.passed, message, atMs: Date.now() });
  }
}

function exerciseFile(exerciseId: string, which: 'starter' | 'solution'): string | null {
  const folder = exerciseFolders[exerciseId];
  const file = folder ? path.join(root, 'exercises', folder, which, 'main.ts') : '';
  return folder && existsSync(file) ? readFileSync(file, 'utf8') : null;
}

async function main(): Promise<void> {
  const app = next({ dev, dir: import.meta.dirname, hostname: 'localhost', port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const signer = new SessionSigner(sessionSecret());
  const manager = new LabManager({ labsMax: Number(process.env.LABS_MAX ?? 2000) });
  const store = await openProgressStore({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(root, 'data') });
  // "Check my work" (exercises) and "Check my challenge" (module challenges) share one lookup.
  const manifests = new Map<string, ExerciseManifest>([...exercises, ...challenges].map((e) => [e.id, e]));
  // Progress writes started by a lab check; shutdown waits for them before closing the store.
  const pendingWrites = new PendingWork();
  // Behind a reverse proxy (nginx), the proxy's address; the client's is then read from X-Forwarded-For.
  const trustedProxies = new Set((process.env.TRUSTED_PROXIES ?? '').split(',').map((a) => a.trim()).filter(Boolean));
  const sessionLimiter = new AddressRateLimiter(rateLimitFrom(process.env.SESSION_BURST, process.env.SESSION_RATE_PER_MINUTE, defaultSessionRateLimit));
  const newLabLimiter = new AddressRateLimiter(rateLimitFrom(process.env.NEW_LAB_BURST, process.env.NEW_LAB_RATE_PER_MINUTE, defaultNewLabRateLimit));
  const gateway = new LabGateway({
    manager,
    signer,
    shapeFor,
    newLabLimiter,
    trustedProxies,
    checks: { exercise: (id) => manifests.get(id), record: (sessionId, result, auto) => pendingWrites.track(recordCheck(store, sessionId, result, auto)) },
  });
  const secureCookies = process.env.COOKIE_SECURE === 'true';
  installSiteHost({
    store,
    verifySession: (value) => signer.verify(value),
    newSession: () => {
      const id = signer.newId();
      return { id, setCookie: sessionCookie(signer.sign(id), { secure: secureCookies, maxAgeS: sessionMaxAgeS }) };
    },
    hashPassword,
    verifyPassword,
    exercises: exercises.map(toPublicExercise),
    instructorEmails: new Set((process.env.INSTRUCTOR_EMAILS ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)),
    exerciseFile,
    cohortCsv,
  });

  // npm run dev: open pages refresh when a lesson or exercise file changes.
  const contentWatcher = dev ? new ContentWatcher(root, ['content', 'exercises']) : null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    if (contentWatcher && req.url === contentEventsPath) return serveContentEvents(req, res, contentWatcher);
    // Build assets need no session, so they neither mint one nor spend a client's session budget.
    const needsSession = !req.url?.startsWith('/_next/static/');
    if (needsSession && !signer.verify(parseCookies(req.headers.cookie).get(sessionCookieName))) {
      // Every cookieless request would mint a session; one address may only mint so many.
      const decision = sessionLimiter.take(clientAddress(req, trustedProxies));
      if (!decision.allowed) return refuseRateLimited(res, 'sessions', decision.retryAfterS);
      res.setHeader('Set-Cookie', sessionCookie(signer.sign(signer.newId()), { secure: secureCookies, maxAgeS: sessionMaxAgeS }));
    }
    void handle(req, res);
  });
  const upgradeNext = app.getUpgradeHandler();
  server.on('upgrade', (req, socket, head) => {
    if (gateway.handleUpgrade(req, socket, head)) return;
    if (dev) void upgradeNext(req, socket, head);
    else socket.destroy();
  });
  server.listen(port, host, () => {
    console.log(`Kafka Internals Lab ready on http://localhost:${port}${dev ? ' (dev)' : ''}`);
  });
  // SIGTERM: refuse new labs, tell open pages, finish progress writes, close the store, exit 0.
  exitGracefullyOn(['SIGTERM', 'SIGINT'], {
    server,
    gateway,
    manager,
    pending: pendingWrites,
    closeStore: () => store.close(),
    graceMs: Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000),
    log: (line) => console.log(`shutdown: ${line}`),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
