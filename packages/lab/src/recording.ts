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
  private overflowed = false;

  get calls(): readonly RecordedCall[] {
    return this.entries;
  }

  get replayable(): boolean {
    return !this.overflowed;
  }

  add(call: RecordedCall): void {
    if (this.entries.length >= recordingLimits.callsMax) {
      this.overflowed = true;
      return;
    }
    this.entries.push(call);
  }

  /** Forget everything after `timeMs` (the learner rewound and is starting a new branch). */
  truncateAfter(timeMs: number): void {
    this.entries = this.entries.filter((call) => call.timeMs <= timeMs);
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

/** A view of `cluster` that records every facade call into `log`. */
export function recordingCluster(cluster: ClusterApi, log: InputLog): ClusterApi {
  const record = (path: string, args: unknown[]) => {
    try {
      log.add({ timeMs: cluster.nowMs(), path, args: args.map(encodeArg) as unknown[] });
    } catch {
      log.add({ timeMs: cluster.nowMs(), path: 'unrecordable', args: [] });
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

/** Build a cluster from `options` and re-apply `calls` up to `untilMs` of virtual time. */
export function replay(options: ClusterOptions, calls: readonly RecordedCall[], untilMs: number): Cluster {
  const cluster = new Cluster(options);
  for (const call of calls) {
    if (call.timeMs > untilMs) break;
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
    if (typeof call.timeMs !== 'number' || typeof call.path !== 'string' || !Array.isArray(call.args) || !pathPattern.test(call.path)) {
      throw new RecordingError('malformed run link');
    }
  }
  return run;
}
