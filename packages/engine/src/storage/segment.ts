/**
 * One log segment: `<base>.log` plus its sparse `.index` and `.timeindex` (Kafka's LogSegment).
 *
 * Appends go one batch at a time. Before a batch is written, if more than index.interval.bytes
 * have gone in since the last index entry, an offset index entry (batch last offset -> batch
 * position) is added, and a time index entry for the segment's max timestamp so far if it grew.
 * Reads start at an index entry and scan batch headers forward; records are never decoded
 * except to answer a timestamp query.
 */
import { BatchIterator, checkBatchIntegrity, LOG_OVERHEAD } from './batch';
import type { CompressionCodecs } from './compression';
import { INDEX_SUFFIX, LOG_SUFFIX, segmentFileName, TIME_INDEX_SUFFIX } from './files';
import { OFFSET_INDEX_ENTRY_BYTES, OffsetIndex, TIME_INDEX_ENTRY_BYTES, TimeIndex } from './indexes';
import { decodeRecordBatch } from './records';
import type { LogStore } from './store';

/** How much of a segment file one scan step reads. */
const SCAN_CHUNK_BYTES = 1024 * 1024;

export interface SegmentSettings {
  indexIntervalBytes: number;
  segmentIndexBytes: number;
}

export interface BatchLocation {
  position: number;
  sizeBytes: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

export interface IndexEntryAdded {
  offset: number;
  position: number;
  timestamp: number | undefined;
}

export class LogSegment {
  readonly logFile: string;
  readonly indexFile: string;
  readonly timeIndexFile: string;
  sizeBytes = 0;
  nextOffset: number;
  maxTimestamp = -1;
  offsetOfMaxTimestamp: number;
  /** Timestamp of the first batch: what segment.ms is measured from (Kafka's rollingBasedTimestamp). */
  firstBatchTimestamp: number | undefined;
  lastModifiedMs: number;
  batchCount = 0;
  offsetIndex: OffsetIndex;
  timeIndex: TimeIndex;
  private bytesSinceLastIndexEntry = 0;

  constructor(
    private readonly store: LogStore,
    readonly dir: string,
    readonly baseOffset: number,
    private readonly settings: SegmentSettings,
    readonly createdMs: number,
  ) {
    this.logFile = segmentFileName(baseOffset, LOG_SUFFIX);
    this.indexFile = segmentFileName(baseOffset, INDEX_SUFFIX);
    this.timeIndexFile = segmentFileName(baseOffset, TIME_INDEX_SUFFIX);
    this.nextOffset = baseOffset;
    this.offsetOfMaxTimestamp = baseOffset;
    this.lastModifiedMs = createdMs;
    this.offsetIndex = this.newOffsetIndex();
    this.timeIndex = this.newTimeIndex();
  }

  private newOffsetIndex(): OffsetIndex {
    return new OffsetIndex(this.baseOffset, Math.floor(this.settings.segmentIndexBytes / OFFSET_INDEX_ENTRY_BYTES));
  }
  private newTimeIndex(): TimeIndex {
    return new TimeIndex(this.baseOffset, Math.floor(this.settings.segmentIndexBytes / TIME_INDEX_ENTRY_BYTES));
  }

  /** Creates the (empty) files so that the segment exists on disk. */
  createFiles(): void {
    for (const f of [this.logFile, this.indexFile, this.timeIndexFile]) this.store.append(this.dir, f, new Uint8Array(0));
  }

  get isEmpty(): boolean {
    return this.sizeBytes === 0;
  }

  /** Max timestamp, or last-modified time when no batch carries one (Kafka's largestTimestamp). */
  get largestTimestamp(): number {
    return this.maxTimestamp >= 0 ? this.maxTimestamp : this.lastModifiedMs;
  }

  get indexFull(): boolean {
    return this.offsetIndex.isFull || this.timeIndex.isFull;
  }

  /** Appends one batch whose header fields the caller has already read. */
  append(bytes: Uint8Array, b: BatchLocation, nowMs: number): IndexEntryAdded | undefined {
    const entry = this.track(b, this.sizeBytes, true);
    this.store.append(this.dir, this.logFile, bytes);
    this.sizeBytes += b.sizeBytes;
    this.lastModifiedMs = nowMs;
    return entry;
  }

