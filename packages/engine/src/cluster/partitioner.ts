/**
 * Kafka's default partitioner for keyed records: murmur2 over the key bytes (seed
 * 0x9747b28c, Kafka's Utils.murmur2), made positive by masking the sign bit
 * (Utils.toPositive), modulo the partition count. CreatePartitions changes the modulus, so
 * most keys move to another partition; `keyMoves` shows which.
 */

export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length - (length % 4);
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The trailing one to three bytes fold in from the highest down, as Kafka's fall-through switch does.
  const rest = length % 4;
  if (rest >= 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[whole]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition the default partitioner picks for a keyed record. */
export function partitionForKey(key: string | Uint8Array, numPartitions: number): number {
  const bytes = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return (murmur2(bytes) & 0x7fffffff) % numPartitions;
}

/** For each key, its partition before and after a partition-count change. */
export function keyMoves(keys: readonly string[], before: number, after: number): { key: string; from: number; to: number; moved: boolean }[] {
  return keys.map((key) => {
    const from = partitionForKey(key, before);
    const to = partitionForKey(key, after);
    return { key, from, to, moved: from !== to };
  });
}
