/**
 * `npm run load -- [--url http://localhost:3000] [--learners 50] [--duration-s 30]
 *                  [--think-ms 1000] [--shape sandbox] [--seed 1]`
 *
 * Opens N learner sessions against a running server, the way a browser does: GET / for
 * the signed session cookie, then a WebSocket to /lab/ws with the site's Origin. Each
 * learner types a realistic mix of commands (topics, producer, consumer, broker stop and
 * start, help) with a think time between them, and pings as the terminal does. It stops
 * by itself after the duration and prints latency percentiles and every error it saw.
 *
 * Two figures matter: the ping round trip (what a keystroke echo costs while the server
 * is busy) and the round trip of commands that answer at once (help, list, describe);
 * commands that wait on the cluster's own clock (broker stop, a consumer) are reported
 * apart, because their time is the simulation's, not the server's.
 *
 * Every learner comes from one address, so a server with the default per-address limits
 * answers 429 after 60 new sessions: start it with SESSION_BURST and NEW_LAB_BURST at
 * least the number of learners.
 */
import WebSocket from 'ws';

export interface LoadOptions {
  readonly url: string;
  readonly learners: number;
  readonly durationS: number;
  /** Mean think time between two commands of one learner. */
  readonly thinkMs: number;
  readonly shape: string;
  readonly seed: number;
  /** Learners connect over this many ms, as a class arriving. */
  readonly rampMs: number;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface LoadReport {
  readonly options: LoadOptions;
  readonly connected: number;
  /** Pings after every learner had connected (the class is in, labs are started). */
  readonly ping: LatencySummary;
  /** Pings while learners were still arriving and their labs starting. */
  readonly pingDuringRamp: LatencySummary;
  /** Commands that answer without waiting on the cluster clock. */
  readonly instant: LatencySummary;
  readonly byCommand: Readonly<Record<string, LatencySummary>>;
  readonly commands: number;
  readonly failedCommands: number;
  readonly errors: readonly string[];
}

type Kind = 'help' | 'list' | 'describe' | 'create' | 'produce' | 'consume' | 'broker-stop' | 'broker-start';

const instantKinds: ReadonlySet<Kind> = new Set(['help', 'list', 'describe']);

/** The mix, weighted: mostly looking around, some writing and reading, a few faults. */
const mix: readonly [Kind, number][] = [
  ['help', 10],
  ['list', 20],
  ['describe', 20],
  ['create', 8],
  ['produce', 20],
  ['consume', 12],
  ['broker-stop', 5],
  ['broker-start', 5],
];

function line(kind: Kind, topic: string): string {
  const bs = '--bootstrap-server localhost:9092';
  switch (kind) {
    case 'help':
      return 'help';
    case 'list':
      return `kafka-topics ${bs} --list`;
    case 'describe':
      return `kafka-topics ${bs} --describe --topic ${topic}`;
    case 'create':
      return `kafka-topics ${bs} --create --if-not-exists --topic ${topic} --partitions 3 --replication-factor 3`;
    case 'produce':
      return `kafka-console-producer ${bs} --topic ${topic} --message hello --message world`;
    case 'consume':
      return `kafka-console-consumer ${bs} --topic ${topic} --from-beginning --max-messages 1 --timeout-ms 2000`;
    case 'broker-stop':
      return 'broker stop 3';
    case 'broker-start':
      return 'broker start 3';
  }
}

/** A small seeded PRNG (mulberry32), so two runs type the same mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(random: () => number): Kind {
  const total = mix.reduce((n, [, w]) => n + w, 0);
  let r = random() * total;
  for (const [kind, weight] of mix) {
    r -= weight;
    if (r < 0) return kind;
  }
  return 'help';
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { count: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? NaN };
}

async function sessionCookie(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  const match = /kil_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '');
  if (!match) throw new Error(`GET ${url} set no kil_session cookie`);
  return `kil_session=${match[1]}`;
}

interface Recorder {
  ping: number[];
  pingDuringRamp: number[];
  /** performance.now() after which the ramp is over. */
  steadyFromMs: number;
  commands: Map<Kind, number[]>;
  failed: number;
  errors: string[];
}