  /** Updates in-memory state and indexes for a batch at `position` (append and rebuild share it). */
  private track(b: BatchLocation, position: number, writeIndexFiles: boolean): IndexEntryAdded | undefined {
    if (this.firstBatchTimestamp === undefined) this.firstBatchTimestamp = b.maxTimestamp;
    if (b.maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = b.maxTimestamp;
      this.offsetOfMaxTimestamp = b.lastOffset;
    }
    let entry: IndexEntryAdded | undefined;
    if (this.bytesSinceLastIndexEntry > this.settings.indexIntervalBytes) {
      const offsetBytes = this.offsetIndex.append(b.lastOffset, position);
      const timeBytes = this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp);
      if (writeIndexFiles) {
        this.store.append(this.dir, this.indexFile, offsetBytes);
        if (timeBytes) this.store.append(this.dir, this.timeIndexFile, timeBytes);
      }
      entry = { offset: b.lastOffset, position, timestamp: timeBytes ? this.maxTimestamp : undefined };
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += b.sizeBytes;
    this.nextOffset = b.lastOffset + 1;
    this.batchCount++;
    return entry;
  }

  /** On roll: the time index gets a final entry for the segment's max timestamp. */
  onBecomeInactive(): void {
    if (this.maxTimestamp < 0) return;
    const bytes = this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp);
    if (bytes) this.store.append(this.dir, this.timeIndexFile, bytes);
  }

  /**
   * Visits every complete batch from `position`, reading the file in chunks. The visitor
   * returns false to stop. Returns the position after the last complete batch visited.
   */
  forEachBatch(position: number, visit: (it: BatchIterator, filePosition: number) => boolean | void): number {
    let pos = position;
    for (;;) {
      if (pos >= this.sizeBytes) return pos;
      let want = Math.min(SCAN_CHUNK_BYTES, this.sizeBytes - pos);
      let chunk = this.store.read(this.dir, this.logFile, pos, want);
      if (chunk.length >= LOG_OVERHEAD) {
        // Make sure the first batch fits in the chunk even when it is larger than a chunk.
        const first = LOG_OVERHEAD + new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getInt32(8);
        if (first > want && first <= this.sizeBytes - pos) {
          want = first;
          chunk = this.store.read(this.dir, this.logFile, pos, want);
        }
      }
      const it = new BatchIterator(chunk);
      let progressed = false;
      while (it.next()) {
        progressed = true;
        if (visit(it, pos + it.position) === false) return pos + it.validBytesEnd;
      }
      if (!progressed) return pos;
      pos += it.validBytesEnd;
    }
  }

  /** The first batch whose last offset is >= target (Kafka's translateOffset). */
  translateOffset(target: number): BatchLocation | undefined {
    let found: BatchLocation | undefined;
    this.forEachBatch(this.offsetIndex.lookup(target).position, (it, position) => {
      const lastOffset = it.lastOffset;
      if (lastOffset < target) return true;
      found = { position, sizeBytes: it.sizeBytes, baseOffset: it.baseOffset, lastOffset, maxTimestamp: it.maxTimestamp };
      return false;
    });
    return found;
  }

  /**
   * Bytes of whole batches from `position`: as many as fit in `maxBytes` and end before
   * `upperBoundOffset`; the first batch is returned even if larger when `minOneBatch` (KIP-74).
   */
  read(position: number, maxBytes: number, upperBoundOffset: number, minOneBatch: boolean): { bytes: Uint8Array; firstOffset: number; nextOffset: number } | undefined {
    let total = 0;
    let firstOffset = -1;
    let nextOffset = -1;
    this.forEachBatch(position, (it) => {
      const last = it.lastOffset;
      if (last >= upperBoundOffset) return false;
      const fits = total + it.sizeBytes <= maxBytes || (total === 0 && minOneBatch);
      if (!fits) return false;
      if (firstOffset < 0) firstOffset = it.baseOffset;
      total += it.sizeBytes;
      nextOffset = last + 1;
      return true;
    });
    if (total === 0) return undefined;
    return { bytes: this.store.read(this.dir, this.logFile, position, total), firstOffset, nextOffset };
  }

