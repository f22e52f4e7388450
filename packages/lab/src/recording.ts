/**
 * Deterministic time travel for a lab. Every call the lab makes into the cluster's facade
 * (admin, client, faults and per-broker requests) is recorded with the virtual time it
 * was made at. Because the engine is a deterministic simulation, a new cluster built from
 * the same options that receives the same calls at the same virtual times reaches the
 * same state: that is how "rewind" rebuilds the past, and how a shared link reopens it.
 *
 * A call is replayed without advancing the clock when it was made at the time the
 * previous one was, so events scheduled at that instant keep their original order.
 *
 * Clients that run inside the lab (the `clients` command's producers and consumers, and
 * the engine's own retries) are async code: their next request is made when JavaScript
 * runs the continuation of a promise the simulation resolved, which is only after the
 * scheduler's `advanceTo` has returned. Where the clock stopped therefore decides when a
 * client acts, and the real-time scheduler stops wherever the wall clock says. So the lab
 * records its inputs in three kinds: facade calls, the built-in clients' commands
 * (`lab.clients.*`), and every advance of the clock (`lab.tick`). A replay advances to the
 * same stops, lets pending continuations run after each one (a "drain"), and re-issues the
 * calls and client commands between the same stops: the same code sees the same states
 * in the same order, so the rebuilt cluster is the same (recording-clients.test.ts proves it).
 *
 * For that to hold, calls must not land in the middle of a drain: the recording facade
 * hands every result back one macrotask later ("at a quiet point"), so code that awaits a
 * facade call goes on only after the simulation's continuations have run.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Cluster, type ClusterApi, type ClusterOptions } from '@kil/engine';
import type { LabClients } from '@kil/shell';

export interface RecordedCall {
  readonly timeMs: number;
  /** Seq of the last trace event before the call: orders calls among events of one instant. */
  readonly afterSeq?: number;
  /**
   * 'admin.createTopics', 'faults.stopNode', 'client.produce', 'broker.2.fetch', a built-in
   * client command ('lab.clients.startProducer') or an advance of the clock ('lab.tick',
   * whose `timeMs` is where the clock stopped).
   */
  readonly path: string;
  readonly args: readonly unknown[];
  /**
   * Set when the input came in the same synchronous stretch of code as the one before it,
   * with no continuation run between them; a replay then applies both without a drain.
   */
  readonly joined?: true;
}

export interface RunRecord {
  readonly version: 1;
  readonly options: ClusterOptions;
  readonly calls: readonly RecordedCall[];
  readonly atMs: number;
}

export const recordingLimits = { callsMax: 100_000, linkBytesMax: 512 * 1024, inflatedBytesMax: 16 * 1024 * 1024 } as const;

const pathPattern = /^(admin|client|faults)\.[A-Za-z]{1,40}$|^broker\.\d{1,3}\.[A-Za-z]{1,40}$|^lab\.(tick|clients\.(startConsumers|startProducer|stop))$/;

export const tickPath = 'lab.tick';

export class RecordingError extends Error {
  override name = 'RecordingError';
}

/** The log of calls a lab made; it stops recording (and rewinding) when full. */
export class InputLog {
  private entries: RecordedCall[] = [];
  private unreplayable: string | null = null;

  get calls(): readonly RecordedCall[] {
    return this.entries;
  }

  get replayable(): boolean {
    return this.unreplayable === null;
  }

  /** Why this run cannot be rebuilt, when it cannot. */
  get reason(): string | null {
    return this.unreplayable;
  }

  /** From now on the run cannot be rebuilt faithfully; say why when asked to rewind. */
  markUnreplayable(reason: string): void {
    this.unreplayable ??= reason;
  }

  add(call: RecordedCall): void {
    if (this.entries.length >= recordingLimits.callsMax) {
      this.markUnreplayable('This lab has run too many steps to rewind; use "lab reset" to start again.');
      return;
    }
    this.entries.push(call);
  }

  /** Forget every input that came after trace event `seq` (the learner rewound and starts a new branch). */
  truncateAfter(seq: number): void {
    this.entries = this.entries.slice(0, inputsUpTo(this.entries, seq));
  }

  static from(calls: readonly RecordedCall[]): InputLog {
    const log = new InputLog();
    for (const call of calls) log.add(call);
    return log;
  }
}

/** Arguments as JSON: byte arrays become {$bytes: base64}. */
function encodeArg(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeArg);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeArg(v)]));
  }
  if (typeof value === 'function') throw new RecordingError('a call with a callback cannot be recorded');
  return value;
}

function decodeArg(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeArg);
  if (value && typeof value === 'object') {
    const bytes = (value as { $bytes?: unknown }).$bytes;
    if (typeof bytes === 'string') return new Uint8Array(Buffer.from(bytes, 'base64'));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeArg(v)]));
  }
  return value;
}

/** Resolves in a later macrotask, after every continuation now pending has run. */
export const quietPoint = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A facade result handed back at a quiet point, so its awaiter never runs mid-drain. */
function atQuietPoint(value: unknown): unknown {
  if (!(value instanceof Promise)) return value;
  return value.then(
    async (result: unknown) => {
      await quietPoint();
      return result;
    },
    async (error: unknown) => {
      await quietPoint();
      throw error;
    },
  );
}

