/**
 * The console producer's choice of partition, as Kafka's producer makes it: a keyed record
 * goes to murmur2(key) mod partitions (Utils.murmur2 and toPositive in Kafka's clients), so
 * a key always lands on the same partition. Records without a key stick to one partition
 * per command (KIP-480's sticky partitioning); we pick the partition with the shortest log,
 * a deterministic stand-in for KIP-794's preference for less loaded partitions.
 */

/** Kafka's 32-bit murmur2 over the key bytes (seed 0x9747b28c), as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const r = 24;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const words = length >> 2;
  for (let i = 0; i < words; i++) {
    const at = i * 4;
    let k = ((data[at] as number) & 0xff) | (((data[at + 1] as number) & 0xff) << 8) | (((data[at + 2] as number) & 0xff) << 16) | (((data[at + 3] as number) & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = words * 4;
  // The last one to three bytes are mixed in cumulatively, as the fall-through switch in Kafka's murmur2 does.
  const rest = length % 4;
  if (rest >= 3) h ^= ((data[tail + 2] as number) & 0xff) << 16;
  if (rest >= 2) h ^= ((data[tail + 1] as number) & 0xff) << 8;
  if (rest >= 1) {
    h ^= (data[tail] as number) & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(new TextEncoder().encode(key)) & 0x7fffffff) % partitions;
}