  /**
   * Rebuilds in-memory state and both indexes by scanning the file. With `validate`, each batch's
   * integrity is checked and the file is cut at the first bad or torn batch. Returns the number
   * of bytes cut off and the batches kept (for the caller's leader epoch cache).
   */
  recover(validate: boolean, inactive: boolean, onBatch?: (it: BatchIterator) => void): { truncatedBytes: number; batches: number } {
    this.resetState();
    const fileSize = this.store.size(this.dir, this.logFile);
    this.sizeBytes = fileSize;
    let validEnd = 0;
    try {
      this.forEachBatch(0, (it, position) => {
        if (validate) checkBatchIntegrity(it);
        // baseOffset and partitionLeaderEpoch are outside the CRC, so check them for sense too:
        // offsets must increase and stay within the segment's 32-bit relative range.
        const base = it.baseOffset;
        const sane = it.recordsCount >= 0 && it.lastOffsetDelta >= 0 && base >= this.nextOffset && it.lastOffset - this.baseOffset <= 2 ** 31 - 1;
        if (!sane) return false;
        onBatch?.(it);
        this.track({ position, sizeBytes: it.sizeBytes, baseOffset: it.baseOffset, lastOffset: it.lastOffset, maxTimestamp: it.maxTimestamp }, position, false);
        validEnd = position + it.sizeBytes;
        return true;
      });
    } catch {
      // A batch that fails its checks marks the torn tail: everything from it on is dropped,
      // exactly as Kafka's LogSegment.recover truncates at the first invalid batch.
    }
    this.sizeBytes = validEnd;
    const truncatedBytes = fileSize - validEnd;
    if (truncatedBytes > 0) this.store.truncate(this.dir, this.logFile, validEnd);
    if (inactive) this.onBecomeInactiveInMemory();
    this.writeIndexFiles();
    return { truncatedBytes, batches: this.batchCount };
  }

  private resetState(): void {
    this.sizeBytes = 0;
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1;
    this.offsetOfMaxTimestamp = this.baseOffset;
    this.firstBatchTimestamp = undefined;
    this.batchCount = 0;
    this.bytesSinceLastIndexEntry = 0;
    this.offsetIndex = this.newOffsetIndex();
    this.timeIndex = this.newTimeIndex();
  }

  private onBecomeInactiveInMemory(): void {
    if (this.maxTimestamp >= 0) this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp);
  }

  private writeIndexFiles(): void {
    this.store.writeAtomic(this.dir, this.indexFile, this.offsetIndex.toBytes());
    this.store.writeAtomic(this.dir, this.timeIndexFile, this.timeIndex.toBytes());
  }

  /** Drops every batch whose last offset is >= `offset`. Returns the bytes removed. */
  truncateTo(offset: number): number {
    const at = this.translateOffset(offset);
    if (!at) return 0;
    const removed = this.sizeBytes - at.position;
    this.store.truncate(this.dir, this.logFile, at.position);
    this.recover(false, false);
    return removed;
  }

  /** First record with timestamp >= `timestamp` and offset >= `startOffset` (ListOffsets). */
  findOffsetByTimestamp(timestamp: number, startOffset: number, codecs?: CompressionCodecs): { offset: number; timestamp: number } | undefined {
    if (this.maxTimestamp < timestamp) return undefined;
    const from = Math.max(this.timeIndex.lookup(timestamp), startOffset);
    const startPosition = this.offsetIndex.lookup(from).position;
    let found: { offset: number; timestamp: number } | undefined;
    this.forEachBatch(startPosition, (it) => {
      if (it.maxTimestamp < timestamp || it.lastOffset < startOffset) return true;
      const batch = decodeRecordBatch(it.bytes, codecs, it.position);
      const hit = batch.records.find((r) => r.timestamp >= timestamp && r.offset >= startOffset);
      if (!hit) return true;
      found = { offset: hit.offset, timestamp: hit.timestamp };
      return false;
    });
    return found;
  }

  flush(): void {
    for (const f of [this.logFile, this.indexFile, this.timeIndexFile]) if (this.store.exists(this.dir, f)) this.store.flush(this.dir, f);
  }

  unflushedBytes(): number {
    return this.store.exists(this.dir, this.logFile) ? this.store.unflushedBytes(this.dir, this.logFile) : 0;
  }

  deleteFiles(): void {
    for (const f of [this.logFile, this.indexFile, this.timeIndexFile]) this.store.delete(this.dir, f);
  }

  /** The whole log file (dump tool, tier copy). */
  readAll(): Uint8Array {
    return this.store.read(this.dir, this.logFile, 0, this.sizeBytes);
  }
}