function wrapMethods<T extends object>(target: T, prefix: string, recorder: Recorder): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        recorder.call(`${prefix}.${key}`, args);
        return atQuietPoint((value as (...a: unknown[]) => unknown).apply(object, args));
      };
    },
  });
}

/** Facade calls that return client objects with their own lifecycle. */
const statefulClientCalls = new Set(['client.createProducer', 'client.createConsumer']);

/**
 * How many of `calls` make up the state "right after trace event `seq`": the lab stops its
 * clock between inputs, not between events, so that is the first stop at which `seq` had
 * happened, carried on through every later input that added no event (the last moment at
 * which that trace was the whole story). An input is known to have added events when the
 * one after it saw a later trace event; the last input is kept, as nothing followed it.
 */
export function inputsUpTo(calls: readonly RecordedCall[], seq: number): number {
  // lastAfter(i): the newest trace event once input i and its continuations had run.
  const lastAfter = (i: number) => calls[i + 1]?.afterSeq ?? Infinity;
  let first = 0;
  while (first < calls.length && lastAfter(first) < seq) first++;
  if (first >= calls.length) return calls.length;
  const reached = lastAfter(first);
  let count = first + 1;
  while (count < calls.length && lastAfter(count) === reached) count++;
  return count;
}

/**
 * Writes a lab's inputs into its log, each with the virtual time, the last trace event
 * and whether it continues the synchronous stretch of the input before it.
 */
export class Recorder {
  private lastSeq: number;
  private stretchOpen = false;

  constructor(
    private readonly cluster: ClusterApi,
    readonly log: InputLog,
  ) {
    this.lastSeq = cluster.events().at(-1)?.seq ?? -1;
    cluster.onEvent((event) => (this.lastSeq = event.seq));
  }

  call(path: string, args: readonly unknown[]): void {
    // A long-lived client object is driven through its own methods, which this proxy does
    // not see; rather than replay a different history, the run stops being rewindable.
    if (statefulClientCalls.has(path)) {
      this.log.markUnreplayable('Rewind is not available once a console producer with enable.idempotence or a transactional.id, or a console consumer in a group, has run in this lab (the built-in `clients` can be rewound); use "lab reset" to start again.');
    }
    let encoded: unknown[];
    try {
      encoded = args.map(encodeArg);
    } catch {
      this.add('unrecordable', [], this.cluster.nowMs());
      return;
    }
    this.add(path, encoded, this.cluster.nowMs());
  }

  /** Whether an input was recorded in the stretch of synchronous code that runs now. */
  get inStretch(): boolean {
    return this.stretchOpen;
  }

  /** The clock is about to advance to `timeMs`. */
  tick(timeMs: number): void {
    this.add(tickPath, [], timeMs);
  }

  private add(path: string, args: unknown[], timeMs: number): void {
    const joined = this.stretchOpen;
    if (!joined) {
      this.stretchOpen = true;
      queueMicrotask(() => (this.stretchOpen = false));
    }
    this.log.add({ timeMs, afterSeq: this.lastSeq, path, args, ...(joined ? { joined: true as const } : {}) });
  }
}

/** The clock the lab's scheduler drives: `cluster`'s, with every advance recorded. */
export function recordingClock(cluster: ClusterApi, recorder: Recorder): Pick<ClusterApi, 'nowMs' | 'nextEventTimeMs' | 'advanceTo' | 'advanceBy'> {
  const advanceTo = (timeMs: number) => {
    // An advance that runs no action, made when nothing else has happened in this stretch
    // of code, leaves no continuation to see the new time: it need not be kept. One made
    // right after another advance must be, since that one's continuations run after it.
    const next = cluster.nextEventTimeMs();
    if ((next !== null && next <= timeMs) || recorder.inStretch) recorder.tick(timeMs);
    cluster.advanceTo(timeMs);
  };
  return {
    nowMs: () => cluster.nowMs(),
    nextEventTimeMs: () => cluster.nextEventTimeMs(),
    advanceTo,
    advanceBy: (ms: number) => advanceTo(cluster.nowMs() + ms),
  };
}

