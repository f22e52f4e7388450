/**
 * Replica placement for new topics, following the classic algorithm Kafka's admin tools
 * document (AdminUtils.assignReplicasToBrokers): the first replica of partition p goes to
 * broker (startIndex + p) mod n, the others follow at a shift that grows every n
 * partitions, so leaders and followers spread evenly. With racks, brokers are first
 * interleaved by rack (a1, b1, c1, a2, ...) and each further replica prefers a rack and a
 * broker the partition does not use yet.
 *
 * Deviation: KRaft controllers place with StripedReplicaPlacer, which differs in detail;
 * we keep the classic algorithm because it is the one the course explains. Random start
 * index and shift come from the seeded PRNG.
 */
import { assert } from '../assert';
import { KafkaError } from '../errors';
import type { Prng } from '../sim/prng';

export interface PlacementBroker {
  readonly id: number;
  readonly rack: string | null;
}

export function placeReplicas(
  brokers: readonly PlacementBroker[],
  numPartitions: number,
  replicationFactor: number,
  prng: Prng,
): number[][] {
  if (replicationFactor > brokers.length) {
    throw new KafkaError(
      'INVALID_REPLICATION_FACTOR',
      `Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`,
      `Use --replication-factor ${Math.max(1, brokers.length)} or less, or start more brokers.`,
    );
  }
  const sorted = [...brokers].sort((a, b) => a.id - b.id);
  const racks = new Set(sorted.map((b) => b.rack));
  const rackAware = sorted.every((b) => b.rack !== null) && racks.size > 1;
  if (!rackAware) return placeWithoutRacks(sorted.map((b) => b.id), numPartitions, replicationFactor, prng);
  return placeWithRacks(sorted, numPartitions, replicationFactor, prng);
}

function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, replica: number, n: number): number {
  const shift = 1 + ((secondReplicaShift + replica) % (n - 1));
  return (firstReplicaIndex + shift) % n;
}

function placeWithoutRacks(ids: readonly number[], numPartitions: number, rf: number, prng: Prng): number[][] {
  const n = ids.length;
  assert(n > 0, 'placement needs at least one broker');
  const startIndex = prng.int(n);
  let nextReplicaShift = prng.int(n);
  const result: number[][] = [];
  for (let p = 0; p < numPartitions; p++) {
    if (p > 0 && p % n === 0) nextReplicaShift++;
    const first = (p + startIndex) % n;
    const replicas = [ids[first]!];
    for (let j = 0; j < rf - 1; j++) replicas.push(ids[replicaIndex(first, nextReplicaShift, j, n)]!);
    result.push(replicas);
  }
  return result;
}

/** Brokers ordered so that consecutive ones sit in different racks: a1, b1, c1, a2, b2, ... */
export function rackAlternatedBrokers(brokers: readonly PlacementBroker[]): PlacementBroker[] {
  const byRack = new Map<string, PlacementBroker[]>();
  for (const broker of brokers) {
    const rack = broker.rack ?? '';
    byRack.set(rack, [...(byRack.get(rack) ?? []), broker]);
  }
  const racks = [...byRack.keys()].sort();
  const out: PlacementBroker[] = [];
  for (let round = 0; out.length < brokers.length; round++) {
    for (const rack of racks) {
      const broker = byRack.get(rack)![round];
      if (broker !== undefined) out.push(broker);
    }
  }
  return out;
}

function placeWithRacks(brokers: readonly PlacementBroker[], numPartitions: number, rf: number, prng: Prng): number[][] {
  const arranged = rackAlternatedBrokers(brokers);
  const n = arranged.length;
  const numRacks = new Set(arranged.map((b) => b.rack)).size;
  const startIndex = prng.int(n);
  let nextReplicaShift = prng.int(n);
  const result: number[][] = [];
  for (let p = 0; p < numPartitions; p++) {
    if (p > 0 && p % n === 0) nextReplicaShift++;
    const first = (p + startIndex) % n;
    const leader = arranged[first]!;
    const replicas = [leader.id];
    const usedRacks = new Set([leader.rack]);
    const usedBrokers = new Set([leader.id]);
    for (let k = 0; replicas.length < rf; k++) {
      const broker = arranged[replicaIndex(first, nextReplicaShift * numRacks, k, n)]!;
      // Take a broker in a new rack while racks remain, and never the same broker twice.
      const rackOk = !usedRacks.has(broker.rack) || usedRacks.size === numRacks;
      const brokerOk = !usedBrokers.has(broker.id) || usedBrokers.size === n;
      if (rackOk && brokerOk) {
        replicas.push(broker.id);
        usedRacks.add(broker.rack);
        usedBrokers.add(broker.id);
      }
      assert(k < n * n, 'rack-aware placement must terminate');
    }
    result.push(replicas);
  }
  return result;
}
