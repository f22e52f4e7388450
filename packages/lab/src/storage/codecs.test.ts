import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as snappy from 'snappyjs';
import { cleanLog, decodeRecordBatch, defaultLogConfig, encodeRecordBatch, Log, MemoryLogStore, type CompressionType } from '@kil/engine';
import { isXerialFramed, loadNodeCodecs, snappyCodec, xerialSnappyCompress } from './codecs';

const sample = new TextEncoder().encode('kafka '.repeat(20_000));

describe('node compression codecs', () => {
  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('%s round-trips and actually compresses', async (type) => {
    const codecs = await loadNodeCodecs();
    const codec = codecs[type]!;
    const packed = codec.compress(sample);
    expect(packed.length).toBeLessThan(sample.length / 4);
    expect(codec.decompress(packed)).toEqual(sample);
  });

  it('gzip reads what other gzip writers produce', async () => {
    const codecs = await loadNodeCodecs();
    expect(codecs.gzip!.decompress(new Uint8Array(gzipSync(sample)))).toEqual(sample);
  });

  it('snappy writes the xerial framing Java clients use, in 32 KiB blocks', () => {
    const framed = xerialSnappyCompress(sample);
    expect(isXerialFramed(framed)).toBe(true);
    expect([...framed.subarray(0, 8)]).toEqual([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0]);
    const v = new DataView(framed.buffer, framed.byteOffset);
    expect([v.getInt32(8), v.getInt32(12)]).toEqual([1, 1]);
    let blocks = 0;
    for (let pos = 16; pos < framed.length; pos += 4 + v.getInt32(pos)) blocks++;
    expect(blocks).toBe(Math.ceil(sample.length / 32768));
  });

  it('snappy also reads raw (unframed) snappy as librdkafka may send', () => {
    expect(snappyCodec.decompress(snappy.compress(sample))).toEqual(sample);
  });

  it('lz4 uses the LZ4 frame format (magic 0x184D2204)', async () => {
    const codecs = await loadNodeCodecs();
    const framed = codecs.lz4!.compress(sample);
    expect(new DataView(framed.buffer, framed.byteOffset).getUint32(0, true)).toBe(0x184d2204);
  });

  it('damaged compressed data is CORRUPT_MESSAGE, not a crash', async () => {
    const codecs = await loadNodeCodecs();
    for (const type of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const full = codecs[type]!.compress(sample);
      const packed = full.slice(0, full.length - 3);
      expect(() => codecs[type]!.decompress(packed), type).toThrow(expect.objectContaining({ errorName: 'CORRUPT_MESSAGE' }));
    }
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as CompressionType[])('a %s batch goes through append, read and compaction', async (type) => {
    const codecs = await loadNodeCodecs();
    let now = 1000;
    const log = new Log({ topic: 'c', partition: 0, config: { ...defaultLogConfig, cleanupPolicy: 'compact', segmentBytes: 400 }, store: new MemoryLogStore(), codecs, nowMs: () => now });
    for (let i = 0; i < 12; i++) {
      log.appendAsLeader(encodeRecordBatch({ records: [{ key: 'a', value: `a${i}`, timestamp: now }, { key: 'b', value: `b${i}`, timestamp: now }], compression: type, codecs }), 0);
      now += 10;
    }
    log.updateHighWatermark(log.logEndOffset);
    expect(cleanLog(log, { force: true })).toBeDefined();
    const first = decodeRecordBatch(log.read(0, { maxBytes: 100_000 }).bytes, codecs);
    expect(first.compression).toBe(type);
    expect(first.records.length).toBeLessThanOrEqual(2);
  });
});
