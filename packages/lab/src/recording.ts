/**
 * Deterministic time travel for a lab. Every call the lab makes into the cluster's facade
 * (admin, client, faults and per-broker requests) is recorded with the virtual time it
 * was made at. Because the engine is a deterministic simulation, a new cluster built from
 * the same options that receives the same calls at the same virtual times reaches the
 * same state: that is how "rewind" rebuilds the past, and how a shared link reopens it.
 *
 * A call is replayed without advancing the clock when it was made at the time the
 * previous one was, so events scheduled at that instant keep their original order.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Cluster, type ClusterApi, type ClusterOptions } from '@kil/engine';

export interface RecordedCall {
  readonly timeMs: number;
  /** Seq of the last trace event before the call: orders calls among events of one instant. */
  readonly afterSeq?: number;
  /** 'admin.createTopics', 'faults.stopNode', 'client.produce' or 'broker.2.fetch'. */
  readonly path: string;
  readonly args: readonly unknown[];
}

export interface RunRecord {
  readonly version: 1;
  readonly options: ClusterOptions;
  readonly calls: readonly RecordedCall[];
  readonly atMs: number;
}

export const recordingLimits = { callsMax: 20_000, linkBytesMax: 512 * 1024, inflatedBytesMax: 4 * 1024 * 1024 } as const;

const pathPattern = /^(admin|client|faults)\.[A-Za-z]{1,40}$|^broker\.\d{1,3}\.[A-Za-z]{1,40}$/;

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

  /** Forget every call made after trace event `seq` (the learner rewound and starts a new branch). */
  truncateAfter(timeMs: number, seq: number): void {
    this.entries = this.entries.filter((call) => includes(call, timeMs, seq));
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

function wrapMethods<T extends object>(target: T, prefix: string, record: (path: string, args: unknown[]) => void): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        record(`${prefix}.${key}`, args);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

/** Facade calls that return client objects with their own lifecycle. */
const statefulClientCalls = new Set(['client.createProducer', 'client.createConsumer']);

/** Whether a call belongs to the state right after event `seq` at `timeMs`. */
function includes(call: RecordedCall, timeMs: number, seq: number | undefined): boolean {
  if (call.timeMs > timeMs) return false;
  return seq === undefined || call.afterSeq === undefined || call.afterSeq < seq;
}

/** A view of `cluster` that records every facade call into `log`. */
export function recordingCluster(cluster: ClusterApi, log: InputLog): ClusterApi {
  let lastSeq = cluster.events().at(-1)?.seq ?? -1;
  cluster.onEvent((event) => (lastSeq = event.seq));
  const record = (path: string, args: unknown[]) => {
    // A long-lived client object is driven through its own methods, which this proxy does
    // not see; rather than replay a different history, the run stops being rewindable.
    if (statefulClientCalls.has(path)) {
      log.markUnreplayable('Rewind is not available once producers or consumers have run in this lab; use "lab reset" to start again.');
    }
    try {
      log.add({ timeMs: cluster.nowMs(), afterSeq: lastSeq, path, args: args.map(encodeArg) as unknown[] });
    } catch {
      log.add({ timeMs: cluster.nowMs(), afterSeq: lastSeq, path: 'unrecordable', args: [] });
    }
  };
  const admin = wrapMethods(cluster.admin, 'admin', record);
  const faults = wrapMethods(cluster.faults, 'faults', record);
  const client = 'client' in cluster ? wrapMethods((cluster as { client: object }).client, 'client', record) : undefined;
  return new Proxy(cluster, {
    get(object, key, receiver) {
      if (key === 'admin') return admin;
      if (key === 'faults') return faults;
      if (key === 'client' && client) return client;
      if (key === 'broker') return (id: number) => wrapMethods(object.broker(id), `broker.${id}`, record);
      const value = Reflect.get(object, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value;
    },
  });
}

function target(cluster: ClusterApi, path: string): { object: Record<string, unknown>; method: string } {
  if (!pathPattern.test(path)) throw new RecordingError(`not a replayable call: ${path}`);
  const parts = path.split('.');
  const method = parts.at(-1) ?? '';
  const object =
    parts[0] === 'broker' ? cluster.broker(Number(parts[1])) : (cluster as unknown as Record<string, unknown>)[parts[0] ?? ''];
  if (!object || typeof (object as Record<string, unknown>)[method] !== 'function') throw new RecordingError(`no such call: ${path}`);
  return { object: object as Record<string, unknown>, method };
}

/**
 * Build a cluster from `options` and re-apply `calls` up to `untilMs` of virtual time; with
 * `untilSeq`, only the calls made before trace event `untilSeq` happened.
 */
export function replay(options: ClusterOptions, calls: readonly RecordedCall[], untilMs: number, untilSeq?: number): Cluster {
  const cluster = new Cluster(options);
  for (const call of calls) {
    if (call.timeMs > untilMs) break;
    if (!includes(call, untilMs, untilSeq)) continue;
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
  if (untilMs > cluster.nowMs()) cluster.advanceTo(untilMs);
  return cluster;
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
    const badSeq = call.afterSeq !== undefined && typeof call.afterSeq !== 'number';
    if (typeof call.timeMs !== 'number' || badSeq || typeof call.path !== 'string' || !Array.isArray(call.args) || !pathPattern.test(call.path)) {
      throw new RecordingError('malformed run link');
    }
  }
  return run;
}
