/**
 * Records inside a v2 batch: encode and decode, with the codec port for compressed batches.
 *
 *   record: length varint | attributes i8 | timestampDelta varlong | offsetDelta varint |
 *           keyLength varint | key | valueLength varint | value | headersCount varint |
 *           (headerKeyLength varint | headerKey | headerValueLength varint | headerValue)*
 *
 * A record's timestamp is `baseTimestamp + timestampDelta`, except in LogAppendTime batches
 * where every record carries the batch's `maxTimestamp`. Control batches (transaction markers)
 * hold one record whose key is `version i16 | type i16` (0 abort, 1 commit) and whose value is
 * `version i16 | coordinatorEpoch i32`.
 */
import { assert } from '../assert';
import { KafkaError } from '../errors';
import {
  ATTR_CONTROL, ATTR_DELETE_HORIZON, ATTR_LOG_APPEND_TIME, ATTR_TRANSACTIONAL,
  LOG_OVERHEAD, MAGIC_V2, RECORD_BATCH_OVERHEAD, readBatchHeader, writeCrc, type BatchHeader,
} from './batch';
import { codecFor, compressionTypes, type CompressionCodecs, type CompressionType } from './compression';
import { readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeInt64, writeVarint, writeVarlong, type Cursor } from './varint';

export interface RecordHeader {
  key: string;
  value: Uint8Array | null;
}

export interface KafkaRecord {
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: RecordHeader[];
}

export interface DecodedRecordBatch extends BatchHeader {
  records: KafkaRecord[];
}

type Bytes = Uint8Array | string | null | undefined;

export interface RecordInput {
  key?: Bytes;
  value?: Bytes;
  /** Defaults to the batch's `baseTimestamp` option or 0. */
  timestamp?: number;
  headers?: Array<{ key: string; value: Bytes }>;
  /** Defaults to the record's index; compaction keeps original deltas, leaving gaps. */
  offsetDelta?: number;
}

export interface EncodeRecordBatchOptions {
  records: RecordInput[];
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  compression?: CompressionType;
  codecs?: CompressionCodecs;
  timestampType?: 'CreateTime' | 'LogAppendTime';
  /** For LogAppendTime batches: the append time that becomes `maxTimestamp`. */
  logAppendTimeMs?: number;
  /** KIP-534: stored as `baseTimestamp` with attribute bit 6 once the cleaner has set it. */
  deleteHorizonMs?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  /** Overrides `records.length - 1`; a cleaned batch keeps its original last offset. */
  lastOffsetDelta?: number;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

function toBytes(b: Bytes): Uint8Array | null {
  if (b === null || b === undefined) return null;
  return typeof b === 'string' ? utf8Encoder.encode(b) : b;
}

interface PreparedRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: Array<{ key: Uint8Array; value: Uint8Array | null }>;
  timestampDelta: number;
  offsetDelta: number;
  bodySize: number;
}

function prepareRecord(r: RecordInput, index: number, baseTimestamp: number): PreparedRecord {
  const key = toBytes(r.key);
  const value = toBytes(r.value);
  const headers = (r.headers ?? []).map((h) => ({ key: utf8Encoder.encode(h.key), value: toBytes(h.value) }));
  const timestampDelta = (r.timestamp ?? baseTimestamp) - baseTimestamp;
  const offsetDelta = r.offsetDelta ?? index;
  let bodySize = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  bodySize += sizeOfVarint(key ? key.length : -1) + (key?.length ?? 0);
  bodySize += sizeOfVarint(value ? value.length : -1) + (value?.length ?? 0);
  bodySize += sizeOfVarint(headers.length);
  for (const h of headers) {
    bodySize += sizeOfVarint(h.key.length) + h.key.length;
    bodySize += sizeOfVarint(h.value ? h.value.length : -1) + (h.value?.length ?? 0);
  }
  return { key, value, headers, timestampDelta, offsetDelta, bodySize };
}

function writeBytesField(out: Uint8Array, pos: number, b: Uint8Array | null): number {
  pos = writeVarint(out, pos, b ? b.length : -1);
  if (b) {
    out.set(b, pos);
    pos += b.length;
  }
  return pos;
}

