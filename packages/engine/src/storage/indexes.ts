/**
 * A segment's sparse indexes, kept in memory and mirrored to `.index` / `.timeindex` files.
 *
 * Offset index entry: (offset - baseOffset) i32, physical position i32. `lookup(offset)` gives
 * the position of the greatest entry at or below the offset, where a scan starts.
 * Time index entry: timestamp i64, (offset - baseOffset) i32, appended only when the segment's
 * max timestamp grows (Kafka's TimeIndex.maybeAppend). Kafka preallocates both files to
 * segment.index.bytes and trims them on roll; here they simply grow, and "full" is computed
 * from segment.index.bytes the same way.
 */
import { assert } from '../assert';
import { writeInt64 } from './varint';

export const OFFSET_INDEX_ENTRY_BYTES = 8;
export const TIME_INDEX_ENTRY_BYTES = 12;

export class OffsetIndex {
  readonly offsets: number[] = [];
  readonly positions: number[] = [];
  constructor(readonly baseOffset: number, readonly maxEntries: number) {}

  get entries(): number {
    return this.offsets.length;
  }
  get isFull(): boolean {
    return this.offsets.length >= this.maxEntries;
  }
  get lastOffset(): number {
    return this.offsets[this.offsets.length - 1] ?? this.baseOffset;
  }

  /** Appends an entry and returns its 8 file bytes. */
  append(offset: number, position: number): Uint8Array {
    assert(this.offsets.length === 0 || offset > this.lastOffset, 'offset index entries increase');
    this.offsets.push(offset);
    this.positions.push(position);
    return encodeOffsetEntry(offset - this.baseOffset, position);
  }

  /** Greatest entry with offset <= target, or the segment start. */
  lookup(target: number): { offset: number; position: number } {
    const i = floorIndex(this.offsets, target);
    return i < 0 ? { offset: this.baseOffset, position: 0 } : { offset: this.offsets[i]!, position: this.positions[i]! };
  }

  /** Drops entries at or past `position` (used by truncation). Returns entries kept. */
  truncateToPosition(position: number): number {
    let n = this.positions.length;
    while (n > 0 && this.positions[n - 1]! >= position) n--;
    this.offsets.length = n;
    this.positions.length = n;
    return n;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.offsets.length * OFFSET_INDEX_ENTRY_BYTES);
    const v = new DataView(out.buffer);
    for (let i = 0; i < this.offsets.length; i++) {
      v.setInt32(i * 8, this.offsets[i]! - this.baseOffset);
      v.setInt32(i * 8 + 4, this.positions[i]!);
    }
    return out;
  }

  /** Loads entries from file bytes; false if they are not a plausible index (then rebuild). */
  load(bytes: Uint8Array, segmentSizeBytes: number): boolean {
    if (bytes.length % OFFSET_INDEX_ENTRY_BYTES !== 0) return false;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let p = 0; p < bytes.length; p += 8) {
      const offset = this.baseOffset + v.getInt32(p);
      const position = v.getInt32(p + 4);
      const last = this.offsets.length - 1;
      if (position >= segmentSizeBytes || (last >= 0 && (offset <= this.offsets[last]! || position <= this.positions[last]!))) return false;
      this.offsets.push(offset);
      this.positions.push(position);
    }
    return true;
  }
}

export class TimeIndex {
  readonly timestamps: number[] = [];
  readonly offsets: number[] = [];
  constructor(readonly baseOffset: number, readonly maxEntries: number) {}

  get entries(): number {
    return this.timestamps.length;
  }
  get isFull(): boolean {
    return this.timestamps.length >= this.maxEntries;
  }
  get lastTimestamp(): number {
    return this.timestamps[this.timestamps.length - 1] ?? -1;
  }

  /** Appends when the timestamp is newer than the last entry; returns the file bytes or undefined. */
  maybeAppend(timestamp: number, offset: number): Uint8Array | undefined {
    if (timestamp <= this.lastTimestamp) return undefined;
    this.timestamps.push(timestamp);
    this.offsets.push(offset);
    const out = new Uint8Array(TIME_INDEX_ENTRY_BYTES);
    const v = new DataView(out.buffer);
    writeInt64(v, 0, timestamp);
    v.setInt32(8, offset - this.baseOffset);
    return out;
  }

  /** Greatest entry with timestamp <= target: the offset to start a timestamp search from. */
  lookup(target: number): number {
    const i = floorIndex(this.timestamps, target);
    return i < 0 ? this.baseOffset : this.offsets[i]!;
  }

  truncateToOffset(offset: number): number {
    let n = this.offsets.length;
    while (n > 0 && this.offsets[n - 1]! >= offset) n--;
    this.timestamps.length = n;
    this.offsets.length = n;
    return n;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.timestamps.length * TIME_INDEX_ENTRY_BYTES);
    const v = new DataView(out.buffer);
    for (let i = 0; i < this.timestamps.length; i++) {
      writeInt64(v, i * 12, this.timestamps[i]!);
      v.setInt32(i * 12 + 8, this.offsets[i]! - this.baseOffset);
    }
    return out;
  }
}

function encodeOffsetEntry(relativeOffset: number, position: number): Uint8Array {
  const out = new Uint8Array(OFFSET_INDEX_ENTRY_BYTES);
  const v = new DataView(out.buffer);
  v.setInt32(0, relativeOffset);
  v.setInt32(4, position);
  return out;
}

/** Index of the greatest element <= target in an ascending array, or -1. */
function floorIndex(sorted: number[], target: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= target) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
