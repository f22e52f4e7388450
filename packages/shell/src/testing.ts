/**
 * Test support: a real engine cluster with a shell on top, and helpers that run a command
 * line while the engine's virtual time advances until the command finishes. Used by the
 * tests beside each command and by the transcript tests; not part of the package API.
 *
 * Three shapes: `newTestLab` (a cluster and nothing else, so lab controls are missing),
 * `newHostedTestLab` (plus a small host like the lab package's: a clock, `lab status`,
 * `lab reset` and `time rewind` by replaying the recorded facade calls) and `newGeoTestLab`
 * (two regions on one clock, for `region` and `mirror`).
 */
import { Cluster, MultiCluster, runUntil, settle, type ClusterApi, type ClusterOptions } from '@kil/engine';
import { LabFiles } from './files';
import { Shell } from './shell';
import type { LabControls, ShellContext, ShellIO } from './types';

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

export interface Running {
  /** Output so far. */
  output(): string;
  /** Presses Ctrl-C. */
  interrupt(): void;
  readonly done: Promise<number>;
}

export interface TestLab {
  /** The lab's cluster now (a hosted lab swaps it on `lab reset` and `time rewind`). */
  readonly cluster: Cluster;
  readonly shell: Shell;
  /** The lab's files, shared by every command this lab runs. */
  readonly files: LabFiles;
  /** Runs one line to completion, advancing virtual time as needed. */
  run(line: string): Promise<RunResult>;
  /** Starts a long-running line (a consumer, `trace --follow`) without waiting for it. */
  start(line: string, stdin?: readonly string[]): Running;
  /** Advances virtual time by `ms`, processing every event on the way. */
  advance(ms: number): void;
}

/** What `settle` advances: a cluster, or a geo lab's two regions on one clock. */
type VirtualClock = Parameters<typeof settle>[0];

async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const cluster = new Cluster(options);
  const ready = await runUntil(cluster, () => {
    const snapshot = cluster.snapshot();
    return snapshot.activeControllerId !== null && snapshot.brokers.every((b) => b.state === 'running');
  });
  if (!ready) throw new Error('the test cluster did not start within a minute of virtual time');
  return cluster;
}

/** A TestLab over `context`; `cluster()` and `clock()` are read on every use, so a host may swap them. */
function labAround(context: ShellContext, cluster: () => Cluster, clock: () => VirtualClock = cluster): TestLab {
  const shell = new Shell(context);
  const files = context.files ?? new LabFiles();
  const start = (line: string, stdin?: readonly string[]): Running => {
    let output = '';
    const controller = new AbortController();
    const lines = [...(stdin ?? [])];
    const io: ShellIO = {
      write: (text) => (output += text),
      signal: controller.signal,
      ...(stdin ? { readLine: async () => lines.shift() ?? null } : {}),
    };
    return { output: () => output, interrupt: () => controller.abort(), done: shell.execute(line, io) };
  };
  return {
    get cluster() {
      return cluster();
    },
    shell,
    files,
    start,
    async run(line) {
      const running = start(line);
      const code = await settle(clock(), running.done);
      return { code, output: running.output() };
    },
    advance(ms) {
      const c = clock();
      c.advanceTo(c.nowMs() + ms);
    },
  };
}

export async function newTestLab(options: ClusterOptions = {}, lab?: LabControls, files: LabFiles = new LabFiles()): Promise<TestLab> {
  const cluster = await startCluster({ seed: 7, ...options });
  return labAround(lab ? { cluster, lab, files } : { cluster, files }, () => cluster);
}

interface RecordedCall {
  readonly timeMs: number;
  /** The last trace event before the call, so a rewind keeps calls and events in order. */
  readonly afterSeq: number;
  readonly path: readonly string[];
  readonly args: readonly unknown[];
}

function recordMethods<T extends object>(target: T, path: readonly string[], record: (path: readonly string[], args: unknown[]) => void): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        record([...path, key], args);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

