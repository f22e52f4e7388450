/**
 * The log cleaner (Kafka's LogCleaner + LogCleanerManager) for cleanup.policy=compact and
 * compact,delete: keep only the latest record per key, preserving offsets.
 *
 * A log has a clean head [logStartOffset, firstDirtyOffset) and a dirty tail
 * [firstDirtyOffset, firstUncleanableOffset); the cleaner-offset-checkpoint stores the boundary.
 * The uncleanable part starts at the earliest of: the active segment, the high watermark, the
 * first open transaction, and the first segment younger than min.compaction.lag.ms. A log is
 * cleaned when dirty / (clean + dirty) >= min.cleanable.dirty.ratio, or when its oldest dirty
 * segment is older than max.compaction.lag.ms. One pass:
 *   1. Build the offset map (key -> latest offset) from the dirty segments.
 *   2. Rewrite every segment up to the uncleanable offset, dropping records superseded in the
 *      map, records of aborted transactions, tombstones whose delete horizon has passed, and
 *      transaction markers with no data left and a passed horizon (KIP-534: the cleaner stamps a
 *      delete horizon of now + delete.retention.ms into batches holding tombstones or markers,
 *      and a log whose earliest horizon has passed is cleanable even with nothing dirty).
 *   3. Batches keep their base offset and last offset; a producer's last batch is kept even when
 *      emptied, so producer state survives compaction, as in Kafka.
 * A pass that changed nothing (no dirty bytes, nothing removed: a delete horizon passed but
 * the batch that carries it must stay) emits no event, so a log that stays cleanable does not
 * flood the trace.
 * Deviations: the offset map has no size limit (log.cleaner.dedupe.buffer.size), aborted
 * transactions are found by scanning the log rather than from a .txnindex, and the cleaner runs
 * when called, not on its own thread: brokers call `cleanCleanableLogs` on a schedule
 * (broker/log-cleaner-task.ts), tests call `cleanLog` or `LogCleaner.runOnce()`.
 */
import { ATTR_DELETE_HORIZON } from './batch';
import type { CompressionCodecs } from './compression';
import { hasCompactPolicy } from './config';
import type { Log } from './log';
import { controlRecordType, decodeRecordBatch, encodeRecordBatch, type DecodedRecordBatch, type KafkaRecord } from './records';
import type { LogSegment } from './segment';

export interface CleanableInfo {
  firstDirtyOffset: number;
  firstUncleanableOffset: number;
  cleanBytes: number;
  dirtyBytes: number;
  dirtyRatio: number;
  /** max.compaction.lag.ms has passed for the oldest dirty segment. */
  mustClean: boolean;
  /** KIP-534: a batch's delete horizon has passed, so tombstones or markers can go. */
  deleteHorizonPassed: boolean;
}

export interface CleanSummary extends CleanableInfo {
  topic: string;
  partition: number;
  segmentsBefore: number;
  segmentsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsBefore: number;
  recordsAfter: number;
  tombstonesRemoved: number;
  abortedRemoved: number;
  markersRemoved: number;
}

/** Transaction facts found by one scan of the whole log. */
interface TxnScan {
  abortedBatches: Set<number>;
  firstUnstableOffset: number;
  lastBatchOfProducer: Map<number, number>;
  /** Earliest delete horizon stamped in any batch, or +infinity. */
  earliestDeleteHorizonMs: number;
}

function scanTransactions(log: Log): TxnScan {
  const abortedBatches = new Set<number>();
  const lastBatchOfProducer = new Map<number, number>();
  const open = new Map<number, number[]>();
  let earliestDeleteHorizonMs = Number.POSITIVE_INFINITY;
  for (const seg of log.segmentObjects()) {
    seg.forEachBatch(0, (it) => {
      if (it.attributes & ATTR_DELETE_HORIZON) earliestDeleteHorizonMs = Math.min(earliestDeleteHorizonMs, it.baseTimestamp);
      const pid = it.producerId;
      if (pid < 0) return;
      const base = it.baseOffset;
      lastBatchOfProducer.set(pid, base);
      if (!it.isTransactional) return;
      if (!it.isControl) {
        const list = open.get(pid) ?? [];
        list.push(base);
        open.set(pid, list);
        return;
      }
      const marker = decodeRecordBatch(it.bytes, undefined, it.position).records[0];
      if (controlRecordType(marker?.key ?? null) === 'ABORT') for (const b of open.get(pid) ?? []) abortedBatches.add(b);
      open.delete(pid);
    });
  }
  let firstUnstableOffset = Number.MAX_SAFE_INTEGER;
  for (const list of open.values()) firstUnstableOffset = Math.min(firstUnstableOffset, list[0]!);
  return { abortedBatches, firstUnstableOffset, lastBatchOfProducer, earliestDeleteHorizonMs };
}

