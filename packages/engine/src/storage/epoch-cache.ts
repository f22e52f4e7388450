/**
 * Leader epoch cache (KIP-101, KIP-279): for every leader epoch, the first offset written in it.
 * Followers ask OffsetsForLeaderEpoch "where did epoch E end?" and truncate to the answer
 * instead of to the high watermark, so an unclean restart cannot diverge the replicas.
 *
 * Entries are strictly increasing in both epoch and start offset. Every change is written
 * straight through to `leader-epoch-checkpoint` (Kafka flushes this file on each assignment),
 * so after a crash the cache can only be ahead of the log; recovery truncates it to the LEO.
 */
import { assert } from '../assert';
import { encodeCheckpoint, LEADER_EPOCH_CHECKPOINT, readPartitionCheckpoint } from './files';
import type { LogStore } from './store';

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export class LeaderEpochCache {
  private list: EpochEntry[] = [];

  constructor(private readonly store: LogStore, private readonly dir: string) {
    const lines = readPartitionCheckpoint(store, dir, LEADER_EPOCH_CHECKPOINT) ?? [];
    for (const [e, s] of lines) {
      const entry = { epoch: Number(e), startOffset: Number(s) };
      if (Number.isInteger(entry.epoch) && Number.isInteger(entry.startOffset)) this.list.push(entry);
    }
  }

  entries(): readonly EpochEntry[] {
    return this.list;
  }

  latestEpoch(): number | undefined {
    return this.list[this.list.length - 1]?.epoch;
  }

  /** Records that `epoch` starts at `startOffset`; drops entries this one contradicts. */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0) return;
    const latest = this.list[this.list.length - 1];
    if (latest && latest.epoch === epoch && latest.startOffset <= startOffset) return;
    this.list = this.list.filter((x) => x.epoch < epoch && x.startOffset < startOffset);
    this.list.push({ epoch, startOffset });
    this.persist();
  }

  /**
   * OffsetsForLeaderEpoch: the largest epoch <= `requested` and the offset where it ended (the
   * start of the next higher epoch, or the LEO for the latest epoch); (-1, -1) if unknown.
   */
  endOffsetFor(requested: number, logEndOffset: number): EpochEntry & { endOffset: number } {
    const undefinedAnswer = { epoch: UNDEFINED_EPOCH, startOffset: UNDEFINED_EPOCH_OFFSET, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requested === UNDEFINED_EPOCH) return undefinedAnswer;
    const latest = this.list[this.list.length - 1];
    if (latest && latest.epoch === requested) return { ...latest, endOffset: logEndOffset };
    const higherIndex = this.list.findIndex((x) => x.epoch > requested);
    if (higherIndex < 0) return undefinedAnswer;
    const higher = this.list[higherIndex]!;
    const floor = this.list[higherIndex - 1];
    if (!floor) return { epoch: requested, startOffset: UNDEFINED_EPOCH_OFFSET, endOffset: higher.startOffset };
    return { ...floor, endOffset: higher.startOffset };
  }

  /** After truncating the log to `endOffset`: forget epochs that started at or after it. */
  truncateFromEnd(endOffset: number): void {
    const kept = this.list.filter((x) => x.startOffset < endOffset);
    if (kept.length === this.list.length) return;
    this.list = kept;
    this.persist();
  }

  /** After the log start moved to `startOffset`: the epoch covering it now starts there. */
  truncateFromStart(startOffset: number): void {
    let firstKept = this.list.findIndex((x) => x.startOffset >= startOffset);
    if (firstKept < 0) firstKept = this.list.length;
    if (firstKept === 0) return;
    const covering = this.list[firstKept - 1]!;
    assert(covering.startOffset < startOffset, 'the covering epoch started before the new log start');
    this.list = [{ epoch: covering.epoch, startOffset }, ...this.list.slice(firstKept)];
    this.persist();
  }

  clear(): void {
    this.list = [];
    this.persist();
  }

  private persist(): void {
    this.store.writeAtomic(this.dir, LEADER_EPOCH_CHECKPOINT, encodeCheckpoint(this.list.map((x) => `${x.epoch} ${x.startOffset}`)));
  }
}
