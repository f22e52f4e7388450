/**
 * Zigzag varints as record batch v2 uses them inside records (Protocol Buffers' encoding).
 * Offsets and timestamps are JavaScript numbers, exact up to 2^53, so "varlong" here is
 * done with arithmetic instead of 64-bit integers; a lab never gets near that limit.
 *
 * Readers take a `Cursor` so the record walker can parse without allocating per field.
 */
import { KafkaError } from '../errors';

export interface Cursor {
  pos: number;
}

const TWO_POW_32 = 0x1_0000_0000;

/** Reads a zigzag varint (up to 5 bytes, 32-bit range). */
export function readVarint(bytes: Uint8Array, cur: Cursor, end = bytes.length): number {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (cur.pos >= end) throw truncated();
    const b = bytes[cur.pos++]!;
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new KafkaError('CORRUPT_MESSAGE', 'A varint in a record is longer than 5 bytes.', 'Check the producer encodes records as record batch v2.');
  }
  return (value >>> 1) ^ -(value & 1);
}

/** Reads a zigzag varlong (up to 10 bytes); exact while the value fits in 2^53. */
export function readVarlong(bytes: Uint8Array, cur: Cursor, end = bytes.length): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; ; i++) {
    if (cur.pos >= end) throw truncated();
    const b = bytes[cur.pos++]!;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
    if (i >= 9) throw new KafkaError('CORRUPT_MESSAGE', 'A varlong in a record is longer than 10 bytes.', 'Check the producer encodes records as record batch v2.');
  }
  // Zigzag: even numbers are non-negative, odd ones negative.
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

function truncated(): KafkaError {
  return new KafkaError('CORRUPT_MESSAGE', 'A record ends in the middle of a varint.', 'The batch is truncated or its lengths are wrong.');
}

/** Number of bytes `writeVarlong` needs for `n` (also right for 32-bit varints). */
export function sizeOfVarlong(n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  let size = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    size++;
  }
  return size;
}

/** Writes a zigzag varint/varlong at `pos`, returns the position after it. */
export function writeVarlong(bytes: Uint8Array, pos: number, n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 128) {
    bytes[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  bytes[pos++] = z;
  return pos;
}

export const writeVarint = writeVarlong;
export const sizeOfVarint = sizeOfVarlong;

/** Big-endian signed 64-bit read into a number (exact up to 2^53). */
export function readInt64(view: DataView, pos: number): number {
  return view.getInt32(pos) * TWO_POW_32 + view.getUint32(pos + 4);
}

export function writeInt64(view: DataView, pos: number, n: number): void {
  const hi = Math.floor(n / TWO_POW_32);
  view.setInt32(pos, hi);
  view.setUint32(pos + 4, n - hi * TWO_POW_32);
}
