/**
 * The partition log (Kafka's UnifiedLog + LocalLog): an ordered list of segments, the last one
 * active, with logStartOffset <= highWatermark <= logEndOffset.
 *
 * States of the data, oldest to newest:
 *   remote tier (KIP-405) | local segments ... | active segment
 *   [logStartOffset ........ recoveryPoint (flushed) ........ highWatermark ........ logEndOffset)
 *
 * Follows: record batch v2 validation as Kafka's LogValidator (in-place offset assignment,
 * never re-encoding records); segment roll on segment.bytes / segment.ms / index full;
 * flush.messages and flush.ms; crash recovery that truncates a torn tail (LogLoader); leader
 * epoch cache (KIP-101/279); DeleteRecords (KIP-107); retention by time and size, with the
 * local/total split of tiered storage (KIP-405).
 *
 * Deviations: reads serve one segment per call as Kafka does, but retention and tiering run
 * only when `maintenance()` is called; segment.ms is checked on append as in Kafka (an idle
 * segment does not roll by itself); producer state (idempotence, transactions, the LSO) is
 * kept by the replication layer, not here; segment.jitter.ms and file.delete.delay.ms are not
 * modelled (deletes are immediate).
 */
import { assert } from '../assert';
import { KafkaError } from '../errors';
import {
  assignOffsetAndEpoch, BatchIterator, checkBatchIntegrity, RECORD_BATCH_OVERHEAD, setLogAppendTime,
} from './batch';
import { codecFor, type CompressionCodecs, compressionTypeOf } from './compression';
import { effectiveLocalRetentionBytes, effectiveLocalRetentionMs, hasCompactPolicy, hasDeletePolicy, type LogConfig } from './config';
import { dumpLog, formatDump } from './dump';
import { LeaderEpochCache, type EpochEntry } from './epoch-cache';
import type { RetentionReason, RollReason, StorageEvent, StorageEventBody } from './events';
import {
  baseOffsetOfLogFile, CLEANED_SUFFIX, CLEANER_OFFSET_CHECKPOINT, DELETED_SUFFIX, LOG_START_OFFSET_CHECKPOINT, partitionDir,
  readOffsetCheckpoint, RECOVERY_POINT_CHECKPOINT, REPLICATION_OFFSET_CHECKPOINT, SWAP_SUFFIX, writeOffsetCheckpoint,
} from './files';
import { checkRecordsSection, decodeRecordBatch, encodeEndTxnMarker, recordsSection } from './records';
import type { RemoteLogSegmentMetadata, RemoteStorage } from './remote';
import { LogSegment, type BatchLocation } from './segment';
import type { LogStore } from './store';
import { RemoteTier } from './tiering';
import type { Cursor } from './varint';

export interface LogOptions {
  topic: string;
  partition: number;
  config: LogConfig;
  store: LogStore;
  remote?: RemoteStorage;
  codecs?: CompressionCodecs;
  nowMs: () => number;
  emit?: (e: StorageEvent) => void;
}

export interface AppendInfo {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  /** The broker's append time for LogAppendTime topics, else -1. */
  logAppendTimeMs: number;
  recordCount: number;
  sizeBytes: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  isTransactional: boolean;
  isControl: boolean;
}

export interface ReadOptions {
  maxBytes: number;
  upperBoundOffset?: number;
  /** KIP-74: return the first batch even when it is larger than maxBytes. Default true. */
  minOneBatch?: boolean;
}

export interface ReadResult {
  bytes: Uint8Array;
  firstOffset: number;
  nextOffset: number;
}

export interface SegmentInfo {
  baseOffset: number;
  nextOffset: number;
  fileName: string;
  sizeBytes: number;
  batchCount: number;
  maxTimestamp: number;
  largestTimestamp: number;
  createdMs: number;
  offsetIndexEntries: number;
  timeIndexEntries: number;
  unflushedBytes: number;
  isActive: boolean;
  /** Also copied to remote storage (tiered). */
  inRemote: boolean;
}

/** Where a produced batch comes from (Kafka's AppendOrigin): only coordinators may write control batches. */
export type AppendOrigin = 'client' | 'coordinator';

const INT32_MAX = 2 ** 31 - 1;

export class Log {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  private cfg: LogConfig;
  private readonly store: LogStore;
  private readonly codecs: CompressionCodecs | undefined;
  private readonly remoteStorage: RemoteStorage | undefined;
  private readonly clock: () => number;
  private readonly sink: ((e: StorageEvent) => void) | undefined;
  private segs: LogSegment[] = [];
  private epochs!: LeaderEpochCache;
  private tier: RemoteTier | undefined;
  private startOffset = 0;
  private endOffset = 0;
  private hw = 0;
  private flushedTo = 0;
  private lastFlushMs: number;
  private readonly cursor: Cursor = { pos: 0 };

