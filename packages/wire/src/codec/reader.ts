/**
 * A bounds-checked cursor over one frame. Every read checks the bytes it needs against `end`
 * first, so a lying length prefix can never make us read past the frame or allocate more than
 * the frame holds; violations throw WireDecodeError and nothing else.
 */
import { WireDecodeError } from '../errors';
import { decodeUtf8 } from './utf8';
import { uuidBytes, uuidToString } from './uuid';

const twoPow32 = 0x1_0000_0000;

export class WireReader {
  readonly bytes: Uint8Array;
  readonly end: number;
  pos: number;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string): never {
    throw new WireDecodeError('INVALID_REQUEST', message, this.pos);
  }

  private need(count: number, what: string): number {
    if (count > this.end - this.pos) {
      this.fail(`${what} needs ${count} bytes but only ${this.end - this.pos} remain in the frame`);
    }
    const at = this.pos;
    this.pos += count;
    return at;
  }

  int8(): number {
    return this.view.getInt8(this.need(1, 'int8'));
  }

  bool(): boolean {
    return this.view.getUint8(this.need(1, 'bool')) !== 0;
  }

  int16(): number {
    return this.view.getInt16(this.need(2, 'int16'));
  }

  uint16(): number {
    return this.view.getUint16(this.need(2, 'uint16'));
  }

  int32(): number {
    return this.view.getInt32(this.need(4, 'int32'));
  }

  uint32(): number {
    return this.view.getUint32(this.need(4, 'uint32'));
  }

  /** int64 as a number; values beyond 2^53 cannot be represented exactly and are rejected. */
  int64(): number {
    const at = this.need(8, 'int64');
    const value = this.view.getInt32(at) * twoPow32 + this.view.getUint32(at + 4);
    if (!Number.isSafeInteger(value)) {
      this.pos = at;
      this.fail('int64 value is outside the range this broker represents exactly (|v| < 2^53)');
    }
    return value;
  }

  float64(): number {
    return this.view.getFloat64(this.need(8, 'float64'));
  }

  /** Unsigned LEB128 varint of at most 5 bytes (the protocol's uint32 lengths and tags). */
  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.bytes[this.need(1, 'varint')] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (value >= twoPow32) this.fail('unsigned varint does not fit in 32 bits');
        return value;
      }
    }
    return this.fail('unsigned varint is longer than 5 bytes');
  }

  /** Zigzag varint (int32), as used inside records. */
  varint(): number {
    const raw = this.unsignedVarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /**
   * Zigzag varlong (int64, at most 10 bytes). The first 7 bytes (49 bits) add up exactly in a
   * double; longer encodings switch to BigInt so the 2^53 check is exact. Values beyond 2^53
   * are rejected.
   */
  varlong(): number {
    let raw = 0;
    for (let shift = 0; shift < 49; shift += 7) {
      const byte = this.bytes[this.need(1, 'varlong')] as number;
      raw += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    return this.varlongTail(BigInt(raw));
  }

  private varlongTail(low: bigint): number {
    let raw = low;
    for (let shift = 49n; shift < 70n; shift += 7n) {
      const byte = this.bytes[this.need(1, 'varlong')] as number;
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        const value = (raw & 1n) === 0n ? raw >> 1n : -((raw + 1n) >> 1n);
        const result = Number(value);
        if (!Number.isSafeInteger(result)) this.fail('varlong is outside the exact number range');
        return result;
      }
    }
    return this.fail('varlong is longer than 10 bytes');
  }

  /** A view of the next `count` bytes (no copy: it shares the frame's memory). */
  raw(count: number): Uint8Array {
    const at = this.need(count, 'bytes');
    return this.bytes.subarray(at, at + count);
  }

  skip(count: number): void {
    this.need(count, 'skipped field');
  }

  /** A reader over the next `count` bytes, which this reader then skips (tagged fields). */
  sub(count: number): WireReader {
    const at = this.need(count, 'tagged field');
    return new WireReader(this.bytes, at, at + count);
  }

  private text(length: number): string {
    const at = this.need(length, 'string');
    return decodeUtf8(this.bytes, at, at + length);
  }

  /** Classic (int16-length) string; null is -1 and only allowed when `nullable`. */
  string(nullable: boolean): string | null {
    const length = this.int16();
    if (length >= 0) return this.text(length);
    if (length === -1 && nullable) return null;
    return this.fail(`string length ${length} is not valid here`);
  }

  /** Compact string: unsigned varint of length + 1, 0 meaning null. */
  compactString(nullable: boolean): string | null {
    const lengthPlusOne = this.unsignedVarint();
    if (lengthPlusOne > 0) return this.text(lengthPlusOne - 1);
    if (nullable) return null;
    return this.fail('compact string is null where the field is not nullable');
  }

  /** Classic (int32-length) bytes; null is -1. */
  bytesField(nullable: boolean): Uint8Array | null {
    const length = this.int32();
    if (length >= 0) return this.raw(length);
    if (length === -1 && nullable) return null;
    return this.fail(`bytes length ${length} is not valid here`);
  }

  compactBytes(nullable: boolean): Uint8Array | null {
    const lengthPlusOne = this.unsignedVarint();
    if (lengthPlusOne > 0) return this.raw(lengthPlusOne - 1);
    if (nullable) return null;
    return this.fail('compact bytes are null where the field is not nullable');
  }

  uuid(): string {
    const at = this.need(uuidBytes, 'uuid');
    return uuidToString(this.bytes, at);
  }

  /**
   * Array element count, or -1 for null. A count larger than the bytes left cannot be honest
   * (every element takes at least one byte), so it is refused before anything is allocated.
   */
  arrayLength(compact: boolean, nullable: boolean): number {
    const count = compact ? this.unsignedVarint() - 1 : this.int32();
    if (count === -1) {
      if (nullable) return -1;
      this.fail('array is null where the field is not nullable');
    }
    if (count < 0) this.fail(`array length ${count} is negative`);
    if (count > this.remaining()) this.fail(`array of ${count} elements cannot fit in ${this.remaining()} bytes`);
    return count;
  }
}
