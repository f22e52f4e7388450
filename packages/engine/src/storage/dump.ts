/**
 * A segment dump with the information of Kafka's `kafka-dump-log --print-data-log`:
 * batch boundaries, offsets, position, CRC and validity, producer fields, and records.
 * `dumpBatches` gives the structured form (for visualisations); `formatDump` the text form
 * (for the shell), with Kafka's field names and order.
 */
import { BatchIterator, checkBatchIntegrity, type BatchHeader } from './batch';
import type { CompressionCodecs } from './compression';
import type { Log } from './log';
import { controlRecordType, decodeRecordBatch, type KafkaRecord } from './records';

export interface DumpedBatch extends BatchHeader {
  isValid: boolean;
  records?: KafkaRecord[];
  error?: string;
}

export interface SegmentDump {
  fileName: string;
  baseOffset: number;
  batches: DumpedBatch[];
  offsetIndex: Array<{ offset: number; position: number }>;
  timeIndex: Array<{ timestamp: number; offset: number }>;
}

export interface DumpOptions {
  printDataLog?: boolean;
  codecs?: CompressionCodecs;
}

export function dumpBatches(bytes: Uint8Array, opts: DumpOptions = {}): DumpedBatch[] {
  const out: DumpedBatch[] = [];
  const it = new BatchIterator(bytes);
  while (it.next()) {
    const header = it.header();
    let isValid = true;
    let error: string | undefined;
    try {
      checkBatchIntegrity(it);
    } catch (e) {
      isValid = false;
      error = (e as Error).message;
    }
    const entry: DumpedBatch = { ...header, isValid };
    if (error) entry.error = error;
    if (opts.printDataLog && isValid) {
      try {
        entry.records = decodeRecordBatch(bytes, opts.codecs, it.position).records;
      } catch (e) {
        entry.error = (e as Error).message;
      }
    }
    out.push(entry);
  }
  return out;
}

/** Structured dump of every local segment of a log. */
export function dumpLog(log: Log, opts: DumpOptions = {}): SegmentDump[] {
  const codecs = opts.codecs ?? log.compressionCodecs;
  return log.segmentObjects().map((seg) => ({
    fileName: seg.logFile,
    baseOffset: seg.baseOffset,
    batches: dumpBatches(seg.readAll(), { ...opts, codecs }),
    offsetIndex: seg.offsetIndex.offsets.map((offset, i) => ({ offset, position: seg.offsetIndex.positions[i]! })),
    timeIndex: seg.timeIndex.timestamps.map((timestamp, i) => ({ timestamp, offset: seg.timeIndex.offsets[i]! })),
  }));
}

const decoder = new TextDecoder();

function show(b: Uint8Array | null): string {
  return b === null ? 'null' : decoder.decode(b);
}

function formatRecord(r: KafkaRecord, b: DumpedBatch): string {
  const seq = b.baseSequence < 0 ? -1 : b.baseSequence + (r.offset - b.baseOffset);
  let line = `| offset: ${r.offset} ${b.timestampType}: ${r.timestamp} keySize: ${r.key?.length ?? -1} valueSize: ${r.value?.length ?? -1} sequence: ${seq} headerKeys: [${r.headers.map((h) => h.key).join(',')}]`;
  if (b.isControl) {
    const type = controlRecordType(r.key);
    const epoch = r.value && r.value.length >= 6 ? new DataView(r.value.buffer, r.value.byteOffset, r.value.byteLength).getInt32(2) : -1;
    line += ` endTxnMarker: ${type ?? 'UNKNOWN'} coordinatorEpoch: ${epoch}`;
  } else {
    line += ` key: ${show(r.key)} payload: ${show(r.value)}`;
  }
  return line;
}

function formatBatch(b: DumpedBatch): string {
  const lastSequence = b.baseSequence < 0 ? -1 : b.baseSequence + b.lastOffsetDelta;
  const horizon = b.hasDeleteHorizon ? `OptionalLong[${b.baseTimestamp}]` : 'OptionalLong.empty';
  return (
    `baseOffset: ${b.baseOffset} lastOffset: ${b.lastOffset} count: ${b.recordsCount} baseSequence: ${b.baseSequence} lastSequence: ${lastSequence} ` +
    `producerId: ${b.producerId} producerEpoch: ${b.producerEpoch} partitionLeaderEpoch: ${b.partitionLeaderEpoch} isTransactional: ${b.isTransactional} ` +
    `isControl: ${b.isControl} deleteHorizonMs: ${horizon} position: ${b.position} ${b.timestampType}: ${b.maxTimestamp} size: ${b.sizeBytes} ` +
    `magic: ${b.magic} compresscodec: ${b.compression} crc: ${b.crc} isvalid: ${b.isValid}`
  );
}

/** Text like `kafka-dump-log --files <segment>.log [--print-data-log]`. */
export function formatDump(dumps: SegmentDump[], opts: { printDataLog?: boolean; indexes?: boolean } = {}): string {
  const lines: string[] = [];
  for (const d of dumps) {
    lines.push(`Dumping ${d.fileName}`, `Log starting offset: ${d.baseOffset}`);
    for (const b of d.batches) {
      lines.push(formatBatch(b));
      if (b.error) lines.push(`| error: ${b.error}`);
      if (opts.printDataLog) for (const r of b.records ?? []) lines.push(formatRecord(r, b));
    }
    if (opts.indexes) {
      lines.push(`Dumping ${d.fileName.replace(/\.log$/, '.index')}`);
      for (const e of d.offsetIndex) lines.push(`offset: ${e.offset} position: ${e.position}`);
      lines.push(`Dumping ${d.fileName.replace(/\.log$/, '.timeindex')}`);
      for (const e of d.timeIndex) lines.push(`timestamp: ${e.timestamp} offset: ${e.offset}`);
    }
  }
  return lines.join('\n');
}
