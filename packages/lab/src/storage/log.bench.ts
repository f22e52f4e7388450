/**
 * Log throughput: append and read of 1 KiB records in batches of 100 on the in-memory store,
 * each compared with a plain Buffer.copy of the same bytes measured in the same run.
 * Appending validates every batch (CRC-32C over the whole batch, a record walk without
 * allocation) and stamps offsets in place; reading returns views of the stored bytes.
 *
 * Run alone with `npx tsx packages/lab/src/storage/log.bench.ts`; `npm run bench` calls benchLog().
 */
import { pathToFileURL } from 'node:url';
import { defaultLogConfig, encodeRecordBatch, Log, MemoryLogStore } from '@kil/engine';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  ratio?: number;
  note?: string;
}

const RECORD_BYTES = 1024;
const RECORDS_PER_BATCH = 100;
const TOTAL_BYTES = 128 * 1024 * 1024;
const READ_MAX_BYTES = 1024 * 1024;
const DISTINCT_BATCHES = 16;

function makeBatches(): Uint8Array[] {
  const value = new Uint8Array(RECORD_BYTES);
  for (let i = 0; i < value.length; i++) value[i] = (i * 31 + 7) & 0xff;
  return Array.from({ length: DISTINCT_BATCHES }, (_, b) =>
    encodeRecordBatch({
      records: Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: `key-${b}-${i}`, value, timestamp: 1_700_000_000_000 + i })),
    }),
  );
}

function mbPerSecond(bytes: number, ms: number): number {
  return bytes / (1024 * 1024) / (ms / 1000);
}

function timeCopy(batches: Uint8Array[], count: number): { bytes: number; ms: number } {
  const sources = batches.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const total = sources.reduce((n, s) => n + s.length, 0) * Math.ceil(count / sources.length);
  const start = performance.now();
  const dest = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const src = sources[i % sources.length]!;
    src.copy(dest, pos);
    pos += src.length;
  }
  return { bytes: pos, ms: performance.now() - start };
}

function timeAppend(batches: Uint8Array[], count: number): { log: Log; bytes: number; ms: number } {
  const log = new Log({ topic: 'bench', partition: 0, config: defaultLogConfig, store: new MemoryLogStore(), nowMs: () => 1_700_000_000_000 });
  let bytes = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) bytes += log.appendAsLeader(batches[i % batches.length]!, 0).sizeBytes;
  return { log, bytes, ms: performance.now() - start };
}

function timeRead(log: Log): { bytes: number; ms: number } {
  let bytes = 0;
  let offset = log.logStartOffset;
  const start = performance.now();
  while (offset < log.logEndOffset) {
    const r = log.read(offset, { maxBytes: READ_MAX_BYTES });
    bytes += r.bytes.length;
    offset = r.nextOffset;
  }
  return { bytes, ms: performance.now() - start };
}

export async function benchLog(): Promise<BenchResult[]> {
  const batches = makeBatches();
  const count = Math.floor(TOTAL_BYTES / batches[0]!.length);
  // One warm-up round so that the JIT has compiled the hot paths before we measure.
  timeAppend(batches, Math.floor(count / 8));
  timeCopy(batches, Math.floor(count / 8));
  const copy = timeCopy(batches, count);
  const append = timeAppend(batches, count);
  const read = timeRead(append.log);
  const copyRate = mbPerSecond(copy.bytes, copy.ms);
  const appendRate = mbPerSecond(append.bytes, append.ms);
  const readRate = mbPerSecond(read.bytes, read.ms);
  const shape = `${count} batches x ${RECORDS_PER_BATCH} records x ${RECORD_BYTES} B, in-memory store`;
  return [
    { name: 'log.copy-baseline', value: round(copyRate), unit: 'MB/s', note: `Buffer.copy of the same ${(copy.bytes / 2 ** 20).toFixed(0)} MiB into fresh memory` },
    { name: 'log.append', value: round(appendRate), unit: 'MB/s', ratio: round(appendRate / copyRate, 3), note: `appendAsLeader, ${shape}; ratio to Buffer.copy (aim >= 0.3)` },
    { name: 'log.read', value: round(readRate), unit: 'MB/s', ratio: round(readRate / copyRate, 3), note: `read() with maxBytes ${READ_MAX_BYTES}, whole log in order; ratio to Buffer.copy` },
  ];
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void benchLog().then((results) => {
    for (const r of results) console.log(`${r.name.padEnd(20)} ${String(r.value).padStart(9)} ${r.unit}${r.ratio !== undefined ? `  ratio ${r.ratio}` : ''}  ${r.note ?? ''}`);
  });
}
