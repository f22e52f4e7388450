/**
 * The replicated log of `__cluster_metadata` and the quorum-state file, as one node keeps
 * them on its disk (Kafka's ReplicatedLog and quorum-state). Raft writes are flushed
 * before they count, so this store survives a crash intact; only in-memory state is lost.
 *
 * Entries are one record each, stamped with the epoch of the leader that wrote them.
 * A snapshot (KIP-630) replaces every entry below its end offset with the metadata image
 * at that offset.
 */
import { assert } from '../assert';
import type { MetadataImage } from '../metadata/image';
import type { MetadataRecord } from '../metadata/records';

export type RaftPayload =
  | { readonly kind: 'metadata'; readonly record: MetadataRecord }
  /** The control record a new leader writes first (Kafka's LeaderChangeMessage). */
  | { readonly kind: 'leader-change'; readonly leaderId: number; readonly voters: readonly number[] };

export interface RaftEntry {
  readonly offset: number;
  readonly epoch: number;
  readonly payload: RaftPayload;
}

export interface RaftSnapshot {
  /** Offset of the first entry not covered by the snapshot. */
  readonly endOffset: number;
  /** Epoch of the last entry covered. */
  readonly epoch: number;
  readonly image: MetadataImage;
}

export interface QuorumStateFile {
  epoch: number;
  votedFor: number | null;
}

export class RaftLog {
  private entries: RaftEntry[] = [];
  private startOffsetValue = 0;
  snapshot: RaftSnapshot | null = null;
  readonly quorumState: QuorumStateFile = { epoch: 0, votedFor: null };

  get startOffset(): number {
    return this.startOffsetValue;
  }

  get endOffset(): number {
    return this.startOffsetValue + this.entries.length;
  }

  get lastEpoch(): number {
    return this.entries[this.entries.length - 1]?.epoch ?? this.snapshot?.epoch ?? 0;
  }

  entry(offset: number): RaftEntry | undefined {
    return this.entries[offset - this.startOffsetValue];
  }

  slice(fromOffset: number, toOffset = this.endOffset): RaftEntry[] {
    return this.entries.slice(fromOffset - this.startOffsetValue, toOffset - this.startOffsetValue);
  }

  append(epoch: number, payloads: readonly RaftPayload[]): number {
    assert(epoch >= this.lastEpoch, `raft append at epoch ${epoch} below the log's last epoch ${this.lastEpoch}`);
    for (const payload of payloads) this.entries.push({ offset: this.endOffset, epoch, payload });
    return this.endOffset - 1;
  }

  /** Appends entries fetched from the leader; they must continue the log exactly. */
  appendFetched(fetched: readonly RaftEntry[]): void {
    for (const entry of fetched) {
      assert(entry.offset === this.endOffset, `fetched entry ${entry.offset} does not continue the log at ${this.endOffset}`);
      assert(entry.epoch >= this.lastEpoch, `fetched entry epoch ${entry.epoch} below last epoch ${this.lastEpoch}`);
      this.entries.push(entry);
    }
  }

  truncateTo(offset: number): void {
    assert(offset >= this.startOffsetValue, `cannot truncate to ${offset} below the snapshot at ${this.startOffsetValue}`);
    this.entries.length = Math.min(this.entries.length, offset - this.startOffsetValue);
  }

  /**
   * The largest epoch not above `epoch` that this log holds, and the offset where it ends
   * (the start of the next epoch, or the log end). {-1,-1} if the log knows no such epoch.
   */
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: number } {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry.epoch <= epoch) return { epoch: entry.epoch, endOffset: entry.offset + 1 };
    }
    if (this.snapshot !== null && this.snapshot.epoch <= epoch) {
      return { epoch: this.snapshot.epoch, endOffset: this.snapshot.endOffset };
    }
    return { epoch: -1, endOffset: -1 };
  }

  /** Replaces the prefix below `snapshot.endOffset` with the snapshot. */
  installSnapshot(snapshot: RaftSnapshot): void {
    const keepFrom = snapshot.endOffset - this.startOffsetValue;
    const kept = this.entry(snapshot.endOffset - 1)?.epoch === snapshot.epoch ? this.entries.slice(keepFrom) : [];
    this.entries = kept;
    this.startOffsetValue = snapshot.endOffset;
    this.snapshot = snapshot;
  }
}
