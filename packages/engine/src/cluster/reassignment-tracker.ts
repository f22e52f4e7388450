/**
 * Reassignment progress for the reassignment view and exercises: which reassignments ran,
 * how far each got, and how many bytes the new replicas copied. It follows the controller's
 * reassignment trace events (started, completed, cancelled) and counts the bytes that
 * adding replicas append as followers. Comparing `bytesMoved` of the same move with and
 * without tiered storage shows what KIP-405 saves: a tiered replica copies only the
 * leader's local segments.
 *
 * Deviation: progress follows the controller's decisions as they are traced; a decision
 * lost in a controller failover before it committed still shows as started.
 */
import type { ReassignmentProgress, TraceEvent } from './api';

interface Entry {
  topic: string;
  partition: number;
  state: ReassignmentProgress['state'];
  previousReplicas: readonly number[];
  targetReplicas: readonly number[];
  addingReplicas: readonly number[];
  removingReplicas: readonly number[];
  bytesMoved: number;
  startedAtMs: number;
  finishedAtMs: number | null;
}

/** What the tracker needs to estimate the bytes still to copy: local log sizes per replica. */
export type LocalLogBytes = (topic: string, partition: number, brokerId: number) => number | null;
export type LeaderOf = (topic: string, partition: number) => number;

const HISTORY_MAX = 500;

export class ReassignmentTracker {
  private readonly entries: Entry[] = [];
  /** Cumulative bytes copied by adding replicas, per partition, across every reassignment. */
  private readonly movedByPartition = new Map<string, number>();

  onEvent(event: TraceEvent): void {
    if (event.topic === undefined || event.partition === undefined) return;
    const data = (event.data ?? {}) as Record<string, unknown>;
    const list = (name: string): number[] => (Array.isArray(data[name]) ? (data[name] as number[]) : []);
    if (event.type === 'reassignment-started') {
      this.finishOngoing(event.topic, event.partition, 'cancelled', event.timeMs);
      this.push({
        topic: event.topic,
        partition: event.partition,
        state: 'in-progress',
        previousReplicas: list('previousReplicas'),
        targetReplicas: list('targetReplicas'),
        addingReplicas: list('addingReplicas'),
        removingReplicas: list('removingReplicas'),
        bytesMoved: 0,
        startedAtMs: event.timeMs,
        finishedAtMs: null,
      });
    } else if (event.type === 'reassignment-completed' || event.type === 'reassignment-cancelled') {
      const state = event.type === 'reassignment-completed' ? 'completed' : 'cancelled';
      if (this.finishOngoing(event.topic, event.partition, state, event.timeMs)) return;
      // A reorder or shrink completes at once, without a started event.
      const replicas = list('replicas');
      this.push({ topic: event.topic, partition: event.partition, state, previousReplicas: replicas, targetReplicas: replicas, addingReplicas: [], removingReplicas: list('removedReplicas'), bytesMoved: 0, startedAtMs: event.timeMs, finishedAtMs: event.timeMs });
    }
  }

  /** A follower appended `bytes`; counted when it is an adding replica of an ongoing reassignment. */
  onReplicaAppend(brokerId: number, topic: string, partition: number, bytes: number, adding: boolean): void {
    if (!adding) return;
    const entry = this.ongoing(topic, partition);
    if (entry !== undefined && entry.addingReplicas.includes(brokerId)) entry.bytesMoved += bytes;
    const key = `${topic}-${partition}`;
    this.movedByPartition.set(key, (this.movedByPartition.get(key) ?? 0) + bytes);
  }

  /** Bytes copied to new replicas of a partition over all its reassignments. */
  bytesMoved(topic: string, partition: number): number {
    return this.movedByPartition.get(`${topic}-${partition}`) ?? 0;
  }

  progress(localBytes: LocalLogBytes, leaderOf: LeaderOf): ReassignmentProgress[] {
    return this.entries.map((e) => {
      let remaining = 0;
      if (e.state === 'in-progress') {
        const leaderBytes = localBytes(e.topic, e.partition, leaderOf(e.topic, e.partition)) ?? 0;
        for (const id of e.addingReplicas) remaining += Math.max(0, leaderBytes - (localBytes(e.topic, e.partition, id) ?? 0));
      }
      return { ...e, bytesToMove: e.bytesMoved + remaining };
    });
  }

  private ongoing(topic: string, partition: number): Entry | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.topic === topic && e.partition === partition) return e.state === 'in-progress' ? e : undefined;
    }
    return undefined;
  }

  private finishOngoing(topic: string, partition: number, state: Entry['state'], timeMs: number): boolean {
    const entry = this.ongoing(topic, partition);
    if (entry === undefined) return false;
    entry.state = state;
    entry.finishedAtMs = timeMs;
    return true;
  }

  private push(entry: Entry): void {
    this.entries.push(entry);
    if (this.entries.length > HISTORY_MAX) this.entries.splice(0, this.entries.length - HISTORY_MAX);
  }
}
