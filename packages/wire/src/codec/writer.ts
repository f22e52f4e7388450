/**
 * A growable big-endian byte sink. It doubles its buffer when full, so encoding a message costs
 * one copy per doubling instead of a separate sizing pass. Values are range-checked on the way
 * in: writing an out-of-range number is a bug in our code and throws WireEncodeError.
 */
import { WireEncodeError } from '../errors';
import { encodeUtf8, writeAscii } from './utf8';
import { uuidBytes, uuidFromString } from './uuid';

const twoPow32 = 0x1_0000_0000;

function checkInt(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new WireEncodeError(`${what} value ${String(value)} is not an integer in [${min}, ${max}]`);
  }
}

export class WireWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  /** Reserves `count` bytes and returns where they start; may replace `buf` and `view`. */
  private ensure(count: number): number {
    const at = this.pos;
    if (at + count > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < at + count) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.pos = at + count;
    return at;
  }

  /** The bytes written so far (a view; the writer must not be used afterwards). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  int8(value: number): void {
    checkInt(value, -0x80, 0x7f, 'int8');
    const at = this.ensure(1);
    this.view.setInt8(at, value);
  }

  bool(value: boolean): void {
    const at = this.ensure(1);
    this.view.setUint8(at, value ? 1 : 0);
  }

  int16(value: number): void {
    checkInt(value, -0x8000, 0x7fff, 'int16');
    const at = this.ensure(2);
    this.view.setInt16(at, value);
  }

  uint16(value: number): void {
    checkInt(value, 0, 0xffff, 'uint16');
    const at = this.ensure(2);
    this.view.setUint16(at, value);
  }

  int32(value: number): void {
    checkInt(value, -0x8000_0000, 0x7fff_ffff, 'int32');
    const at = this.ensure(4);
    this.view.setInt32(at, value);
  }

  uint32(value: number): void {
    checkInt(value, 0, 0xffff_ffff, 'uint32');
    const at = this.ensure(4);
    this.view.setUint32(at, value);
  }

  int64(value: number): void {
    checkInt(value, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'int64');
    const high = Math.floor(value / twoPow32);
    const at = this.ensure(8);
    this.view.setInt32(at, high);
    this.view.setUint32(at + 4, value - high * twoPow32);
  }

  float64(value: number): void {
    const at = this.ensure(8);
    this.view.setFloat64(at, value);
  }

  /** Overwrites an int32 written earlier (frame sizes, known only at the end). */
  patchInt32(at: number, value: number): void {
    checkInt(value, -0x8000_0000, 0x7fff_ffff, 'int32');
    this.view.setInt32(at, value);
  }

  /** One raw byte; `ensure` may swap the buffer, so it must run before the buffer is read. */
  private byte(value: number): void {
    const at = this.ensure(1);
    this.buf[at] = value;
  }

  unsignedVarint(value: number): void {
    checkInt(value, 0, 0xffff_ffff, 'unsigned varint');
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  varint(value: number): void {
    checkInt(value, -0x8000_0000, 0x7fff_ffff, 'varint');
    this.unsignedVarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /** Zigzag varlong; the zigzag value can exceed 2^53, so it is shifted out in BigInt. */
  varlong(value: number): void {
    checkInt(value, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'varlong');
    const big = BigInt(value);
    let rest = big >= 0n ? big << 1n : (-big << 1n) - 1n;
    while (rest >= 0x80n) {
      this.byte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.byte(Number(rest));
  }

  raw(bytes: Uint8Array): void {
    const at = this.ensure(bytes.length);
    this.buf.set(bytes, at);
  }

  /** Length-prefixed UTF-8, ASCII written in place; returns nothing, throws if too long. */
  private text(value: string, compact: boolean): void {
    if (!compact && value.length <= 0x7fff) {
      const at = this.ensure(2 + value.length);
      const written = writeAscii(value, this.buf, at + 2);
      if (written >= 0) {
        this.view.setInt16(at, written);
        return;
      }
      this.pos = at;
    }
    const bytes = encodeUtf8(value);
    if (compact) this.unsignedVarint(bytes.length + 1);
    else if (bytes.length > 0x7fff) throw new WireEncodeError(`string of ${bytes.length} bytes exceeds 32767`);
    else this.int16(bytes.length);
    this.raw(bytes);
  }

  string(value: string | null, compact: boolean): void {
    if (value === null) {
      if (compact) this.unsignedVarint(0);
      else this.int16(-1);
      return;
    }
    this.text(value, compact);
  }

  bytesField(value: Uint8Array | null, compact: boolean): void {
    if (value === null) {
      if (compact) this.unsignedVarint(0);
      else this.int32(-1);
      return;
    }
    if (compact) this.unsignedVarint(value.length + 1);
    else this.int32(value.length);
    this.raw(value);
  }

  uuid(value: string): void {
    const at = this.ensure(uuidBytes);
    if (!uuidFromString(value, this.buf, at)) {
      throw new WireEncodeError(`"${value}" is not a Kafka Uuid (22 characters of URL-safe base64)`);
    }
  }

  /** Array length prefix; null is -1 (classic) or 0 (compact). */
  arrayLength(count: number | null, compact: boolean): void {
    if (compact) this.unsignedVarint(count === null ? 0 : count + 1);
    else this.int32(count === null ? -1 : count);
  }
}
