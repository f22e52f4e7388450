import { describe, expect, it } from 'vitest';
import { KafkaError } from '../errors';
import {
  ATTR_CONTROL, ATTR_TRANSACTIONAL, BatchIterator, checkBatchIntegrity, CRC_OFFSET, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, readBatchHeader,
} from './batch';
import { crc32c } from './crc32c';
import { controlRecordType, decodeRecordBatch, encodeEndTxnMarker, encodeRecordBatch } from './records';
import { fakeCodecs, prng } from './test-helpers';
import { readVarlong, sizeOfVarlong, writeVarlong } from './varint';

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe('CRC-32C', () => {
  it('matches the Castagnoli check value for "123456789" (RFC 3720 B.4)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('gives the same answer through the 8-byte fast path and the byte loop', () => {
    const rand = prng(7);
    const data = Uint8Array.from({ length: 1000 }, () => Math.floor(rand() * 256));
    for (const len of [0, 1, 7, 8, 9, 63, 64, 999]) {
      let slow = -1;
      for (let i = 0; i < len; i++) {
        slow ^= data[i]!;
        for (let k = 0; k < 8; k++) slow = slow & 1 ? (slow >>> 1) ^ 0x82f63b78 : slow >>> 1;
      }
      expect(crc32c(data, 0, len)).toBe((slow ^ -1) >>> 0);
    }
  });
});

describe('zigzag varints', () => {
  it('round-trip small, negative and 2^53-range values with the protobuf sizes', () => {
    const values = [0, -1, 1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31), 1_700_000_000_000, -1_700_000_000_000, 2 ** 52];
    const buf = new Uint8Array(12);
    for (const v of values) {
      const end = writeVarlong(buf, 0, v);
      expect(end).toBe(sizeOfVarlong(v));
      expect(readVarlong(buf, { pos: 0 })).toBe(v);
    }
    expect(sizeOfVarlong(-1)).toBe(1);
    expect(sizeOfVarlong(64)).toBe(2);
  });
});

describe('record batch v2 encode/decode (wire-protocol §7)', () => {
  it('places header fields at Kafka offsets and covers attributes..end with the CRC', () => {
    const b = encodeRecordBatch({ records: [{ key: 'k', value: 'v', timestamp: 1000 }], baseOffset: 42, partitionLeaderEpoch: 3, producerId: 9, producerEpoch: 1, baseSequence: 5 });
    const v = new DataView(b.buffer);
    expect(v.getInt32(8)).toBe(b.length - LOG_OVERHEAD);
    expect(v.getInt8(16)).toBe(2);
    expect(v.getUint32(CRC_OFFSET)).toBe(crc32c(b, 21));
    const h = readBatchHeader(b);
    expect(h).toMatchObject({ baseOffset: 42, partitionLeaderEpoch: 3, producerId: 9, producerEpoch: 1, baseSequence: 5, recordsCount: 1, lastOffsetDelta: 0, baseTimestamp: 1000, maxTimestamp: 1000 });
  });

  it('round-trips keys, values, null key/value, headers and timestamps', () => {
    const b = encodeRecordBatch({
      baseOffset: 10,
      records: [
        { key: 'a', value: 'one', timestamp: 5000, headers: [{ key: 'h1', value: 'x' }, { key: 'h2', value: null }] },
        { key: null, value: 'two', timestamp: 4000 },
        { key: 'c', value: null, timestamp: 7000 },
      ],
    });
    const d = decodeRecordBatch(b);
    expect(d.maxTimestamp).toBe(7000);
    expect(d.records.map((r) => [r.offset, text(r.key), text(r.value), r.timestamp])).toEqual([
      [10, 'a', 'one', 5000], [11, null, 'two', 4000], [12, 'c', null, 7000],
    ]);
    expect(d.records[0]!.headers.map((h) => [h.key, text(h.value)])).toEqual([['h1', 'x'], ['h2', null]]);
  });

  it('gives every record the batch maxTimestamp under LogAppendTime', () => {
    const b = encodeRecordBatch({ records: [{ key: 'a', value: '1', timestamp: 1 }], timestampType: 'LogAppendTime', logAppendTimeMs: 99 });
    const d = decodeRecordBatch(b);
    expect(d.timestampType).toBe('LogAppendTime');
    expect(d.records[0]!.timestamp).toBe(99);
  });

  it('compresses through the codec port and decodes the same records', () => {
    const records = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `value-${i}`, timestamp: 100 + i }));
    const b = encodeRecordBatch({ records, compression: 'gzip', codecs: fakeCodecs });
    const h = readBatchHeader(b);
    expect(h.compression).toBe('gzip');
    expect(decodeRecordBatch(b, fakeCodecs).records.map((r) => text(r.value))).toEqual(records.map((r) => r.value));
  });

  it('refuses a compressed batch without the codec as UNSUPPORTED_COMPRESSION_TYPE', () => {
    const b = encodeRecordBatch({ records: [{ key: 'a', value: 'b' }], compression: 'zstd', codecs: fakeCodecs });
    expect(() => decodeRecordBatch(b)).toThrow(expect.objectContaining({ errorName: 'UNSUPPORTED_COMPRESSION_TYPE' }));
  });

  it('builds transaction markers with attributes 0x30, baseSequence -1 and the marker key/value', () => {
    const b = encodeEndTxnMarker({ producerId: 7, producerEpoch: 2, commit: false, coordinatorEpoch: 12, timestamp: 5 });
    const d = decodeRecordBatch(b);
    expect(d.attributes & (ATTR_CONTROL | ATTR_TRANSACTIONAL)).toBe(0x30);
    expect(d.baseSequence).toBe(-1);
    expect(controlRecordType(d.records[0]!.key)).toBe('ABORT');
    expect(new DataView(d.records[0]!.value!.buffer, d.records[0]!.value!.byteOffset).getInt32(2)).toBe(12);
  });
});

describe('BatchIterator (hot path)', () => {
  it('walks concatenated batches and reports a partial tail without throwing', () => {
    const a = encodeRecordBatch({ records: [{ value: 'a' }, { value: 'b' }], baseOffset: 0 });
    const b = encodeRecordBatch({ records: [{ value: 'c' }], baseOffset: 2 });
    const all = new Uint8Array(a.length + b.length);
    all.set(a);
    all.set(b, a.length);
    const it = new BatchIterator(all.subarray(0, all.length - 3));
    const seen: number[] = [];
    while (it.next()) seen.push(it.baseOffset, it.lastOffset);
    expect(seen).toEqual([0, 1]);
    expect(it.partialTail).toBe(true);
    expect(it.validBytesEnd).toBe(a.length);
  });

  it('rejects a length below the header size as CORRUPT_MESSAGE', () => {
    const b = encodeRecordBatch({ records: [{ value: 'a' }] });
    new DataView(b.buffer).setInt32(8, 10);
    const it = new BatchIterator(b);
    expect(() => it.next()).toThrow(KafkaError);
  });

  it('checkBatchIntegrity catches a flipped bit and a wrong magic', () => {
    const b = encodeRecordBatch({ records: [{ value: 'hello' }] });
    b[RECORD_BATCH_OVERHEAD + 3]! ^= 1;
    const it = new BatchIterator(b);
    it.next();
    expect(() => checkBatchIntegrity(it)).toThrow(expect.objectContaining({ errorName: 'CORRUPT_MESSAGE' }));
    const m = encodeRecordBatch({ records: [{ value: 'hello' }] });
    m[16] = 1;
    const it2 = new BatchIterator(m);
    it2.next();
    expect(() => checkBatchIntegrity(it2)).toThrow(/magic 1/);
  });
});