/** Base offset of the segment holding `offset` (cleaning works on whole segments). */
function segmentBoundaryAtOrBelow(segs: readonly LogSegment[], offset: number): number {
  let boundary = segs[0]!.baseOffset;
  for (const s of segs) if (s.baseOffset <= offset) boundary = s.baseOffset;
  return boundary;
}

/** Kafka's LogCleanerManager.cleanableOffsets plus the dirty ratio. */
export function cleanableInfo(log: Log, nowMs: number, txns: TxnScan = scanTransactions(log)): CleanableInfo {
  const segs = log.segmentObjects();
  const cfg = log.config;
  let firstDirtyOffset = log.cleanerCheckpoint();
  if (firstDirtyOffset > log.logEndOffset) firstDirtyOffset = log.logStartOffset;
  let limit = Math.min(log.activeSegment.baseOffset, log.highWatermark, txns.firstUnstableOffset);
  if (cfg.minCompactionLagMs > 0) {
    const young = segs.find((s) => s.largestTimestamp > nowMs - cfg.minCompactionLagMs);
    if (young) limit = Math.min(limit, young.baseOffset);
  }
  const firstUncleanableOffset = Math.max(segmentBoundaryAtOrBelow(segs, limit), segs[0]!.baseOffset);
  let cleanBytes = 0;
  let dirtyBytes = 0;
  let earliestDirtyTimestamp: number | undefined;
  for (const s of segs) {
    if (s.baseOffset >= firstUncleanableOffset) break;
    if (s.nextOffset <= firstDirtyOffset) cleanBytes += s.sizeBytes;
    else {
      dirtyBytes += s.sizeBytes;
      earliestDirtyTimestamp ??= s.firstBatchTimestamp;
    }
  }
  const total = cleanBytes + dirtyBytes;
  const dirtyRatio = total === 0 ? 0 : dirtyBytes / total;
  const mustClean = dirtyBytes > 0 && earliestDirtyTimestamp !== undefined && nowMs - earliestDirtyTimestamp > cfg.maxCompactionLagMs;
  const deleteHorizonPassed = nowMs >= txns.earliestDeleteHorizonMs && cleanBytes + dirtyBytes > 0;
  return { firstDirtyOffset, firstUncleanableOffset, cleanBytes, dirtyBytes, dirtyRatio, mustClean, deleteHorizonPassed };
}

export function isCleanable(log: Log, info: CleanableInfo): boolean {
  if (!hasCompactPolicy(log.config)) return false;
  return info.deleteHorizonPassed || (info.dirtyBytes > 0 && (info.dirtyRatio >= log.config.minCleanableDirtyRatio || info.mustClean));
}

function keyString(key: Uint8Array): string {
  let s = '';
  for (let i = 0; i < key.length; i++) s += String.fromCharCode(key[i]!);
  return s;
}

/** Step 1: key -> latest offset over the dirty segments (committed data only). */
function buildOffsetMap(log: Log, info: CleanableInfo, txns: TxnScan, codecs: CompressionCodecs | undefined): Map<string, number> {
  const map = new Map<string, number>();
  for (const seg of log.segmentObjects()) {
    if (seg.baseOffset >= info.firstUncleanableOffset) break;
    if (seg.nextOffset <= info.firstDirtyOffset) continue;
    seg.forEachBatch(0, (it) => {
      if (it.isControl || txns.abortedBatches.has(it.baseOffset)) return;
      for (const r of decodeRecordBatch(it.bytes, codecs, it.position).records) {
        if (r.key && r.offset >= info.firstDirtyOffset) map.set(keyString(r.key), r.offset);
      }
    });
  }
  return map;
}

interface PassState {
  now: number;
  map: Map<string, number>;
  txns: TxnScan;
  codecs: CompressionCodecs | undefined;
  deleteRetentionMs: number;
  /** Per producer: whether the open transaction still has records after this pass. */
  txnRetained: Map<number, boolean>;
  stats: { recordsBefore: number; recordsAfter: number; tombstonesRemoved: number; abortedRemoved: number; markersRemoved: number };
}