function writeRecord(out: Uint8Array, pos: number, r: PreparedRecord): number {
  pos = writeVarint(out, pos, r.bodySize);
  out[pos++] = 0;
  pos = writeVarlong(out, pos, r.timestampDelta);
  pos = writeVarint(out, pos, r.offsetDelta);
  pos = writeBytesField(out, pos, r.key);
  pos = writeBytesField(out, pos, r.value);
  pos = writeVarint(out, pos, r.headers.length);
  for (const h of r.headers) {
    pos = writeBytesField(out, pos, h.key);
    pos = writeBytesField(out, pos, h.value);
  }
  return pos;
}

function encodeRecordsSection(prepared: PreparedRecord[]): Uint8Array {
  let size = 0;
  for (const r of prepared) size += sizeOfVarint(r.bodySize) + r.bodySize;
  const out = new Uint8Array(size);
  let pos = 0;
  for (const r of prepared) pos = writeRecord(out, pos, r);
  assert(pos === size, 'record sizes were computed exactly');
  return out;
}

/** Builds a complete record batch v2 with a valid CRC. */
export function encodeRecordBatch(opts: EncodeRecordBatchOptions): Uint8Array {
  const compression = opts.compression ?? 'none';
  const timestamps = opts.records.map((r) => r.timestamp ?? 0);
  const firstTimestamp = timestamps[0] ?? opts.logAppendTimeMs ?? 0;
  const baseTimestamp = opts.deleteHorizonMs ?? firstTimestamp;
  const prepared = opts.records.map((r, i) => prepareRecord({ ...r, timestamp: r.timestamp ?? firstTimestamp }, i, baseTimestamp));
  let section = encodeRecordsSection(prepared);
  if (compression !== 'none') section = codecFor(opts.codecs, compression).compress(section);
  const logAppendTime = opts.timestampType === 'LogAppendTime';
  const maxTimestamp = logAppendTime ? (opts.logAppendTimeMs ?? firstTimestamp) : timestamps.length ? Math.max(...timestamps) : -1;
  let attributes = compressionTypes.indexOf(compression);
  if (logAppendTime) attributes |= ATTR_LOG_APPEND_TIME;
  if (opts.isTransactional) attributes |= ATTR_TRANSACTIONAL;
  if (opts.isControl) attributes |= ATTR_CONTROL;
  if (opts.deleteHorizonMs !== undefined) attributes |= ATTR_DELETE_HORIZON;
  const out = new Uint8Array(RECORD_BATCH_OVERHEAD + section.length);
  const v = new DataView(out.buffer);
  writeInt64(v, 0, opts.baseOffset ?? 0);
  v.setInt32(8, out.length - LOG_OVERHEAD);
  v.setInt32(12, opts.partitionLeaderEpoch ?? -1);
  v.setInt8(16, MAGIC_V2);
  v.setInt16(21, attributes);
  v.setInt32(23, opts.lastOffsetDelta ?? Math.max(0, opts.records.length - 1));
  writeInt64(v, 27, baseTimestamp);
  writeInt64(v, 35, maxTimestamp);
  writeInt64(v, 43, opts.producerId ?? -1);
  v.setInt16(51, opts.producerEpoch ?? -1);
  v.setInt32(53, opts.baseSequence ?? -1);
  v.setInt32(57, opts.records.length);
  out.set(section, RECORD_BATCH_OVERHEAD);
  writeCrc(out, 0, out.length);
  return out;
}

/** The batch's records section, decompressed if needed. */
export function recordsSection(bytes: Uint8Array, h: BatchHeader, codecs?: CompressionCodecs): Uint8Array {
  const raw = bytes.subarray(h.position + RECORD_BATCH_OVERHEAD, h.position + h.sizeBytes);
  if (h.compression === 'none') return raw;
  try {
    return codecFor(codecs, h.compression).decompress(raw);
  } catch (e) {
    if (e instanceof KafkaError) throw e;
    throw new KafkaError('CORRUPT_MESSAGE', `The ${h.compression} payload of the batch at offset ${h.baseOffset} does not decompress: ${(e as Error).message}.`, 'The producer sent damaged compressed data.');
  }
}

function readBytesField(bytes: Uint8Array, cur: Cursor, end: number): Uint8Array | null {
  const len = readVarint(bytes, cur, end);
  if (len < 0) return null;
  if (cur.pos + len > end) throw corrupt('a key, value or header runs past the end of its record');
  const out = bytes.subarray(cur.pos, cur.pos + len);
  cur.pos += len;
  return out;
}

function corrupt(what: string): KafkaError {
  return new KafkaError('CORRUPT_MESSAGE', `Malformed record: ${what}.`, 'Check the producer writes record batch v2 correctly.');
}

