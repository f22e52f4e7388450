/**
 * Record batch v2 header layout (wire-protocol §7), read and patched in place.
 *
 *   baseOffset i64 | batchLength i32 | partitionLeaderEpoch i32 | magic i8 | crc u32 |
 *   attributes i16 | lastOffsetDelta i32 | baseTimestamp i64 | maxTimestamp i64 |
 *   producerId i64 | producerEpoch i16 | baseSequence i32 | recordsCount i32 | records...
 *
 * The hot path (append, replication, fetch) only ever needs these 61 bytes: `BatchIterator`
 * walks concatenated batches and exposes header fields through getters over one DataView,
 * so iterating a fetch response allocates nothing per batch or record.
 */
import { KafkaError } from '../errors';
import { crc32c } from './crc32c';
import { compressionTypeOf, type CompressionType } from './compression';
import { readInt64, writeInt64 } from './varint';

export const BASE_OFFSET_OFFSET = 0;
export const LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
/** Size of the batch header; records start here. */
export const RECORD_BATCH_OVERHEAD = 61;
/** baseOffset + batchLength: the part of the header not counted by batchLength. */
export const LOG_OVERHEAD = 12;
export const MAGIC_V2 = 2;

export const ATTR_COMPRESSION_MASK = 0x07;
export const ATTR_LOG_APPEND_TIME = 0x08;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;
export const ATTR_DELETE_HORIZON = 0x40;

export const NO_PRODUCER_ID = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;

/** Everything in a batch header, plus where the batch sits. Allocated only off the hot path. */
export interface BatchHeader {
  position: number;
  sizeBytes: number;
  baseOffset: number;
  lastOffset: number;
  lastOffsetDelta: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionType;
  timestampType: 'CreateTime' | 'LogAppendTime';
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/**
 * Walks concatenated batches. `next()` moves to the next complete batch and returns false at
 * the end; a trailing partial batch (as a size-limited fetch may carry) ends the walk and sets
 * `partialTail`. Structural garbage (a length below the header size) throws CORRUPT_MESSAGE.
 */
export class BatchIterator {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  private readonly end: number;
  /** Position of the current batch within `bytes`. */
  position = -1;
  sizeBytes = 0;
  partialTail = false;
  private nextPosition: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.nextPosition = start;
    this.end = end;
  }