  constructor(opts: LogOptions) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.dir = partitionDir(opts.topic, opts.partition);
    this.cfg = opts.config;
    this.store = opts.store;
    this.codecs = opts.codecs;
    this.remoteStorage = opts.remote;
    this.clock = opts.nowMs;
    this.sink = opts.emit;
    this.lastFlushMs = opts.nowMs();
    this.load();
  }

  get config(): LogConfig {
    return this.cfg;
  }
  get logStartOffset(): number {
    return this.startOffset;
  }
  get logEndOffset(): number {
    return this.endOffset;
  }
  get highWatermark(): number {
    return this.hw;
  }
  /** Everything below this offset is flushed and survives a crash. */
  get recoveryPoint(): number {
    return this.flushedTo;
  }
  /** First offset held in a local segment (KIP-405's local log start offset). */
  get localLogStartOffset(): number {
    return Math.max(this.startOffset, this.segs[0]!.baseOffset);
  }
  /** Size of the local segments in bytes. */
  get sizeBytes(): number {
    return this.segs.reduce((n, s) => n + s.sizeBytes, 0);
  }
  get activeSegment(): LogSegment {
    return this.segs[this.segs.length - 1]!;
  }

  /** Applies a topic config change (kafka-configs --alter); takes effect from the next action. */
  updateConfig(config: LogConfig): void {
    this.cfg = config;
  }

  private emit(body: StorageEventBody): void {
    if (this.sink) this.sink({ ...body, topic: this.topic, partition: this.partition, atMs: this.clock() } as StorageEvent);
  }

  updateHighWatermark(offset: number): void {
    this.hw = Math.min(this.endOffset, Math.max(this.startOffset, offset));
  }

  // ---------------------------------------------------------------- append

  /** Validates a produced batch, assigns its offsets and leader epoch in place, and appends it. */
  appendAsLeader(batch: Uint8Array, leaderEpoch: number, origin: AppendOrigin = 'client'): AppendInfo {
    const it = new BatchIterator(batch);
    if (!it.next() || it.validBytesEnd !== batch.length) {
      if (it.position < 0 || it.partialTail) throw new KafkaError('CORRUPT_MESSAGE', `The produced records (${batch.length} bytes) do not hold one complete batch.`, 'The request is truncated; the producer will retry.');
      throw new KafkaError('INVALID_RECORD', 'A produce request must carry exactly one record batch per partition.', 'Send one batch per partition (produce v3+).');
    }
    checkBatchIntegrity(it);
    this.validateProduced(it, origin);
    const now = this.clock();
    assignOffsetAndEpoch(batch, 0, this.endOffset, leaderEpoch);
    const logAppendTime = this.cfg.messageTimestampType === 'LogAppendTime';
    if (logAppendTime) setLogAppendTime(batch, 0, batch.length, now);
    const info = this.appendBatch(batch, it, now, 'leader');
    return { ...info, logAppendTimeMs: logAppendTime ? now : -1 };
  }

  /** Writes a transaction marker (the coordinator's WriteTxnMarkers) as a control batch. */
  appendControlBatch(opts: { producerId: number; producerEpoch: number; commit: boolean; coordinatorEpoch: number; leaderEpoch: number }): AppendInfo {
    const batch = encodeEndTxnMarker({ ...opts, timestamp: this.clock() });
    return this.appendAsLeader(batch, opts.leaderEpoch, 'coordinator');
  }

  private validateProduced(it: BatchIterator, origin: AppendOrigin): void {
    const count = it.recordsCount;
    if (count <= 0 || it.lastOffsetDelta !== count - 1) {
      throw new KafkaError('INVALID_RECORD', `Batch has ${count} records but lastOffsetDelta ${it.lastOffsetDelta}.`, 'lastOffsetDelta must be recordsCount - 1 in a produced batch.');
    }
    if (it.isControl && origin === 'client') {
      throw new KafkaError('INVALID_RECORD', 'Clients are not allowed to write control records.', 'Transaction markers are written by the transaction coordinator; use EndTxn.');
    }
    if (it.producerId >= 0 && it.baseSequence < 0 && !it.isControl) {
      throw new KafkaError('INVALID_RECORD', `Batch has producerId ${it.producerId} but no base sequence.`, 'An idempotent producer must number its batches from sequence 0.');
    }
    if (it.sizeBytes > this.cfg.maxMessageBytes) {
      throw new KafkaError('MESSAGE_TOO_LARGE', `The batch is ${it.sizeBytes} bytes, larger than max.message.bytes (${this.cfg.maxMessageBytes}).`, 'Send smaller batches (batch.size) or raise the topic\'s max.message.bytes.');
    }
    if (it.sizeBytes > this.cfg.segmentBytes) {
      throw new KafkaError('RECORD_LIST_TOO_LARGE', `The batch is ${it.sizeBytes} bytes, larger than segment.bytes (${this.cfg.segmentBytes}).`, 'Raise segment.bytes or send smaller batches.');
    }
    this.validateRecords(it);
  }

  /** Walks records without allocating; compressed batches are only opened for compacted topics. */
  private validateRecords(it: BatchIterator): void {
    const requireKeys = hasCompactPolicy(this.cfg) && !it.isControl;
    const codec = compressionTypeOf(it.attributes & 0x07);
    if (codec === 'none') {
      const section = it.bytes.subarray(it.position + RECORD_BATCH_OVERHEAD, it.position + it.sizeBytes);
      checkRecordsSection(section, it.recordsCount, requireKeys, this.cursor);
    } else if (requireKeys) {
      codecFor(this.codecs, codec);
      checkRecordsSection(recordsSection(it.bytes, it.header(), this.codecs), it.recordsCount, true, this.cursor);
    }
  }

  /** Appends batches replicated from the leader, offsets already assigned (one or more, concatenated). */
  appendAsFollower(batches: Uint8Array): void {
    const it = new BatchIterator(batches);
    let expected = this.endOffset;
    while (it.next()) {
      checkBatchIntegrity(it);
      if (it.baseOffset < expected || it.lastOffsetDelta < 0 || it.recordsCount < 0) {
        throw new KafkaError('UNKNOWN_SERVER_ERROR', `Replicated batch at offset ${it.baseOffset} does not follow the log end offset ${expected}.`, 'The follower must truncate (OffsetsForLeaderEpoch) before fetching from this offset.');
      }
      expected = it.lastOffset + 1;
    }
    const apply = new BatchIterator(batches);
    const now = this.clock();
    while (apply.next()) this.appendBatch(apply.batchBytes(), apply, now, 'follower');
  }

  private appendBatch(bytes: Uint8Array, it: BatchIterator, now: number, role: 'leader' | 'follower'): AppendInfo {
    const loc: BatchLocation = { position: 0, sizeBytes: it.sizeBytes, baseOffset: it.baseOffset, lastOffset: it.lastOffset, maxTimestamp: it.maxTimestamp };
    this.maybeRoll(loc, now);
    const seg = this.activeSegment;
    loc.position = seg.sizeBytes;
    const entry = seg.append(bytes, loc, now);
    const epoch = it.partitionLeaderEpoch;
    const latest = this.epochs.latestEpoch();
    if (epoch >= 0 && (latest === undefined || epoch > latest)) this.epochs.assign(epoch, loc.baseOffset);
    this.endOffset = loc.lastOffset + 1;
    const info: AppendInfo = {
      baseOffset: loc.baseOffset, lastOffset: loc.lastOffset, maxTimestamp: loc.maxTimestamp, logAppendTimeMs: -1, recordCount: it.recordsCount, sizeBytes: loc.sizeBytes,
      producerId: it.producerId, producerEpoch: it.producerEpoch, baseSequence: it.baseSequence, isTransactional: it.isTransactional, isControl: it.isControl,
    };
    if (this.sink) {
      this.emit({ type: 'append', role, baseOffset: loc.baseOffset, lastOffset: loc.lastOffset, recordCount: info.recordCount, sizeBytes: loc.sizeBytes, segmentBaseOffset: seg.baseOffset, position: loc.position, partitionLeaderEpoch: epoch, logEndOffset: this.endOffset });
      if (entry) this.emit({ type: 'index-entry', segmentBaseOffset: seg.baseOffset, offset: entry.offset, position: entry.position, timestampMs: entry.timestamp });
    }
    if (this.endOffset - this.flushedTo >= this.cfg.flushMessages) this.flushWith('flush.messages');
    return info;
  }

  private rollReason(seg: LogSegment, b: BatchLocation): RollReason | undefined {
    if (seg.isEmpty) return undefined;
    if (seg.sizeBytes > this.cfg.segmentBytes - b.sizeBytes) return 'segment.bytes';
    if (seg.firstBatchTimestamp !== undefined && seg.firstBatchTimestamp >= 0 && b.maxTimestamp - seg.firstBatchTimestamp > this.cfg.segmentMs) return 'segment.ms';
    if (seg.indexFull) return 'index-full';
    if (b.lastOffset - seg.baseOffset > INT32_MAX) return 'offset-overflow';
    return undefined;
  }

  private maybeRoll(b: BatchLocation, now: number): void {
    const seg = this.activeSegment;
    const reason = this.rollReason(seg, b);
    if (reason) this.roll(reason, Math.max(this.endOffset, b.baseOffset), now);
    else if (seg.isEmpty && b.baseOffset - seg.baseOffset > INT32_MAX) this.roll('offset-overflow', b.baseOffset, now);
  }

  /** Closes the active segment and opens a new one at `baseOffset` (Kafka's roll). */
  private roll(reason: RollReason, baseOffset: number, now: number): void {
    const old = this.activeSegment;
    if (old.isEmpty) {
      // An empty active segment is replaced rather than left behind as an empty file.
      if (old.baseOffset === baseOffset) return;
      old.deleteFiles();
      this.segs.pop();
    } else {
      old.onBecomeInactive();
    }
    const seg = this.newSegment(baseOffset, now);
    this.segs.push(seg);
    this.emit({ type: 'segment-rolled', reason, oldBaseOffset: old.baseOffset, oldSizeBytes: old.sizeBytes, newBaseOffset: baseOffset });
    // Kafka schedules a flush of the rolled segment right away; recovery then starts at the new one.
    if (!old.isEmpty) this.flushWith('roll');
  }

  private newSegment(baseOffset: number, now: number): LogSegment {
    const seg = new LogSegment(this.store, this.dir, baseOffset, this.cfg, now);
    seg.createFiles();
    return seg;
  }

  // ---------------------------------------------------------------- read

  /**
   * Whole batches starting with the one that holds `fromOffset`, from a single segment (local
   * or remote), at most `maxBytes` unless the first batch alone is larger (KIP-74), and only
   * batches that end below `upperBoundOffset` (the high watermark for consumers).
   */
  read(fromOffset: number, opts: ReadOptions): ReadResult {
    if (fromOffset < this.startOffset || fromOffset > this.endOffset) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `Offset ${fromOffset} is outside the log [${this.startOffset}, ${this.endOffset}] of ${this.dir}.`, 'Reset the consumer position (auto.offset.reset=earliest or latest).');
    }
    const bound = Math.min(opts.upperBoundOffset ?? this.endOffset, this.endOffset);
    const minOne = opts.minOneBatch ?? true;
    const empty = { bytes: new Uint8Array(0), firstOffset: fromOffset, nextOffset: fromOffset };
    if (fromOffset >= bound) return empty;
    if (fromOffset < this.localLogStartOffset && this.tier) {
      const remote = this.tier.read(fromOffset, opts.maxBytes, bound, minOne);
      if (remote) return remote;
    }
    let i = this.segmentIndexFor(Math.max(fromOffset, this.localLogStartOffset));
    for (; i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      const at = seg.translateOffset(fromOffset);
      if (!at) continue;
      return seg.read(at.position, opts.maxBytes, bound, minOne) ?? empty;
    }
    return empty;
  }

  /** Index of the last segment whose base offset is <= offset (or 0). */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segs[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** ListOffsets by time: the first record with timestamp >= ts, local or remote. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | undefined {
    if (this.tier) {
      for (const { bytes } of this.tier.segmentsFromTimestamp(ts)) {
        const hit = findInBytes(bytes, ts, this.startOffset, this.codecs);
        if (hit) return hit;
      }
    }
    for (const seg of this.segs) {
      if (seg.baseOffset < this.localLogStartOffset && seg.nextOffset <= this.localLogStartOffset) continue;
      const hit = seg.findOffsetByTimestamp(ts, this.startOffset, this.codecs);
      if (hit) return hit;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- leader epochs

  latestEpoch(): number | undefined {
    return this.epochs.latestEpoch();
  }

  /** OffsetsForLeaderEpoch (KIP-101/279): (-1, -1) when the epoch is unknown. */
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: number } {
    const r = this.epochs.endOffsetFor(epoch, this.endOffset);
    return { epoch: r.epoch, endOffset: r.endOffset };
  }

  epochEntries(): readonly EpochEntry[] {
    return this.epochs.entries();
  }

  // ---------------------------------------------------------------- truncation

  /** Follower truncation: removes every batch with an offset >= `offset`. */
  truncateTo(offset: number): void {
    assert(offset >= 0, 'truncation offsets are never negative');
    if (offset >= this.endOffset) return;
    if (offset < this.segs[0]!.baseOffset) {
      this.truncateFullyAndStartAt(offset);
      return;
    }
    const before = this.endOffset;
    let removed = 0;
    while (this.segs.length > 1 && this.activeSegment.baseOffset > offset) {
      const seg = this.segs.pop()!;
      removed += seg.sizeBytes;
      seg.deleteFiles();
    }
    removed += this.activeSegment.truncateTo(offset);
    this.endOffset = offset;
    this.afterTruncation();
    this.emit({ type: 'truncate', kind: 'to', oldLogEndOffset: before, logEndOffset: offset, bytesRemoved: removed });
  }

  /** Drops the whole log and restarts it empty at `offset` (a follower far behind the leader's log start). */
  truncateFullyAndStartAt(offset: number): void {
    const before = this.endOffset;
    const removed = this.sizeBytes;
    for (const seg of this.segs) seg.deleteFiles();
    this.segs = [this.newSegment(offset, this.clock())];
    this.endOffset = offset;
    this.startOffset = offset;
    this.hw = offset;
    this.epochs.clear();
    this.afterTruncation();
    this.checkpointLogStart();
    this.emit({ type: 'truncate', kind: 'fully', oldLogEndOffset: before, logEndOffset: offset, bytesRemoved: removed });
  }

  private afterTruncation(): void {
    this.epochs.truncateFromEnd(this.endOffset);
    this.hw = Math.min(this.hw, this.endOffset);
    this.flushedTo = Math.min(this.flushedTo, this.endOffset);
    const cleaned = readOffsetCheckpoint(this.store, CLEANER_OFFSET_CHECKPOINT, this.topic, this.partition);
    if (cleaned !== undefined && cleaned > this.endOffset) this.setCleanerCheckpoint(this.endOffset);
    writeOffsetCheckpoint(this.store, RECOVERY_POINT_CHECKPOINT, this.topic, this.partition, this.flushedTo);
  }

  /** DeleteRecords (KIP-107): moves logStartOffset; whole segments below it go at the next maintenance. */
  deleteRecordsBefore(offset: number): void {
    if (offset > this.hw) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `Cannot delete records before ${offset}: the high watermark is ${this.hw}.`, 'Pick an offset at or below the high watermark.');
    }
    this.advanceLogStart(offset, 'delete-records');
  }

  private advanceLogStart(offset: number, reason: 'delete-records' | 'retention' | 'remote-retention'): void {
    if (offset <= this.startOffset) return;
    const old = this.startOffset;
    this.startOffset = offset;
    this.hw = Math.max(this.hw, offset);
    this.epochs.truncateFromStart(offset);
    this.checkpointLogStart();
    this.emit({ type: 'log-start-offset', oldLogStartOffset: old, logStartOffset: offset, reason });
  }

  private checkpointLogStart(): void {
    writeOffsetCheckpoint(this.store, LOG_START_OFFSET_CHECKPOINT, this.topic, this.partition, this.startOffset);
  }

  // ---------------------------------------------------------------- flush and crash

  /** fsyncs every segment; the recovery point moves to the log end offset. */
  flush(): void {
    this.flushWith('explicit');
  }

  private flushWith(trigger: 'flush.messages' | 'flush.ms' | 'roll' | 'explicit' | 'recovery'): void {
    let bytes = 0;
    for (const seg of this.segs) {
      bytes += seg.unflushedBytes();
      seg.flush();
    }
    const from = this.flushedTo;
    this.flushedTo = this.endOffset;
    this.lastFlushMs = this.clock();
    writeOffsetCheckpoint(this.store, RECOVERY_POINT_CHECKPOINT, this.topic, this.partition, this.flushedTo);
    writeOffsetCheckpoint(this.store, REPLICATION_OFFSET_CHECKPOINT, this.topic, this.partition, this.hw);
    this.emit({ type: 'flush', fromOffset: from, recoveryPoint: this.flushedTo, bytes, trigger });
  }

  /** Bytes appended but not yet flushed: what a crash would lose. */
  unflushedBytes(): number {
    return this.segs.reduce((n, s) => n + s.unflushedBytes(), 0);
  }

  /** Power loss: everything only in the page cache is gone, then the log recovers as on restart. */
  crash(): void {
    const lost = this.unflushedBytes();
    const before = this.endOffset;
    this.store.crash(this.dir);
    this.load();
    this.emit({ type: 'crash', lostBytes: lost, logEndOffsetBefore: before, logEndOffset: this.endOffset });
  }

  // ---------------------------------------------------------------- loading and recovery

  /** Kafka's LogLoader: finish interrupted swaps, rebuild segments, recover past the recovery point. */
  private load(): void {
    this.completeSwaps();
    const recoveryPoint = readOffsetCheckpoint(this.store, RECOVERY_POINT_CHECKPOINT, this.topic, this.partition) ?? 0;
    this.epochs = new LeaderEpochCache(this.store, this.dir);
    this.tier = this.remoteStorage ? new RemoteTier({ topic: this.topic, partition: this.partition, remote: this.remoteStorage, nowMs: this.clock, emit: (e) => this.emit(e) }) : undefined;
    this.segs = this.loadSegments(recoveryPoint);
    const checkpointedStart = readOffsetCheckpoint(this.store, LOG_START_OFFSET_CHECKPOINT, this.topic, this.partition);
    if (this.segs.length === 0) this.segs.push(this.newSegment(Math.max(checkpointedStart ?? 0, (this.tier?.highestOffset ?? -1) + 1), this.clock()));
    const active = this.activeSegment;
    this.endOffset = active.isEmpty ? active.baseOffset : active.nextOffset;
    const earliest = this.tier?.earliestOffset ?? this.segs[0]!.baseOffset;
    this.startOffset = Math.min(this.endOffset, Math.max(checkpointedStart ?? earliest, earliest));
    this.epochs.truncateFromEnd(this.endOffset);
    this.epochs.truncateFromStart(this.startOffset);
    const hw = readOffsetCheckpoint(this.store, REPLICATION_OFFSET_CHECKPOINT, this.topic, this.partition);
    this.hw = Math.min(this.endOffset, Math.max(this.startOffset, hw ?? this.startOffset));
    this.flushWith('recovery');
  }

  private loadSegments(recoveryPoint: number): LogSegment[] {
    const bases = this.store.list(this.dir).map(baseOffsetOfLogFile).filter((b): b is number => b !== undefined).sort((a, b) => a - b);
    const out: LogSegment[] = [];
    for (let i = 0; i < bases.length; i++) {
      const next = bases[i + 1];
      const seg = new LogSegment(this.store, this.dir, bases[i]!, this.cfg, this.clock());
      const needsRecovery = next === undefined || next > recoveryPoint;
      const latest = () => this.epochs.latestEpoch();
      const result = seg.recover(needsRecovery, next !== undefined, (it) => {
        const e = it.partitionLeaderEpoch;
        const l = latest();
        if (e >= 0 && (l === undefined || e > l)) this.epochs.assign(e, it.baseOffset);
      });
      out.push(seg);
      if (!needsRecovery) continue;
      const doomed = result.truncatedBytes > 0 ? bases.slice(i + 1) : [];
      for (const b of doomed) new LogSegment(this.store, this.dir, b, this.cfg, 0).deleteFiles();
      this.emit({ type: 'recovery', segmentBaseOffset: seg.baseOffset, batches: result.batches, truncatedBytes: result.truncatedBytes, deletedSegments: doomed.length, logEndOffset: seg.isEmpty ? seg.baseOffset : seg.nextOffset });
      if (doomed.length > 0) break;
    }
    return out;
  }

  /** Leftovers of an interrupted clean: `.cleaned` files are dropped, `.swap` files completed. */
  private completeSwaps(): void {
    for (const name of this.store.list(this.dir)) {
      if (name.endsWith(CLEANED_SUFFIX) || name.endsWith(DELETED_SUFFIX)) this.store.delete(this.dir, name);
      else if (name.endsWith(SWAP_SUFFIX)) {
        const final = name.slice(0, -SWAP_SUFFIX.length);
        this.store.delete(this.dir, final);
        this.store.rename(this.dir, name, final);
      }
    }
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * The log manager's periodic work for this log: delete segments past retention or below the
   * log start offset, copy rolled segments to the remote tier and apply local retention, and
   * flush when flush.ms has passed.
   */
  maintenance(): void {
    const now = this.clock();
    const tiered = this.tier && this.cfg.remoteStorageEnable;
    if (tiered) this.copyToRemote();
    this.deleteOldSegments(now);
    if (tiered) this.remoteRetention(now);
    if (now - this.lastFlushMs >= this.cfg.flushMs && this.unflushedBytes() > 0) this.flushWith('flush.ms');
    writeOffsetCheckpoint(this.store, REPLICATION_OFFSET_CHECKPOINT, this.topic, this.partition, this.hw);
  }

  /** Alias for maintenance, for callers that drive the engine by ticks. */
  tick(nowMs?: number): void {
    void nowMs;
    this.maintenance();
  }

  private deleteOldSegments(now: number): void {
    this.deleteWhile('log-start-offset', (_seg, next) => next !== undefined && next.baseOffset <= this.startOffset);
    if (!hasDeletePolicy(this.cfg)) return;
    const remote = Boolean(this.tier && this.cfg.remoteStorageEnable);
    const retentionMs = remote ? effectiveLocalRetentionMs(this.cfg) : this.cfg.retentionMs;
    const retentionBytes = remote ? effectiveLocalRetentionBytes(this.cfg) : this.cfg.retentionBytes;
    if (retentionMs >= 0) {
      this.deleteWhile(remote ? 'local.retention.ms' : 'retention.ms', (seg) => now - seg.largestTimestamp > retentionMs);
    }
    if (retentionBytes >= 0) {
      let excess = this.sizeBytes - retentionBytes;
      this.deleteWhile(remote ? 'local.retention.bytes' : 'retention.bytes', (seg) => {
        if (excess - seg.sizeBytes < 0) return false;
        excess -= seg.sizeBytes;
        return true;
      });
    }
  }

  /**
   * Deletes segments from the oldest while `predicate` holds (Kafka's deletableSegments): never
   * past the high watermark, never an empty active segment, and with remote storage only
   * segments already copied. Deleting the active segment rolls a new one first.
   */
  private deleteWhile(reason: RetentionReason, predicate: (seg: LogSegment, next: LogSegment | undefined) => boolean): void {
    const remote = Boolean(this.tier && this.cfg.remoteStorageEnable);
    const doomed: LogSegment[] = [];
    for (let i = 0; i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      const next = this.segs[i + 1];
      const upperBound = next ? next.baseOffset : this.endOffset;
      if (!next && seg.isEmpty) break;
      if (this.hw < upperBound || !predicate(seg, next)) break;
      if (remote && reason !== 'log-start-offset' && upperBound - 1 > this.tier!.highestOffset) break;
      doomed.push(seg);
    }
    if (doomed.length === 0) return;
    if (doomed.length === this.segs.length) this.roll('retention', this.endOffset, this.clock());
    for (const seg of doomed) {
      this.segs.splice(this.segs.indexOf(seg), 1);
      seg.deleteFiles();
      if (!remote) this.advanceLogStart(this.segs[0]!.baseOffset, 'retention');
      this.emit({ type: 'retention-delete', reason, tier: 'local', segmentBaseOffset: seg.baseOffset, segmentEndOffset: seg.nextOffset - 1, sizeBytes: seg.sizeBytes, logStartOffset: this.startOffset });
    }
  }

  /** Copies rolled segments, in order, once all their offsets are below the high watermark. */
  private copyToRemote(): void {
    const tier = this.tier!;
    for (const seg of this.segs.slice(0, -1)) {
      if (seg.isEmpty || seg.nextOffset - 1 <= tier.highestOffset) continue;
      if (seg.nextOffset > this.hw) break;
      tier.copy(seg, this.epochs.entries());
    }
  }

  /** Total retention (retention.ms / retention.bytes) applied to the remote tier, oldest first. */
  private remoteRetention(now: number): void {
    const tier = this.tier!;
    const localOnlyBytes = this.segs.filter((s) => s.baseOffset > tier.highestOffset).reduce((n, s) => n + s.sizeBytes, 0);
    let excess = this.cfg.retentionBytes >= 0 ? tier.sizeBytes + localOnlyBytes - this.cfg.retentionBytes : -1;
    for (;;) {
      const oldest = tier.list()[0];
      if (!oldest) return;
      const belowStart = oldest.endOffset < this.startOffset;
      const byTime = hasDeletePolicy(this.cfg) && this.cfg.retentionMs >= 0 && now - oldest.maxTimestampMs > this.cfg.retentionMs;
      const bySize = hasDeletePolicy(this.cfg) && excess - oldest.segmentSizeInBytes >= 0;
      if (!belowStart && !byTime && !bySize) return;
      tier.deleteOldest();
      if (bySize) excess -= oldest.segmentSizeInBytes;
      this.advanceLogStart(oldest.endOffset + 1, 'remote-retention');
      const reason: RetentionReason = belowStart ? 'log-start-offset' : byTime ? 'retention.ms' : 'retention.bytes';
      this.emit({ type: 'retention-delete', reason, tier: 'remote', segmentBaseOffset: oldest.startOffset, segmentEndOffset: oldest.endOffset, sizeBytes: oldest.segmentSizeInBytes, logStartOffset: this.startOffset });
    }
  }

  // ---------------------------------------------------------------- inspection

  segments(): SegmentInfo[] {
    const remoteEnd = this.tier?.highestOffset ?? -1;
    return this.segs.map((s, i) => ({
      baseOffset: s.baseOffset,
      nextOffset: s.isEmpty ? s.baseOffset : s.nextOffset,
      fileName: s.logFile,
      sizeBytes: s.sizeBytes,
      batchCount: s.batchCount,
      maxTimestamp: s.maxTimestamp,
      largestTimestamp: s.largestTimestamp,
      createdMs: s.createdMs,
      offsetIndexEntries: s.offsetIndex.entries,
      timeIndexEntries: s.timeIndex.entries,
      unflushedBytes: s.unflushedBytes(),
      isActive: i === this.segs.length - 1,
      inRemote: !s.isEmpty && s.nextOffset - 1 <= remoteEnd,
    }));
  }

  /** kafka-dump-log style text for every local segment (structured form: `dumpLog`). */
  dump(opts: { printDataLog?: boolean; indexes?: boolean } = {}): string {
    return formatDump(dumpLog(this, { printDataLog: opts.printDataLog ?? true }), { printDataLog: opts.printDataLog ?? true, indexes: opts.indexes ?? false });
  }

  remoteSegments(): readonly RemoteLogSegmentMetadata[] {
    return this.tier?.list() ?? [];
  }

  /** @internal The live segment objects, for the cleaner and the dump tool. */
  segmentObjects(): readonly LogSegment[] {
    return this.segs;
  }

  /** @internal */
  get compressionCodecs(): CompressionCodecs | undefined {
    return this.codecs;
  }

  /** @internal */
  get logStore(): LogStore {
    return this.store;
  }

  /** The cleaner's checkpoint: offsets below it have been compacted (cleaner-offset-checkpoint). */
  cleanerCheckpoint(): number {
    return Math.max(this.startOffset, readOffsetCheckpoint(this.store, CLEANER_OFFSET_CHECKPOINT, this.topic, this.partition) ?? 0);
  }

  /** @internal */
  setCleanerCheckpoint(offset: number): void {
    writeOffsetCheckpoint(this.store, CLEANER_OFFSET_CHECKPOINT, this.topic, this.partition, offset);
  }

  /** @internal Replaces `old` (consecutive segments) with one segment built from `bytes`. */
  replaceSegments(old: readonly LogSegment[], bytes: Uint8Array): LogSegment {
    const first = old[0]!;
    const index = this.segs.indexOf(first);
    assert(index >= 0 && this.segs[index + old.length - 1] === old[old.length - 1], 'the cleaner replaces consecutive live segments');
    assert(index + old.length < this.segs.length, 'the active segment is never cleaned');
    const tmp = first.logFile + CLEANED_SUFFIX;
    this.store.delete(this.dir, tmp);
    this.store.append(this.dir, tmp, bytes);
    this.store.flush(this.dir, tmp);
    this.store.rename(this.dir, tmp, first.logFile + SWAP_SUFFIX);
    for (const seg of old) seg.deleteFiles();
    this.store.rename(this.dir, first.logFile + SWAP_SUFFIX, first.logFile);
    const seg = new LogSegment(this.store, this.dir, first.baseOffset, this.cfg, first.createdMs);
    seg.recover(false, true);
    seg.flush();
    this.segs.splice(index, old.length, seg);
    return seg;
  }

  /** @internal */
  emitEvent(body: StorageEventBody): void {
    this.emit(body);
  }

  /** @internal */
  now(): number {
    return this.clock();
  }
}

function findInBytes(bytes: Uint8Array, ts: number, startOffset: number, codecs: CompressionCodecs | undefined): { offset: number; timestamp: number } | undefined {
  const it = new BatchIterator(bytes);
  while (it.next()) {
    if (it.maxTimestamp < ts || it.lastOffset < startOffset) continue;
    const batch = decodeRecordBatch(bytes, codecs, it.position);
    const hit = batch.records.find((r) => r.timestamp >= ts && r.offset >= startOffset);
    if (hit) return { offset: hit.offset, timestamp: hit.timestamp };
  }
  return undefined;
}
