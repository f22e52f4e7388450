/**
 * Shared fixtures for the storage tests: a seeded PRNG, a manual clock, a reversible fake codec
 * (the engine carries no real codec), and small batch builders.
 */
import { BatchIterator } from './batch';
import { defaultLogConfig, type LogConfig } from './config';
import type { CompressionCodecs } from './compression';
import type { StorageEvent } from './events';
import { Log } from './log';
import { decodeRecordBatch, encodeRecordBatch, type DecodedRecordBatch, type RecordInput } from './records';
import type { RemoteStorage } from './remote';
import { MemoryLogStore, type LogStore } from './store';

/** mulberry32: small, fast, good enough for test inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class ManualClock {
  constructor(public nowMs = 1_700_000_000_000) {}
  readonly now = (): number => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** A length-prefixed, byte-flipping "codec" so compressed paths run without node:zlib. */
const fakeCodec = {
  compress(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(data.length + 4);
    new DataView(out.buffer).setUint32(0, data.length);
    for (let i = 0; i < data.length; i++) out[i + 4] = data[i]! ^ 0x5a;
    return out;
  },
  decompress(data: Uint8Array): Uint8Array {
    const n = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
    if (n !== data.length - 4) throw new Error('bad length prefix');
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = data[i + 4]! ^ 0x5a;
    return out;
  },
};
export const fakeCodecs: CompressionCodecs = { gzip: fakeCodec, snappy: fakeCodec, lz4: fakeCodec, zstd: fakeCodec };

export function batch(records: RecordInput[], extra: Partial<Parameters<typeof encodeRecordBatch>[0]> = {}): Uint8Array {
  return encodeRecordBatch({ records, ...extra });
}

export function kv(key: string, value: string | null, timestamp: number): RecordInput {
  return { key, value, timestamp };
}

export interface TestLog {
  log: Log;
  store: LogStore;
  clock: ManualClock;
  events: StorageEvent[];
  reopen: () => Log;
}

export function makeLog(config: Partial<LogConfig> = {}, opts: { store?: LogStore; remote?: RemoteStorage; topic?: string; clock?: ManualClock } = {}): TestLog {
  const store = opts.store ?? new MemoryLogStore();
  const clock = opts.clock ?? new ManualClock();
  const events: StorageEvent[] = [];
  const cfg = { ...defaultLogConfig, ...config };
  const build = () =>
    new Log({ topic: opts.topic ?? 't', partition: 0, config: cfg, store, remote: opts.remote, codecs: fakeCodecs, nowMs: clock.now, emit: (e) => events.push(e) });
  return { log: build(), store, clock, events, reopen: build };
}

/** Reads every record from `from` to the log end, following nextOffset, with keys/values as text. */
export function readAll(log: Log, from = log.logStartOffset, upperBoundOffset?: number): Array<{ offset: number; key: string | null; value: string | null; timestamp: number }> {
  const out: Array<{ offset: number; key: string | null; value: string | null; timestamp: number }> = [];
  const dec = new TextDecoder();
  let offset = from;
  for (;;) {
    const r = log.read(offset, { maxBytes: 64 * 1024, upperBoundOffset });
    if (r.bytes.length === 0) break;
    for (const b of decodeAll(r.bytes)) {
      for (const rec of b.records) {
        if (rec.offset < offset) continue;
        out.push({ offset: rec.offset, key: rec.key && dec.decode(rec.key), value: rec.value && dec.decode(rec.value), timestamp: rec.timestamp });
      }
    }
    offset = r.nextOffset;
  }
  return out;
}

export function decodeAll(bytes: Uint8Array): DecodedRecordBatch[] {
  const it = new BatchIterator(bytes);
  const out: DecodedRecordBatch[] = [];
  while (it.next()) out.push(decodeRecordBatch(bytes, fakeCodecs, it.position));
  return out;
}