  next(): boolean {
    const pos = this.nextPosition;
    const remaining = this.end - pos;
    if (remaining < LOG_OVERHEAD) {
      this.partialTail = remaining > 0;
      return false;
    }
    const batchLength = this.view.getInt32(pos + LENGTH_OFFSET);
    if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
      throw new KafkaError('CORRUPT_MESSAGE', `Batch at position ${pos} declares batchLength ${batchLength}, below the ${RECORD_BATCH_OVERHEAD - LOG_OVERHEAD}-byte minimum.`, 'The bytes are not a record batch v2; check the producer and the request framing.');
    }
    if (remaining < LOG_OVERHEAD + batchLength) {
      this.partialTail = true;
      return false;
    }
    this.position = pos;
    this.sizeBytes = LOG_OVERHEAD + batchLength;
    this.nextPosition = pos + this.sizeBytes;
    return true;
  }

  /** Position just after the last complete batch seen so far. */
  get validBytesEnd(): number {
    return this.nextPosition;
  }

  get baseOffset(): number {
    return readInt64(this.view, this.position);
  }
  get lastOffsetDelta(): number {
    return this.view.getInt32(this.position + LAST_OFFSET_DELTA_OFFSET);
  }
  get lastOffset(): number {
    return this.baseOffset + this.lastOffsetDelta;
  }
  get partitionLeaderEpoch(): number {
    return this.view.getInt32(this.position + PARTITION_LEADER_EPOCH_OFFSET);
  }
  get magic(): number {
    return this.view.getInt8(this.position + MAGIC_OFFSET);
  }
  get attributes(): number {
    return this.view.getInt16(this.position + ATTRIBUTES_OFFSET);
  }
  get isControl(): boolean {
    return (this.attributes & ATTR_CONTROL) !== 0;
  }
  get isTransactional(): boolean {
    return (this.attributes & ATTR_TRANSACTIONAL) !== 0;
  }
  get baseTimestamp(): number {
    return readInt64(this.view, this.position + BASE_TIMESTAMP_OFFSET);
  }
  get maxTimestamp(): number {
    return readInt64(this.view, this.position + MAX_TIMESTAMP_OFFSET);
  }
  get producerId(): number {
    return readInt64(this.view, this.position + PRODUCER_ID_OFFSET);
  }
  get producerEpoch(): number {
    return this.view.getInt16(this.position + PRODUCER_EPOCH_OFFSET);
  }
  get baseSequence(): number {
    return this.view.getInt32(this.position + BASE_SEQUENCE_OFFSET);
  }
  get recordsCount(): number {
    return this.view.getInt32(this.position + RECORDS_COUNT_OFFSET);
  }
  /** The current batch's bytes, as a view (no copy). */
  batchBytes(): Uint8Array {
    return this.bytes.subarray(this.position, this.position + this.sizeBytes);
  }
  /** True when the stored CRC matches the bytes from `attributes` to the end. */
  crcValid(): boolean {
    const stored = this.view.getUint32(this.position + CRC_OFFSET);
    return stored === crc32c(this.bytes, this.position + ATTRIBUTES_OFFSET, this.position + this.sizeBytes);
  }
  header(): BatchHeader {
    return readBatchHeader(this.bytes, this.position);
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes the header of the batch starting at `position` into a plain object. */
export function readBatchHeader(bytes: Uint8Array, position = 0): BatchHeader {
  if (bytes.length - position < RECORD_BATCH_OVERHEAD) {
    throw new KafkaError('CORRUPT_MESSAGE', `Only ${bytes.length - position} bytes left at position ${position}; a batch header needs ${RECORD_BATCH_OVERHEAD}.`, 'The batch is truncated.');
  }
  const v = viewOf(bytes);
  const attributes = v.getInt16(position + ATTRIBUTES_OFFSET);
  const baseOffset = readInt64(v, position);
  const lastOffsetDelta = v.getInt32(position + LAST_OFFSET_DELTA_OFFSET);
  return {
    position,
    sizeBytes: LOG_OVERHEAD + v.getInt32(position + LENGTH_OFFSET),
    baseOffset,
    lastOffset: baseOffset + lastOffsetDelta,
    lastOffsetDelta,
    partitionLeaderEpoch: v.getInt32(position + PARTITION_LEADER_EPOCH_OFFSET),
    magic: v.getInt8(position + MAGIC_OFFSET),
    crc: v.getUint32(position + CRC_OFFSET),
    attributes,
    compression: compressionTypeOf(attributes & ATTR_COMPRESSION_MASK),
    timestampType: attributes & ATTR_LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & ATTR_TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTR_CONTROL) !== 0,
    hasDeleteHorizon: (attributes & ATTR_DELETE_HORIZON) !== 0,
    baseTimestamp: readInt64(v, position + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: readInt64(v, position + MAX_TIMESTAMP_OFFSET),
    producerId: readInt64(v, position + PRODUCER_ID_OFFSET),
    producerEpoch: v.getInt16(position + PRODUCER_EPOCH_OFFSET),
    baseSequence: v.getInt32(position + BASE_SEQUENCE_OFFSET),
    recordsCount: v.getInt32(position + RECORDS_COUNT_OFFSET),
  };
}

/** All complete batches in `bytes`, as header objects (convenient, allocates). */
export function listBatches(bytes: Uint8Array): BatchHeader[] {
  const it = new BatchIterator(bytes);
  const out: BatchHeader[] = [];
  while (it.next()) out.push(it.header());
  return out;
}

/**
 * Checks what every stored batch must satisfy (magic 2, known codec, CRC-32C). Used for
 * leader appends, follower appends and crash recovery alike.
 */
export function checkBatchIntegrity(it: BatchIterator): void {
  const pos = it.position;
  if (it.magic !== MAGIC_V2) {
    throw new KafkaError('CORRUPT_MESSAGE', `Batch at offset ${it.baseOffset} has magic ${it.magic}; this broker stores only record batch v2 (magic 2).`, 'Use a client that produces with magic 2 (Kafka 0.11 or newer).');
  }
  compressionTypeOf(it.attributes & ATTR_COMPRESSION_MASK);
  if (!it.crcValid()) {
    const stored = it.view.getUint32(pos + CRC_OFFSET);
    throw new KafkaError('CORRUPT_MESSAGE', `Batch at position ${pos} fails its CRC-32C check (stored ${stored}).`, 'The bytes were damaged in transit or on disk; the producer will retry.');
  }
}

/** Stamps the broker-assigned fields, which the CRC does not cover. */
export function assignOffsetAndEpoch(bytes: Uint8Array, position: number, baseOffset: number, partitionLeaderEpoch: number): void {
  const v = viewOf(bytes);
  writeInt64(v, position + BASE_OFFSET_OFFSET, baseOffset);
  v.setInt32(position + PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
}

/** Turns a batch into a LogAppendTime batch stamped `nowMs`; the CRC is recomputed. */
export function setLogAppendTime(bytes: Uint8Array, position: number, sizeBytes: number, nowMs: number): void {
  const v = viewOf(bytes);
  v.setInt16(position + ATTRIBUTES_OFFSET, v.getInt16(position + ATTRIBUTES_OFFSET) | ATTR_LOG_APPEND_TIME);
  writeInt64(v, position + MAX_TIMESTAMP_OFFSET, nowMs);
  writeCrc(bytes, position, sizeBytes);
}

export function writeCrc(bytes: Uint8Array, position: number, sizeBytes: number): void {
  viewOf(bytes).setUint32(position + CRC_OFFSET, crc32c(bytes, position + ATTRIBUTES_OFFSET, position + sizeBytes));
}