/** The cluster as the shell sees it: every admin, client, fault and per-broker call is recorded. */
function recorded(cluster: Cluster, record: (call: RecordedCall) => void): ClusterApi {
  const add = (path: readonly string[], args: unknown[]): void => record({ timeMs: cluster.nowMs(), afterSeq: cluster.events().at(-1)?.seq ?? 0, path, args });
  return new Proxy(cluster, {
    get(object, key, receiver) {
      if (key === 'admin' || key === 'faults' || key === 'client') return recordMethods(object[key], [key], add);
      if (key === 'broker') return (id: number) => recordMethods(object.broker(id), ['broker', String(id)], add);
      const value = Reflect.get(object, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/** A fresh cluster from `options` that receives `calls` at their virtual times, up to `untilMs`. */
function replay(options: ClusterOptions, calls: readonly RecordedCall[], untilMs: number): Cluster {
  const cluster = new Cluster(options);
  for (const call of calls) {
    if (call.timeMs > cluster.nowMs()) cluster.advanceTo(call.timeMs);
    const [head = '', second = '', third = ''] = call.path;
    const owner = (head === 'broker' ? cluster.broker(Number(second)) : cluster[head as 'admin' | 'faults' | 'client']) as unknown as Record<string, (...a: unknown[]) => unknown>;
    const method = head === 'broker' ? third : second;
    try {
      const result = owner[method]?.apply(owner, [...call.args]);
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // It failed the same way when the learner typed it; the state it leaves is what counts.
    }
  }
  if (untilMs > cluster.nowMs()) cluster.advanceTo(untilMs);
  return cluster;
}

/**
 * A lab with a host: time controls (pausing only shows in `time`; commands still run to
 * completion), `lab status`, `lab reset` and `time rewind #seq` that rebuilds the cluster by
 * replay, refusing once a long-lived client was created, as the lab package does.
 */
export async function newHostedTestLab(options: ClusterOptions = {}): Promise<TestLab> {
  const shape: ClusterOptions = { seed: 7, ...options };
  let current = await startCluster(shape);
  let calls: RecordedCall[] = [];
  let unreplayable: string | null = null;
  let paused = false;
  let speed = 1;
  const record = (call: RecordedCall): void => {
    if (call.path[1] === 'createProducer' || call.path[1] === 'createConsumer') {
      unreplayable ??= 'Rewind is not available once producers or consumers have run in this lab; use "lab reset" to start again.';
    }
    calls.push(call);
  };
  const install = (cluster: Cluster): void => {
    current = cluster;
    context.cluster = recorded(cluster, record);
  };
  const lab: LabControls = {
    status: () => [
      'lab: transcript',
      `shape: ${current.snapshot().brokers.length} brokers, ${current.snapshot().controllers.length} controllers`,
      `clock: ${(current.nowMs() / 1000).toFixed(1)} s of lab time${paused ? ' (paused)' : ''}, speed ${speed}x`,
    ],
    reset: async () => {
      calls = [];
      unreplayable = null;
      paused = false;
      install(await startCluster(shape));
    },
    time: {
      state: () => ({ paused, speed, nowMs: current.nowMs() }),
      pause: () => void (paused = true),
      resume: () => void (paused = false),
      step: (ms) => current.advanceBy(ms),
      setSpeed: (x) => void (speed = x),
      rewind: (seq) => {
        const event = current.events().find((e) => e.seq === seq);
        if (!event) return 'That moment is older than the trace the lab keeps; pick a later event.';
        if (unreplayable !== null) return unreplayable;
        calls = calls.filter((c) => c.timeMs <= event.timeMs && c.afterSeq < seq);
        install(replay(shape, calls, event.timeMs));
        paused = true;
        return null;
      },
    },
  };
  const context: ShellContext = { cluster: recorded(current, record), lab, files: new LabFiles() };
  return labAround(context, () => current);
}

/** A geo-replication lab: two regions on one clock, the terminal's tools pointed at the primary. */
export async function newGeoTestLab(): Promise<TestLab> {
  const multi = new MultiCluster({ linkLatencyMs: 50, primary: { seed: 5 }, secondary: { seed: 6 } });
  await runUntil(multi, () => multi.regions.every((r) => r.cluster.snapshot().brokers.every((b) => b.state === 'running')));
  return labAround({ cluster: multi.primary, geo: multi, files: new LabFiles() }, () => multi.primary, () => multi);
}
