/**
 * The remote tier of one partition (KIP-405), owned by its Log: copying rolled segments,
 * serving reads below the local log start, and total retention over remote segments.
 *
 * Kafka's RemoteLogManager runs these as background tasks on the leader; here they run when
 * the Log's `maintenance()` is called. A segment is copied only when it is rolled and every
 * offset in it is below the high watermark (Kafka also waits for the last stable offset; the
 * storage layer does not track transactions, so it uses the high watermark).
 */
import { BatchIterator } from './batch';
import type { EpochEntry } from './epoch-cache';
import type { StorageEventBody } from './events';
import { encodeCheckpoint } from './files';
import { OffsetIndex } from './indexes';
import type { RemoteLogSegmentMetadata, RemoteStorage } from './remote';
import type { LogSegment } from './segment';

export interface TierContext {
  topic: string;
  partition: number;
  remote: RemoteStorage;
  nowMs: () => number;
  emit: (e: StorageEventBody) => void;
}

export class RemoteTier {
  private segments: RemoteLogSegmentMetadata[];
  private readonly offsetIndexes = new Map<string, OffsetIndex>();
  private copies = 0;

  constructor(private readonly ctx: TierContext) {
    this.segments = ctx.remote.listRemoteLogSegments(ctx.topic, ctx.partition).filter((m) => m.state === 'COPY_SEGMENT_FINISHED');
    this.copies = this.segments.length;
  }

  list(): readonly RemoteLogSegmentMetadata[] {
    return this.segments;
  }

  /** Highest offset safely in remote storage, or -1 (Kafka's highestOffsetInRemoteStorage). */
  get highestOffset(): number {
    return this.segments[this.segments.length - 1]?.endOffset ?? -1;
  }

  get earliestOffset(): number | undefined {
    return this.segments[0]?.startOffset;
  }

  get sizeBytes(): number {
    return this.segments.reduce((n, m) => n + m.segmentSizeInBytes, 0);
  }

  /** Copies a rolled segment with its indexes and leader epochs (COPY_SEGMENT_STARTED -> FINISHED). */
  copy(seg: LogSegment, epochs: readonly EpochEntry[]): RemoteLogSegmentMetadata {
    const now = this.ctx.nowMs();
    const segmentLeaderEpochs = epochsWithin(epochs, seg.baseOffset, seg.nextOffset);
    const metadata: RemoteLogSegmentMetadata = {
      remoteLogSegmentId: `${this.ctx.topic}-${this.ctx.partition}-${seg.baseOffset}-${this.copies++}`,
      topic: this.ctx.topic,
      partition: this.ctx.partition,
      startOffset: seg.baseOffset,
      endOffset: seg.nextOffset - 1,
      maxTimestampMs: seg.largestTimestamp,
      segmentSizeInBytes: seg.sizeBytes,
      segmentLeaderEpochs,
      eventTimestampMs: now,
      state: 'COPY_SEGMENT_STARTED',
    };
    this.ctx.remote.addRemoteLogSegmentMetadata(metadata);
    const epochLines = Object.entries(segmentLeaderEpochs).map(([e, o]) => `${e} ${o}`);
    this.ctx.remote.copyLogSegmentData(metadata, {
      log: seg.readAll(), offsetIndex: seg.offsetIndex.toBytes(), timeIndex: seg.timeIndex.toBytes(), leaderEpochIndex: encodeCheckpoint(epochLines),
    });
    this.ctx.remote.updateRemoteLogSegmentMetadata(metadata.remoteLogSegmentId, 'COPY_SEGMENT_FINISHED', now);
    const finished = { ...metadata, state: 'COPY_SEGMENT_FINISHED' as const };
    this.segments.push(finished);
    this.ctx.emit({ type: 'tier-copy', remoteLogSegmentId: metadata.remoteLogSegmentId, segmentBaseOffset: seg.baseOffset, segmentEndOffset: metadata.endOffset, sizeBytes: seg.sizeBytes });
    return finished;
  }