function readRecord(section: Uint8Array, cur: Cursor, h: BatchHeader): KafkaRecord {
  const length = readVarint(section, cur);
  const end = cur.pos + length;
  if (length < 0 || end > section.length) throw corrupt('record length runs past the batch');
  cur.pos++; // record attributes are unused in v2
  const timestampDelta = readVarlong(section, cur, end);
  const offsetDelta = readVarint(section, cur, end);
  const key = readBytesField(section, cur, end);
  const value = readBytesField(section, cur, end);
  const headerCount = readVarint(section, cur, end);
  if (headerCount < 0) throw corrupt('negative header count');
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const hk = readBytesField(section, cur, end);
    if (hk === null) throw corrupt('null header key');
    headers.push({ key: utf8Decoder.decode(hk), value: readBytesField(section, cur, end) });
  }
  if (cur.pos !== end) throw corrupt('record length does not match its fields');
  const timestamp = h.timestampType === 'LogAppendTime' ? h.maxTimestamp : h.baseTimestamp + timestampDelta;
  return { offset: h.baseOffset + offsetDelta, timestamp, key, value, headers };
}

/** Decodes the batch at `position` with all its records (keys and values are views). */
export function decodeRecordBatch(bytes: Uint8Array, codecs?: CompressionCodecs, position = 0): DecodedRecordBatch {
  const h = readBatchHeader(bytes, position);
  if (h.sizeBytes > bytes.length - position) throw corrupt(`batch declares ${h.sizeBytes} bytes but only ${bytes.length - position} are present`);
  const section = recordsSection(bytes, h, codecs);
  const cur: Cursor = { pos: 0 };
  const records: KafkaRecord[] = [];
  for (let i = 0; i < h.recordsCount; i++) records.push(readRecord(section, cur, h));
  if (cur.pos !== section.length) throw corrupt('bytes left over after the last record');
  return { ...h, records };
}

/**
 * Walks the records of an uncompressed section without allocating, checking that lengths add
 * up, offset deltas run 0..count-1 and (for compacted topics) every key is non-null.
 */
export function checkRecordsSection(section: Uint8Array, count: number, requireKeys: boolean, cur: Cursor): void {
  cur.pos = 0;
  for (let i = 0; i < count; i++) {
    const length = readVarint(section, cur);
    const end = cur.pos + length;
    if (length < 0 || end > section.length) throw corrupt('record length runs past the batch');
    cur.pos++;
    readVarlong(section, cur, end);
    if (readVarint(section, cur, end) !== i) {
      throw new KafkaError('INVALID_RECORD', `Record ${i} of the batch has a wrong offsetDelta.`, 'Records in a produced batch must have offset deltas 0, 1, 2, ...');
    }
    const keyLength = readVarint(section, cur, end);
    if (keyLength < 0 && requireKeys) {
      throw new KafkaError('INVALID_RECORD', 'Compacted topic cannot accept a record without a key.', 'Give every record a key, or use cleanup.policy=delete.');
    }
    cur.pos = end; // the rest of the record is length-checked when it is decoded
  }
  if (cur.pos !== section.length) throw corrupt('bytes left over after the last record');
}

export type ControlRecordType = 'ABORT' | 'COMMIT';

/** Builds a transaction marker batch (attributes 0x30, baseSequence -1). */
export function encodeEndTxnMarker(opts: {
  producerId: number; producerEpoch: number; commit: boolean; coordinatorEpoch: number; timestamp: number; baseOffset?: number; partitionLeaderEpoch?: number;
}): Uint8Array {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setInt16(2, opts.commit ? 1 : 0);
  const value = new Uint8Array(6);
  new DataView(value.buffer).setInt32(2, opts.coordinatorEpoch);
  return encodeRecordBatch({
    records: [{ key, value, timestamp: opts.timestamp }],
    baseOffset: opts.baseOffset ?? 0,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? -1,
    producerId: opts.producerId,
    producerEpoch: opts.producerEpoch,
    baseSequence: -1,
    isTransactional: true,
    isControl: true,
  });
}

/** Reads a control record's key: ABORT (0) or COMMIT (1); other types are unknown. */
export function controlRecordType(key: Uint8Array | null): ControlRecordType | undefined {
  if (!key || key.length < 4) return undefined;
  const type = new DataView(key.buffer, key.byteOffset, key.byteLength).getInt16(2);
  return type === 0 ? 'ABORT' : type === 1 ? 'COMMIT' : undefined;
}

