/**
 * Committed offsets of the groups one coordinator owns, rebuilt only by replaying
 * `OffsetCommit` records (and transaction markers for transactional commits).
 *
 * Transactional commits (TxnOffsetCommit, KIP-98 and KIP-447) stay pending per producer
 * until the transaction's marker reaches this `__consumer_offsets` partition: a COMMIT
 * marker makes them the group's committed offsets, an ABORT drops them. While one is
 * pending, OffsetFetch with `requireStable` answers UNSTABLE_OFFSET_COMMIT.
 */
import type { OffsetCommitKey, OffsetCommitValue } from './records';

export interface StoredOffset {
  readonly topic: string;
  readonly partition: number;
  readonly value: OffsetCommitValue;
}

type PartitionMap = Map<string, StoredOffset>;

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class OffsetStore {
  private readonly committed = new Map<string, PartitionMap>();
  /** producerId → group → pending transactional offsets. */
  private readonly pending = new Map<number, Map<string, PartitionMap>>();

  replayCommit(key: OffsetCommitKey, value: OffsetCommitValue | null, producerId: number | undefined): void {
    const k = keyOf(key.topic, key.partition);
    if (producerId !== undefined && value !== null) {
      const byGroup = this.pending.get(producerId) ?? new Map<string, PartitionMap>();
      this.pending.set(producerId, byGroup);
      const parts = byGroup.get(key.group) ?? new Map<string, StoredOffset>();
      byGroup.set(key.group, parts);
      parts.set(k, { topic: key.topic, partition: key.partition, value });
      return;
    }
    const parts = this.committed.get(key.group) ?? new Map<string, StoredOffset>();
    if (value === null) parts.delete(k);
    else parts.set(k, { topic: key.topic, partition: key.partition, value });
    if (parts.size === 0) this.committed.delete(key.group);
    else this.committed.set(key.group, parts);
  }

  /** A transaction marker: promote (commit) or drop (abort) the producer's pending offsets. */
  replayMarker(producerId: number, commit: boolean): void {
    const byGroup = this.pending.get(producerId);
    this.pending.delete(producerId);
    if (!byGroup || !commit) return;
    for (const [group, parts] of byGroup) {
      for (const o of parts.values()) {
        this.replayCommit({ type: 'OffsetCommitKey', group, topic: o.topic, partition: o.partition }, o.value, undefined);
      }
    }
  }

  get(group: string, topic: string, partition: number): StoredOffset | undefined {
    return this.committed.get(group)?.get(keyOf(topic, partition));
  }

  hasPending(group: string, topic: string, partition: number): boolean {
    for (const byGroup of this.pending.values()) if (byGroup.get(group)?.has(keyOf(topic, partition))) return true;
    return false;
  }

  hasAnyPending(group: string): boolean {
    for (const byGroup of this.pending.values()) if (byGroup.has(group)) return true;
    return false;
  }

  /** The group's committed offsets, sorted by topic then partition. */
  all(group: string): StoredOffset[] {
    const parts = this.committed.get(group);
    if (!parts) return [];
    return [...parts.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }

  groups(): string[] {
    return [...this.committed.keys()].sort();
  }

  /**
   * Offsets past their retention (KIP-211): an explicit expire timestamp wins; otherwise
   * `base + retentionMs`, where the caller picks the base (when the group became empty,
   * or the commit time for groups that never had members).
   */
  expired(group: string, nowMs: number, retentionMs: number, baseMs: (o: StoredOffset) => number): StoredOffset[] {
    return this.all(group).filter((o) => {
      const expireAt = o.value.expireTimestamp >= 0 ? o.value.expireTimestamp : baseMs(o) + retentionMs;
      return nowMs >= expireAt;
    });
  }
}