function horizonPassed(batch: DecodedRecordBatch, now: number): boolean {
  return batch.hasDeleteHorizon && now >= batch.baseTimestamp;
}

/** Decides which records of a data batch survive. */
function retainedRecords(batch: DecodedRecordBatch, st: PassState): KafkaRecord[] {
  if (st.txns.abortedBatches.has(batch.baseOffset)) {
    st.stats.abortedRemoved += batch.records.length;
    return [];
  }
  return batch.records.filter((r) => {
    if (!r.key) return false;
    const latest = st.map.get(keyString(r.key));
    if (latest !== undefined && r.offset < latest) return false;
    if (r.value === null && horizonPassed(batch, st.now)) {
      st.stats.tombstonesRemoved++;
      return false;
    }
    return true;
  });
}

/** Step 2 for one batch: the bytes to keep (the original when nothing changes), or nothing. */
function cleanBatch(bytes: Uint8Array, position: number, st: PassState): Uint8Array | undefined {
  const batch = decodeRecordBatch(bytes, st.codecs, position);
  st.stats.recordsBefore += batch.records.length;
  let kept: KafkaRecord[];
  if (batch.isControl) {
    const dataLeft = st.txnRetained.get(batch.producerId) ?? false;
    st.txnRetained.delete(batch.producerId);
    const removable = !dataLeft && horizonPassed(batch, st.now);
    kept = removable ? [] : batch.records;
    if (removable) st.stats.markersRemoved++;
  } else {
    kept = retainedRecords(batch, st);
    if (batch.isTransactional) st.txnRetained.set(batch.producerId, (st.txnRetained.get(batch.producerId) ?? false) || kept.length > 0);
  }
  st.stats.recordsAfter += kept.length;
  const needsHorizon = !batch.hasDeleteHorizon && (batch.isControl || kept.some((r) => r.value === null));
  const isLastOfProducer = batch.producerId >= 0 && st.txns.lastBatchOfProducer.get(batch.producerId) === batch.baseOffset;
  if (kept.length === batch.records.length && !needsHorizon) return bytes.subarray(position, position + batch.sizeBytes);
  if (kept.length === 0 && !isLastOfProducer) return undefined;
  return encodeRecordBatch({
    records: kept.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers, offsetDelta: r.offset - batch.baseOffset })),
    baseOffset: batch.baseOffset,
    lastOffsetDelta: batch.lastOffsetDelta,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    compression: batch.compression,
    codecs: st.codecs,
    timestampType: batch.timestampType,
    logAppendTimeMs: batch.timestampType === 'LogAppendTime' ? batch.maxTimestamp : undefined,
    deleteHorizonMs: batch.hasDeleteHorizon ? batch.baseTimestamp : needsHorizon ? st.now + st.deleteRetentionMs : undefined,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    isTransactional: batch.isTransactional,
    isControl: batch.isControl,
  });
}

