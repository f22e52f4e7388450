/**
 * Invariant checkers for simulation tests (in the spirit of Kafka's
 * RaftEventSimulationTest and TigerBeetle's VOPR). `checkStep` is cheap and runs after
 * every scheduler event; `checkData` reads logs and runs at checkpoints and at the end.
 *
 * Rules checked:
 * - Q1 at most one quorum leader per epoch;
 * - Q2 committed metadata never changes: an offset below a controller's high watermark
 *   always holds the entry (same epoch) first seen committed there;
 * - P1 at most one partition leader per leader epoch;
 * - P2 a leader's high watermark never moves backwards within its leader epoch;
 * - P3 records acknowledged under acks=all are never lost or moved (given min.insync.replicas
 *   of 2 or more and clean elections: the simulation never fails the whole ISR at once);
 * - P4 every replica's log is a prefix of the leader's up to the replica's high watermark.
 */
import type { Partition } from '../broker/partition';
import type { RaftNode } from '../raft/raft-node';
import type { Log } from '../storage';
import { decodeRecords } from './broker-api';
import type { Cluster } from './cluster';
import type { FetchedRecord } from './api';

export interface AckedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

export class InvariantChecker {
  readonly violations: string[] = [];
  private readonly quorumLeaders = new Map<number, number>();
  private readonly committedEpochs = new Map<number, number>();
  private readonly partitionLeaders = new Map<string, number>();
  private readonly highWatermarks = new Map<string, { hw: number }>();
  private readonly leaderships = new WeakMap<Partition, { epoch: number; mark: { hw: number } }>();
  readonly acked: AckedRecord[] = [];

  constructor(private readonly cluster: Cluster) {}

  private fail(rule: string, message: string): void {
    if (this.violations.length < 20) this.violations.push(`[${rule} at ${this.cluster.nowMs()} ms] ${message}`);
  }

  checkStep(): void {
    for (const slot of this.cluster.slots.values()) {
      if (slot.controller !== null) this.checkQuorum(slot.id, slot.controller.raft);
      if (slot.broker !== null) this.checkBroker(slot.id, slot.broker.replicaManager.partitions.values());
    }
  }

  private checkQuorum(id: number, raft: RaftNode): void {
    if (raft.role === 'leader') {
      const known = this.quorumLeaders.get(raft.epoch);
      if (known !== undefined && known !== id) this.fail('Q1', `controllers ${known} and ${id} both led quorum epoch ${raft.epoch}`);
      this.quorumLeaders.set(raft.epoch, id);
    }
    const log = raft.log;
    // Only the newest committed entries need checking each step; older ones were checked before.
    const from = Math.max(log.startOffset, raft.highWatermark - 8);
    for (let offset = from; offset < Math.min(raft.highWatermark, log.endOffset); offset++) {
      const epoch = log.entry(offset)?.epoch;
      if (epoch === undefined) continue;
      const seen = this.committedEpochs.get(offset);
      if (seen === undefined) this.committedEpochs.set(offset, epoch);
      else if (seen !== epoch) this.fail('Q2', `controller ${id} holds epoch ${epoch} at committed metadata offset ${offset}, but epoch ${seen} was committed there`);
    }
  }

  private checkBroker(id: number, partitions: Iterable<Partition>): void {
    for (const p of partitions) {
      if (!p.isLeader) continue;
      // This runs after every event: the string keys are built once per replica and leader epoch.
      let seen = this.leaderships.get(p);
      if (seen === undefined || seen.epoch !== p.leaderEpoch) {
        const key = `${p.topic}-${p.partitionId}@${p.leaderEpoch}`;
        const known = this.partitionLeaders.get(key);
        if (known !== undefined && known !== id) this.fail('P1', `brokers ${known} and ${id} both led ${p.topic}-${p.partitionId} in leader epoch ${p.leaderEpoch}`);
        this.partitionLeaders.set(key, id);
        const hwKey = `${key}/${id}`;
        const mark = this.highWatermarks.get(hwKey) ?? { hw: -1 };
        this.highWatermarks.set(hwKey, mark);
        seen = { epoch: p.leaderEpoch, mark };
        this.leaderships.set(p, seen);
      }
      if (p.highWatermark < seen.mark.hw) this.fail('P2', `HW of ${p.topic}-${p.partitionId} on leader ${id} fell from ${seen.mark.hw} to ${p.highWatermark} in epoch ${p.leaderEpoch}`);
      seen.mark.hw = Math.max(seen.mark.hw, p.highWatermark);
    }
  }


  /** Reads every partition's leader log: acknowledged records (P3) and replica prefixes (P4). */
  checkData(): void {
    const leaders = new Map<string, Partition>();
    for (const id of this.cluster.brokerIds) {
      for (const p of this.cluster.brokerNode(id)?.replicaManager.partitions.values() ?? []) {
        const current = leaders.get(`${p.topic}-${p.partitionId}`);
        if (p.isLeader && (current === undefined || p.leaderEpoch > current.leaderEpoch)) leaders.set(`${p.topic}-${p.partitionId}`, p);
      }
    }
    const byPartition = new Map<string, AckedRecord[]>();
    for (const record of this.acked) {
      const key = `${record.topic}-${record.partition}`;
      byPartition.set(key, [...(byPartition.get(key) ?? []), record]);
    }
    for (const [key, records] of byPartition) {
      const leader = leaders.get(key);
      if (leader === undefined) continue;
      const values = new Map(readAll(leader.log).map((r) => [r.offset, r.value === null ? null : new TextDecoder().decode(r.value)]));
      for (const r of records) {
        if (values.get(r.offset) !== r.value) this.fail('P3', `acknowledged record "${r.value}" at ${key} offset ${r.offset} is gone from leader (found ${JSON.stringify(values.get(r.offset) ?? null)})`);
      }
    }
    this.checkPrefixes(leaders);
  }

  private checkPrefixes(leaders: Map<string, Partition>): void {
    for (const id of this.cluster.brokerIds) {
      for (const p of this.cluster.brokerNode(id)?.replicaManager.partitions.values() ?? []) {
        const leader = leaders.get(`${p.topic}-${p.partitionId}`);
        if (leader === undefined || leader === p || p.role !== 'follower' || p.leaderEpoch !== leader.leaderEpoch) continue;
        const upTo = Math.min(p.highWatermark, leader.log.logEndOffset);
        const mine = readAll(p.log).filter((r) => r.offset < upTo);
        const theirs = new Map(readAll(leader.log).map((r) => [r.offset, r.value]));
        for (const r of mine) {
          const other = theirs.get(r.offset);
          if (other === undefined && r.offset < leader.log.logStartOffset) continue;
          if (!sameBytes(other ?? null, r.value)) this.fail('P4', `replica ${id} of ${p.topic}-${p.partitionId} differs from leader ${leader.leaderId} at offset ${r.offset}, below its HW ${upTo}`);
        }
      }
    }
  }
}

/** Every record of a partition's current leader log (the newest leader epoch among running brokers). */
export function leaderRecords(cluster: Cluster, topic: string, partition: number): FetchedRecord[] | null {
  let leader: Partition | null = null;
  for (const id of cluster.brokerIds) {
    const p = cluster.brokerNode(id)?.replicaManager.get(topic, partition);
    if (p?.isLeader && (leader === null || p.leaderEpoch > leader.leaderEpoch)) leader = p;
  }
  return leader === null ? null : readAll(leader.log);
}

function readAll(log: Log) {
  const read = log.read(log.logStartOffset, { maxBytes: Number.MAX_SAFE_INTEGER });
  return decodeRecords(read.bytes, log.logStartOffset);
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