/** One learner: connect, then type until `deadline`, one command at a time. */
async function learner(index: number, options: LoadOptions, deadline: number, rec: Recorder): Promise<boolean> {
  const random = prng(options.seed * 7919 + index);
  const cookie = await sessionCookie(options.url);
  const origin = new URL(options.url).origin;
  const wsUrl = `${origin.replace(/^http/, 'ws')}/lab/ws?shape=${encodeURIComponent(options.shape)}`;
  const ws = new WebSocket(wsUrl, { headers: { cookie, origin } });
  const waiting = new Map<string, (message: Record<string, unknown>) => void>();
  let closed: string | null = null;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    const key = message.t === 'done' ? `done:${String(message.id)}` : String(message.t);
    if (message.t === 'error') rec.errors.push(`learner ${index}: ${String(message.message)}`);
    waiting.get(key)?.(message);
  });
  const next = (key: string, timeoutMs = 60_000) =>
    new Promise<Record<string, unknown> | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      waiting.set(key, (message) => {
        clearTimeout(timer);
        waiting.delete(key);
        resolve(message);
      });
    });
  ws.on('close', (code, reason) => {
    if (Date.now() < deadline) closed = `closed ${code} ${String(reason)}`;
    for (const resolve of waiting.values()) resolve({ t: 'closed' });
  });
  ws.on('error', (error) => rec.errors.push(`learner ${index}: ${error.message}`));
  const hello = await next('hello', 30_000);
  if (!hello || hello.t !== 'hello') {
    rec.errors.push(`learner ${index}: no hello (${closed ?? 'timeout'})`);
    ws.terminate();
    return false;
  }
  const topic = `orders-${index}`;
  let id = 0;
  let brokerDown = false;
  await command(ws, ++id, line('create', topic), next, rec, 'create');
  while (Date.now() < deadline && closed === null) {
    await sleep(options.thinkMs * (0.5 + random()));
    if (Date.now() >= deadline || closed !== null) break;
    const pingAt = performance.now();
    ws.send(JSON.stringify({ t: 'ping' }));
    if ((await next('pong', 10_000))?.t === 'pong') (pingAt >= rec.steadyFromMs ? rec.ping : rec.pingDuringRamp).push(performance.now() - pingAt);
    let kind = pick(random);
    // Stop and start alternate, so a learner never stops a stopped broker.
    if (kind === 'broker-stop' && brokerDown) kind = 'broker-start';
    else if (kind === 'broker-start' && !brokerDown) kind = 'broker-stop';
    if (kind === 'broker-stop' || kind === 'broker-start') brokerDown = kind === 'broker-stop';
    await command(ws, ++id, line(kind, topic), next, rec, kind);
  }
  if (closed) rec.errors.push(`learner ${index}: ${closed}`);
  ws.close();
  return true;
}

async function command(
  ws: WebSocket,
  id: number,
  text: string,
  next: (key: string, timeoutMs?: number) => Promise<Record<string, unknown> | null>,
  rec: Recorder,
  kind: Kind,
): Promise<void> {
  const sentAt = performance.now();
  ws.send(JSON.stringify({ t: 'exec', id, line: text }));
  const done = await next(`done:${id}`);
  if (!done || done.t !== 'done') {
    rec.errors.push(`${kind}: ${done ? 'socket closed' : 'no answer within 60 s'}`);
    return;
  }
  if (sentAt < rec.steadyFromMs) return;
  const samples = rec.commands.get(kind) ?? [];
  samples.push(performance.now() - sentAt);
  rec.commands.set(kind, samples);
  if (done.code !== 0) rec.failed++;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  // Commands are timed once the class is in: the ramp plus two seconds for the last labs to start.
  const rec: Recorder = { ping: [], pingDuringRamp: [], steadyFromMs: performance.now() + options.rampMs + 2_000, commands: new Map(), failed: 0, errors: [] };
  const deadline = Date.now() + options.rampMs + options.durationS * 1000;
  const runs = Array.from({ length: options.learners }, async (_, i) => {
    await sleep((options.rampMs * i) / Math.max(1, options.learners));
    try {
      return await learner(i, options, deadline, rec);
    } catch (error) {
      rec.errors.push(`learner ${i}: ${(error as Error).message}`);
      return false;
    }
  });
  const connected = (await Promise.all(runs)).filter(Boolean).length;
  const byCommand = Object.fromEntries([...rec.commands].map(([kind, samples]) => [kind, summarize(samples)]));
  const instant = [...rec.commands].filter(([kind]) => instantKinds.has(kind)).flatMap(([, samples]) => samples);
  return {
    options,
    connected,
    ping: summarize(rec.ping),
    pingDuringRamp: summarize(rec.pingDuringRamp),
    instant: summarize(instant),
    byCommand,
    commands: [...rec.commands.values()].reduce((n, s) => n + s.length, 0),
    failedCommands: rec.failed,
    errors: rec.errors,
  };
}

export function formatReport(report: LoadReport): string {
  const row = (name: string, s: LatencySummary) =>
    `${name.padEnd(14)} ${String(s.count).padStart(7)} ${s.p50Ms.toFixed(1).padStart(8)} ${s.p95Ms.toFixed(1).padStart(8)} ${s.p99Ms.toFixed(1).padStart(8)} ${s.maxMs.toFixed(1).padStart(8)}`;
  const lines = [
    `${report.connected}/${report.options.learners} learners connected to ${report.options.url} for ${report.options.durationS} s`,
    `${'what'.padEnd(14)} ${'count'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
    row('ping (ramp)', report.pingDuringRamp),
    row('ping', report.ping),
    row('instant cmds', report.instant),
    ...Object.entries(report.byCommand).map(([kind, s]) => row(kind, s)),
    `${report.commands} commands timed after the ramp, ${report.failedCommands} exited non-zero, ${report.errors.length} errors`,
  ];
  const distinct = [...new Set(report.errors)].slice(0, 10);
  if (distinct.length) lines.push(...distinct.map((e) => `  error: ${e}`));
  return lines.join('\n');
}

function parseArgs(argv: readonly string[]): LoadOptions {
  const value = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  return {
    url: value('url', 'http://localhost:3000'),
    learners: Number(value('learners', '50')),
    durationS: Number(value('duration-s', '30')),
    thinkMs: Number(value('think-ms', '1000')),
    shape: value('shape', 'sandbox'),
    seed: Number(value('seed', '1')),
    rampMs: Number(value('ramp-ms', '5000')),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseArgs(process.argv.slice(2));
  const report = await runLoad(options);
  console.log(formatReport(report));
  process.exit(report.connected === options.learners ? 0 : 1);
}