/** Groups consecutive segments so that each cleaned segment stays within segment.bytes. */
function groupSegments(segs: readonly LogSegment[], maxBytes: number): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let current: LogSegment[] = [];
  let size = 0;
  for (const s of segs) {
    const overflow = current.length > 0 && (size + s.sizeBytes > maxBytes || s.nextOffset - current[0]!.baseOffset > 2 ** 31 - 1);
    if (overflow) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(s);
    size += s.sizeBytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * Whether a pass did anything: processed dirty bytes (the checkpoint moved, tombstones and
 * markers got their delete horizon) or removed records or bytes.
 */
export function cleanedSomething(s: CleanSummary): boolean {
  return s.dirtyBytes > 0 || s.bytesAfter !== s.bytesBefore || s.recordsAfter !== s.recordsBefore;
}

/** Cleans one log if it is cleanable (or `force`); returns what the pass did. */
export function cleanLog(log: Log, opts: { nowMs?: number; force?: boolean } = {}): CleanSummary | undefined {
  const now = opts.nowMs ?? log.now();
  const txns = scanTransactions(log);
  const info = cleanableInfo(log, now, txns);
  const hasWork = info.dirtyBytes > 0 || info.deleteHorizonPassed;
  if (!(opts.force ? hasCompactPolicy(log.config) && hasWork : isCleanable(log, info))) return undefined;
  const codecs = log.compressionCodecs;
  const st: PassState = {
    now, txns, codecs, deleteRetentionMs: log.config.deleteRetentionMs, map: buildOffsetMap(log, info, txns, codecs), txnRetained: new Map(),
    stats: { recordsBefore: 0, recordsAfter: 0, tombstonesRemoved: 0, abortedRemoved: 0, markersRemoved: 0 },
  };
  const targets = log.segmentObjects().filter((s) => s.baseOffset < info.firstUncleanableOffset);
  const bytesBefore = targets.reduce((n, s) => n + s.sizeBytes, 0);
  let bytesAfter = 0;
  const groups = groupSegments(targets, log.config.segmentBytes);
  for (const group of groups) {
    const parts: Uint8Array[] = [];
    for (const seg of group) {
      seg.forEachBatch(0, (it) => {
        const kept = cleanBatch(it.bytes, it.position, st);
        if (kept) parts.push(kept.slice());
      });
    }
    const bytes = concat(parts);
    bytesAfter += bytes.length;
    log.replaceSegments(group, bytes);
  }
  log.setCleanerCheckpoint(info.firstUncleanableOffset);
  const summary: CleanSummary = { ...info, ...st.stats, topic: log.topic, partition: log.partition, segmentsBefore: targets.length, segmentsAfter: groups.length, bytesBefore, bytesAfter };
  if (!cleanedSomething(summary)) return summary;
  log.emitEvent({
    type: 'clean', fromOffset: log.logStartOffset, toOffset: info.firstUncleanableOffset, dirtyRatio: info.dirtyRatio, segmentsBefore: targets.length, segmentsAfter: groups.length,
    bytesBefore, bytesAfter, recordsBefore: st.stats.recordsBefore, recordsAfter: st.stats.recordsAfter, tombstonesRemoved: st.stats.tombstonesRemoved, abortedRemoved: st.stats.abortedRemoved, markersRemoved: st.stats.markersRemoved,
  });
  return summary;
}

/**
 * The cleaner thread's choice: among registered compacted logs, clean the one with the highest
 * dirty ratio that is cleanable (logs past max.compaction.lag.ms go first).
 */
export class LogCleaner {
  private readonly logs = new Set<Log>();

  constructor(private readonly opts: { nowMs: () => number }) {}

  add(log: Log): void {
    this.logs.add(log);
  }
  remove(log: Log): void {
    this.logs.delete(log);
  }

  /** Cleanable logs with their figures, dirtiest first (what `kafka-log-dirs`-style views show). */
  candidates(): Array<{ log: Log; info: CleanableInfo }> {
    const now = this.opts.nowMs();
    return [...this.logs]
      .filter((log) => hasCompactPolicy(log.config))
      .map((log) => ({ log, info: cleanableInfo(log, now) }))
      .filter(({ log, info }) => isCleanable(log, info))
      .sort((a, b) => Number(b.info.mustClean) - Number(a.info.mustClean) || b.info.dirtyRatio - a.info.dirtyRatio);
    // Logs with only expired delete horizons sort last (ratio 0), as Kafka cleans them when idle.
  }

  /** One cleaning pass over the filthiest log, or undefined when none is cleanable. */
  runOnce(): CleanSummary | undefined {
    const pick = this.candidates()[0];
    return pick ? cleanLog(pick.log, { nowMs: this.opts.nowMs() }) : undefined;
  }
}


/** Only a compacted log with a segment besides the active one can hold cleanable bytes. */
function mayHaveCleanableBytes(log: Log): boolean {
  return hasCompactPolicy(log.config) && log.segmentObjects().length > 1;
}

/**
 * One wake-up of a broker's cleaner thread: cleans every cleanable log among `logs`, most
 * urgent first (past max.compaction.lag.ms, then the highest dirty ratio), as Kafka's thread
 * keeps taking the filthiest log until none is cleanable and only then backs off. Cleaning
 * takes no virtual time here, so the whole round happens at `nowMs`. Logs with only an active
 * segment are skipped without a scan. Returns the passes that cleaned something.
 */
export function cleanCleanableLogs(logs: Iterable<Log>, nowMs: number): CleanSummary[] {
  const cleaner = new LogCleaner({ nowMs: () => nowMs });
  for (const log of logs) if (mayHaveCleanableBytes(log)) cleaner.add(log);
  const done: CleanSummary[] = [];
  for (const { log } of cleaner.candidates()) {
    const summary = cleanLog(log, { nowMs });
    if (summary !== undefined && cleanedSomething(summary)) done.push(summary);
  }
  return done;
}
