/**
 * Kafka's Uuid as text: 16 random bytes in URL-safe base64 without padding (22 chars),
 * drawn from the seeded PRNG so that topic ids replay with the run.
 */
import type { Prng } from '../sim/prng';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomUuid(prng: Prng): string {
  const bytes: number[] = [];
  for (let i = 0; i < 4; i++) {
    const word = prng.nextUint32();
    bytes.push(word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
  }
  // Kafka reserves the all-zero and "metadata topic" ids; a random draw hitting them is
  // astronomically unlikely, but the first byte is nudged away from zero to be sure.
  bytes[0] = (bytes[0] ?? 0) | 0x01;
  return base64Url(bytes);
}

export function base64Url(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += alphabet[(n >>> 18) & 63]! + alphabet[(n >>> 12) & 63]!;
    if (b1 !== undefined) out += alphabet[(n >>> 6) & 63]!;
    if (b2 !== undefined) out += alphabet[n & 63]!;
  }
  return out;
}
