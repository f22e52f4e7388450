import { describe, expect, it } from 'vitest';
import { WireDecodeError, WireEncodeError } from '../errors';
import { WireReader } from './reader';
import { WireWriter } from './writer';
import { ZERO_UUID, uuidFromString, uuidToString } from './uuid';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string): Uint8Array => new Uint8Array(text.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? []);

function written(write: (writer: WireWriter) => void): string {
  const writer = new WireWriter(1);
  write(writer);
  return hex(writer.finish());
}

describe('fixed-width integers are big-endian', () => {
  it('writes the known encodings', () => {
    expect(written((w) => w.int16(-2))).toBe('fffe');
    expect(written((w) => w.int32(9092))).toBe('00002384');
    expect(written((w) => w.int64(-1))).toBe('ffffffffffffffff');
    expect(written((w) => w.int64(2 ** 32 + 5))).toBe('0000000100000005');
    expect(written((w) => w.int64(-(2 ** 32) - 5))).toBe('fffffffefffffffb');
    expect(written((w) => w.uint32(0xdeadbeef))).toBe('deadbeef');
  });

  it('reads int64 back exactly up to 2^53 and refuses beyond', () => {
    for (const value of [0, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 32 + 5, -(2 ** 40) + 3]) {
      const writer = new WireWriter(1);
      writer.int64(value);
      expect(new WireReader(writer.finish()).int64()).toBe(value);
    }
    expect(() => new WireReader(fromHex('7fffffffffffffff')).int64()).toThrow(WireDecodeError);
    expect(() => new WireReader(fromHex('8000000000000000')).int64()).toThrow(WireDecodeError);
    expect(() => new WireWriter().int64(2 ** 53)).toThrow(WireEncodeError);
  });

  it('refuses out-of-range values on encode', () => {
    expect(() => new WireWriter().int8(128)).toThrow(WireEncodeError);
    expect(() => new WireWriter().int16(1.5)).toThrow(WireEncodeError);
    expect(() => new WireWriter().int32(2 ** 31)).toThrow(WireEncodeError);
  });
});

describe('varints', () => {
  const zigzag: [number, string][] = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [63, '7e'],
    [-64, '7f'],
    [64, '8001'],
    [-65, '8101'],
    [2147483647, 'feffffff0f'],
    [-2147483648, 'ffffffff0f'],
  ];

  it('zigzag varint matches the record format encodings', () => {
    for (const [value, encoded] of zigzag) {
      expect(written((w) => w.varint(value))).toBe(encoded);
      expect(new WireReader(fromHex(encoded)).varint()).toBe(value);
    }
  });

  it('unsigned varint matches LEB128', () => {
    expect(written((w) => w.unsignedVarint(300))).toBe('ac02');
    expect(written((w) => w.unsignedVarint(0xffffffff))).toBe('ffffffff0f');
    expect(new WireReader(fromHex('ac02')).unsignedVarint()).toBe(300);
  });

  it('varlong round-trips across the exact range', () => {
    const values = [0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 49, -(2 ** 49), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (const value of values) {
      const writer = new WireWriter(1);
      writer.varlong(value);
      const reader = new WireReader(writer.finish());
      expect(reader.varlong()).toBe(value);
      expect(reader.remaining()).toBe(0);
    }
    expect(written((w) => w.varlong(-1))).toBe('01');
    expect(written((w) => w.varlong(150))).toBe('ac02');
  });

  it('rejects over-long and out-of-range varints', () => {
    expect(() => new WireReader(fromHex('ffffffffff01')).unsignedVarint()).toThrow(WireDecodeError);
    expect(() => new WireReader(fromHex('ffffffff1f')).unsignedVarint()).toThrow(/32 bits/);
    expect(() => new WireReader(fromHex('ffffffffffffffffff7f')).varlong()).toThrow(WireDecodeError);
    expect(() => new WireReader(fromHex('ffffffffffffffffffff01')).varlong()).toThrow(/longer than 10/);
    expect(() => new WireReader(fromHex('8080')).unsignedVarint()).toThrow(WireDecodeError);
  });
});

describe('strings and bytes', () => {
  it('classic and compact strings, with null', () => {
    expect(written((w) => w.string('foo', false))).toBe('0003666f6f');
    expect(written((w) => w.string(null, false))).toBe('ffff');
    expect(written((w) => w.string('foo', true))).toBe('04666f6f');
    expect(written((w) => w.string(null, true))).toBe('00');
    expect(written((w) => w.string('é', false))).toBe('0002c3a9');
    expect(new WireReader(fromHex('0002c3a9')).string(false)).toBe('é');
    expect(new WireReader(fromHex('ffff')).string(true)).toBeNull();
    expect(new WireReader(fromHex('00')).compactString(true)).toBeNull();
  });

  it('refuses null where the field is not nullable and lengths beyond the frame', () => {
    expect(() => new WireReader(fromHex('ffff')).string(false)).toThrow(WireDecodeError);
    expect(() => new WireReader(fromHex('fffe')).string(true)).toThrow(WireDecodeError);
    expect(() => new WireReader(fromHex('00')).compactString(false)).toThrow(WireDecodeError);
    expect(() => new WireReader(fromHex('0005616263')).string(false)).toThrow(/needs 5 bytes/);
    expect(() => new WireReader(fromHex('7fffffff00')).bytesField(false)).toThrow(WireDecodeError);
  });

  it('bytes are views into the frame, not copies', () => {
    const frame = fromHex('00000002abcd');
    const bytes = new WireReader(frame).bytesField(false);
    expect(bytes && hex(bytes)).toBe('abcd');
    frame[4] = 0;
    expect(bytes?.[0]).toBe(0);
  });

  it('long non-ASCII strings go through the UTF-8 codec both ways', () => {
    const text = '漢字'.repeat(100) + 'x'.repeat(100);
    const writer = new WireWriter(1);
    writer.string(text, false);
    writer.string(text, true);
    const reader = new WireReader(writer.finish());
    expect(reader.string(false)).toBe(text);
    expect(reader.compactString(false)).toBe(text);
  });
});

describe('arrays refuse counts the frame cannot hold', () => {
  it('before allocating anything', () => {
    expect(() => new WireReader(fromHex('7fffffff')).arrayLength(false, false)).toThrow(/cannot fit/);
    expect(() => new WireReader(fromHex('ffffffff')).arrayLength(false, false)).toThrow(/not nullable/);
    expect(new WireReader(fromHex('ffffffff')).arrayLength(false, true)).toBe(-1);
    expect(() => new WireReader(fromHex('fffffffe')).arrayLength(false, true)).toThrow(/negative/);
    expect(new WireReader(fromHex('00')).arrayLength(true, true)).toBe(-1);
    expect(new WireReader(fromHex('030000')).arrayLength(true, false)).toBe(2);
    expect(() => new WireReader(fromHex('0300')).arrayLength(true, false)).toThrow(/cannot fit/);
  });
});

describe('uuid', () => {
  it('uses Kafka’s URL-safe base64 form', () => {
    expect(uuidToString(new Uint8Array(16))).toBe(ZERO_UUID);
    const bytes = fromHex('fbfffffffffffffffffffffffffffff0');
    const text = uuidToString(bytes);
    expect(text).toBe('-___________________8A');
    const back = new Uint8Array(16);
    expect(uuidFromString(text, back)).toBe(true);
    expect(hex(back)).toBe(hex(bytes));
    expect(uuidFromString('not-a-uuid', back)).toBe(false);
    expect(uuidFromString('AAAAAAAAAAAAAAAAAAAAAB', back)).toBe(false);
  });
});