  /** Deletes the oldest remote segment (DELETE_SEGMENT_STARTED -> FINISHED). */
  deleteOldest(): RemoteLogSegmentMetadata | undefined {
    const m = this.segments.shift();
    if (!m) return undefined;
    const now = this.ctx.nowMs();
    this.ctx.remote.updateRemoteLogSegmentMetadata(m.remoteLogSegmentId, 'DELETE_SEGMENT_STARTED', now);
    this.ctx.remote.deleteLogSegmentData(m);
    this.ctx.remote.updateRemoteLogSegmentMetadata(m.remoteLogSegmentId, 'DELETE_SEGMENT_FINISHED', now);
    this.offsetIndexes.delete(m.remoteLogSegmentId);
    return m;
  }

  private offsetIndexOf(m: RemoteLogSegmentMetadata): OffsetIndex {
    let idx = this.offsetIndexes.get(m.remoteLogSegmentId);
    if (!idx) {
      idx = new OffsetIndex(m.startOffset, Number.MAX_SAFE_INTEGER);
      if (!idx.load(this.ctx.remote.fetchIndex(m, 'OFFSET'), m.segmentSizeInBytes)) idx = new OffsetIndex(m.startOffset, Number.MAX_SAFE_INTEGER);
      this.offsetIndexes.set(m.remoteLogSegmentId, idx);
    }
    return idx;
  }

  /** Whole batches from the remote segment holding `fromOffset`, within the same limits as a local read. */
  read(fromOffset: number, maxBytes: number, upperBoundOffset: number, minOneBatch: boolean): { bytes: Uint8Array; firstOffset: number; nextOffset: number } | undefined {
    const m = this.segments.find((s) => s.endOffset >= fromOffset);
    if (!m) return undefined;
    const position = this.offsetIndexOf(m).lookup(fromOffset).position;
    const data = this.ctx.remote.fetchLogSegment(m, position);
    const it = new BatchIterator(data);
    let start = -1;
    let end = -1;
    let firstOffset = -1;
    let nextOffset = -1;
    while (it.next()) {
      const last = it.lastOffset;
      if (last < fromOffset) continue;
      if (last >= upperBoundOffset) break;
      const size = start < 0 ? it.sizeBytes : it.position + it.sizeBytes - start;
      if (size > maxBytes && !(start < 0 && minOneBatch)) break;
      if (start < 0) {
        start = it.position;
        firstOffset = it.baseOffset;
      }
      end = it.position + it.sizeBytes;
      nextOffset = last + 1;
    }
    if (start < 0) return undefined;
    const bytes = data.subarray(start, end);
    this.ctx.emit({ type: 'remote-read', remoteLogSegmentId: m.remoteLogSegmentId, fromOffset, nextOffset, bytes: bytes.length });
    return { bytes, firstOffset, nextOffset };
  }

  /** The whole log bytes of each remote segment whose max timestamp reaches `timestamp`. */
  *segmentsFromTimestamp(timestamp: number): Generator<{ metadata: RemoteLogSegmentMetadata; bytes: Uint8Array }> {
    for (const m of this.segments) {
      if (m.maxTimestampMs < timestamp) continue;
      yield { metadata: m, bytes: this.ctx.remote.fetchLogSegment(m, 0) };
    }
  }
}

/** The leader epochs a segment [base, next) spans, the first clipped to the segment start. */
function epochsWithin(epochs: readonly EpochEntry[], baseOffset: number, nextOffset: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let i = 0; i < epochs.length; i++) {
    const e = epochs[i]!;
    const nextStart = epochs[i + 1]?.startOffset ?? Number.MAX_SAFE_INTEGER;
    if (nextStart <= baseOffset || e.startOffset >= nextOffset) continue;
    out[e.epoch] = Math.max(e.startOffset, baseOffset);
  }
  return out;
}