/** A view of `cluster` that records every facade call; `sleep` also ends at a quiet point. */
export function recordingCluster(cluster: ClusterApi, recorder: Recorder): ClusterApi {
  const admin = wrapMethods(cluster.admin, 'admin', recorder);
  const faults = wrapMethods(cluster.faults, 'faults', recorder);
  const client = 'client' in cluster ? wrapMethods((cluster as { client: object }).client, 'client', recorder) : undefined;
  return new Proxy(cluster, {
    get(object, key, receiver) {
      if (key === 'admin') return admin;
      if (key === 'faults') return faults;
      if (key === 'client' && client) return client;
      if (key === 'broker') return (id: number) => wrapMethods(object.broker(id), `broker.${id}`, recorder);
      if (key === 'sleep') return (ms: number) => atQuietPoint(object.sleep(ms));
      const value = Reflect.get(object, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value;
    },
  });
}

function target(cluster: ClusterApi, path: string): { object: Record<string, unknown>; method: string } {
  if (!pathPattern.test(path) || path.startsWith('lab.')) throw new RecordingError(`not a replayable call: ${path}`);
  const parts = path.split('.');
  const method = parts.at(-1) ?? '';
  const object =
    parts[0] === 'broker' ? cluster.broker(Number(parts[1])) : (cluster as unknown as Record<string, unknown>)[parts[0] ?? ''];
  if (!object || typeof (object as Record<string, unknown>)[method] !== 'function') throw new RecordingError(`no such call: ${path}`);
  return { object: object as Record<string, unknown>, method };
}

/** A rebuilt cluster and the built-in clients the replay started on it. */
export interface Replayed {
  readonly cluster: Cluster;
  readonly clients: LabClients | null;
}

/** Re-issues one built-in client command on the rebuilt cluster's clients. */
function replayClientCommand(clients: LabClients, call: RecordedCall): void {
  const [arg] = call.args.map(decodeArg);
  const method = call.path.slice('lab.clients.'.length);
  const run = (): Promise<unknown> => {
    if (method === 'startConsumers') return clients.startConsumers(arg as Parameters<LabClients['startConsumers']>[0]);
    if (method === 'startProducer') return clients.startProducer(arg as Parameters<LabClients['startProducer']>[0]);
    return clients.stop(String(arg));
  };
  run().catch(() => undefined);
}

function applyCall(cluster: Cluster, call: RecordedCall): void {
  if (call.path === 'unrecordable') throw new RecordingError('this run contains a call that cannot be replayed');
  if (call.timeMs > cluster.nowMs()) cluster.advanceTo(call.timeMs);
  const { object, method } = target(cluster, call.path);
  try {
    const result = (object[method] as (...a: unknown[]) => unknown).apply(object, call.args.map(decodeArg));
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // The call failed the same way it failed live; the state it leaves is what matters.
  }
}

/**
 * Build a cluster from `options` and re-apply the recorded inputs up to `untilMs` of virtual
 * time; with `untilSeq`, only those that came before trace event `untilSeq` happened.
 * Built-in client commands run on the clients `clientsFor` makes for the new cluster.
 */
export async function replay(
  options: ClusterOptions,
  calls: readonly RecordedCall[],
  untilMs: number,
  untilSeq?: number,
  clientsFor?: (cluster: Cluster) => LabClients,
): Promise<Replayed> {
  const cluster = new Cluster(options);
  let clients: LabClients | null = null;
  const count = untilSeq === undefined ? calls.length : inputsUpTo(calls, untilSeq);
  for (const call of calls.slice(0, count)) {
    if (call.timeMs > untilMs && untilSeq === undefined) break;
    if (call.joined !== true) await quietPoint();
    if (call.path === tickPath) {
      cluster.advanceTo(Math.max(call.timeMs, cluster.nowMs()));
    } else if (call.path.startsWith('lab.clients.')) {
      if (!clientsFor) throw new RecordingError('this run started built-in clients, which this host cannot replay');
      if (call.timeMs > cluster.nowMs()) cluster.advanceTo(call.timeMs);
      clients ??= clientsFor(cluster);
      replayClientCommand(clients, call);
    } else {
      applyCall(cluster, call);
    }
  }
  await quietPoint();
  if (untilSeq === undefined && untilMs > cluster.nowMs()) {
    cluster.advanceTo(untilMs);
    await quietPoint();
  }
  return { cluster, clients };
}

export function encodeRun(run: RunRecord): string {
  const text = JSON.stringify(run);
  const packed = deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
  if (packed.length > recordingLimits.linkBytesMax) throw new RecordingError('this run is too long to share as a link');
  return packed;
}

export function decodeRun(packed: string): RunRecord {
  if (packed.length > recordingLimits.linkBytesMax || !/^[A-Za-z0-9_-]+$/.test(packed)) throw new RecordingError('malformed run link');
  let text: string;
  try {
    text = inflateRawSync(Buffer.from(packed, 'base64url'), { maxOutputLength: recordingLimits.inflatedBytesMax }).toString('utf8');
  } catch {
    throw new RecordingError('malformed run link');
  }
  const run = JSON.parse(text) as RunRecord;
  if (run?.version !== 1 || !Array.isArray(run.calls) || typeof run.atMs !== 'number' || typeof run.options !== 'object') {
    throw new RecordingError('malformed run link');
  }
  if (run.calls.length > recordingLimits.callsMax) throw new RecordingError('run link has too many steps');
  for (const call of run.calls) {
    const badSeq = (call.afterSeq !== undefined && typeof call.afterSeq !== 'number') || (call.joined !== undefined && call.joined !== true);
    if (typeof call.timeMs !== 'number' || badSeq || typeof call.path !== 'string' || !Array.isArray(call.args) || !pathPattern.test(call.path)) {
      throw new RecordingError('malformed run link');
    }
  }
  return run;
}
