/**
 * Pieces shared by the group and transaction coordinators: the trace callback, the
 * PRNG port, Java-compatible hashing for partition routing, and Kafka-style member ids.
 */
import type { TraceInput } from '../sim/trace';

/** The injected trace callback; the host adds sequence numbers, time and node. */
export type Emit = (event: TraceInput) => void;

/** Only what the coordinators need from the seeded PRNG (`sim/prng.ts` fits). */
export interface RandomSource {
  nextUint32(): number;
}

/**
 * Java's `String.hashCode`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units in
 * 32-bit two's-complement arithmetic. JavaScript strings are UTF-16 too, so
 * `charCodeAt` gives exactly the units Java hashes.
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's `Utils.abs`: like Math.abs but maps Integer.MIN_VALUE to 0 instead of overflowing. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

/**
 * The `__consumer_offsets` partition that owns a group: `abs(groupId.hashCode) % n`, as in
 * Kafka's `GroupCoordinator.partitionFor`. The leader of that partition is the coordinator.
 */
export function groupCoordinatorPartition(groupId: string, offsetsTopicNumPartitions: number): number {
  return kafkaAbs(javaStringHashCode(groupId)) % offsetsTopicNumPartitions;
}

/** The `__transaction_state` partition that owns a transactional id (same rule). */
export function transactionCoordinatorPartition(transactionalId: string, transactionStateNumPartitions: number): number {
  return kafkaAbs(javaStringHashCode(transactionalId)) % transactionStateNumPartitions;
}

/** A random UUID in java.util.UUID's text form (version 4 bits set), from the seeded PRNG. */
export function randomJavaUuid(rng: RandomSource): string {
  const words = [rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()];
  words[1] = ((words[1]! & 0xffff0fff) | 0x00004000) >>> 0;
  words[2] = ((words[2]! & 0x3fffffff) | 0x80000000) >>> 0;
  const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Sorted copy, so records and responses list members and partitions deterministically. */
export function sortedKeys<V>(map: ReadonlyMap<string, V>): string[] {
  return [...map.keys()].sort();
}
