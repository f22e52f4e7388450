import { describe, expect, it } from 'vitest';
import { readBatchHeader } from './batch';
import { logConfigFromProps } from './config';
import { decodeRecordBatch, encodeEndTxnMarker } from './records';
import { batch, decodeAll, fakeCodecs, kv, makeLog, readAll } from './test-helpers';

const records = (n: number, ts: number, valueBytes = 10) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(valueBytes), timestamp: ts + i }));

describe('appendAsLeader: validation (LogValidator, wire-protocol §4)', () => {
  it('assigns baseOffset and partitionLeaderEpoch in place and keeps the CRC valid', () => {
    const { log } = makeLog();
    const b1 = batch(records(3, 1000));
    const info = log.appendAsLeader(b1, 4);
    expect(info).toMatchObject({ baseOffset: 0, lastOffset: 2, recordCount: 3, maxTimestamp: 1002, logAppendTimeMs: -1 });
    const b2 = batch(records(2, 2000));
    expect(log.appendAsLeader(b2, 4).baseOffset).toBe(3);
    expect(readBatchHeader(b2)).toMatchObject({ baseOffset: 3, partitionLeaderEpoch: 4 });
    expect(log.logEndOffset).toBe(5);
    expect(decodeRecordBatch(log.read(3, { maxBytes: 1000 }).bytes).records.map((r) => r.offset)).toEqual([3, 4]);
  });

  it('rejects a bad CRC, a bad magic and a truncated batch as CORRUPT_MESSAGE', () => {
    const { log } = makeLog();
    const crc = batch(records(1, 0));
    crc[crc.length - 1]! ^= 0xff;
    expect(() => log.appendAsLeader(crc, 0)).toThrow(expect.objectContaining({ errorName: 'CORRUPT_MESSAGE' }));
    const magic = batch(records(1, 0));
    magic[16] = 0;
    expect(() => log.appendAsLeader(magic, 0)).toThrow(expect.objectContaining({ errorName: 'CORRUPT_MESSAGE' }));
    const short = batch(records(1, 0)).subarray(0, 40);
    expect(() => log.appendAsLeader(short, 0)).toThrow(expect.objectContaining({ errorName: 'CORRUPT_MESSAGE' }));
    expect(log.logEndOffset).toBe(0);
  });

  it('rejects lastOffsetDelta != count-1 and client control batches as INVALID_RECORD', () => {
    const { log } = makeLog();
    expect(() => log.appendAsLeader(batch(records(2, 0), { lastOffsetDelta: 5 }), 0)).toThrow(expect.objectContaining({ errorName: 'INVALID_RECORD' }));
    const marker = encodeEndTxnMarker({ producerId: 1, producerEpoch: 0, commit: true, coordinatorEpoch: 0, timestamp: 0 });
    expect(() => log.appendAsLeader(marker, 0)).toThrow(expect.objectContaining({ errorName: 'INVALID_RECORD' }));
    expect(log.appendControlBatch({ producerId: 1, producerEpoch: 0, commit: true, coordinatorEpoch: 0, leaderEpoch: 0 }).isControl).toBe(true);
  });

  it('enforces max.message.bytes with MESSAGE_TOO_LARGE', () => {
    const { log } = makeLog({ maxMessageBytes: 200 });
    expect(() => log.appendAsLeader(batch(records(5, 0, 100)), 0)).toThrow(expect.objectContaining({ errorName: 'MESSAGE_TOO_LARGE', code: 10 }));
  });

  it('requires keys on compacted topics, also inside compressed batches', () => {
    const { log } = makeLog({ cleanupPolicy: 'compact' });
    expect(() => log.appendAsLeader(batch([{ key: null, value: 'v' }]), 0)).toThrow(/without a key/);
    expect(() => log.appendAsLeader(batch([{ key: null, value: 'v' }], { compression: 'gzip', codecs: fakeCodecs }), 0)).toThrow(/without a key/);
    expect(log.appendAsLeader(batch([{ key: 'k', value: 'v' }]), 0).baseOffset).toBe(0);
  });

  it('stamps LogAppendTime into attributes and maxTimestamp when message.timestamp.type=LogAppendTime', () => {
    const { log, clock } = makeLog({ messageTimestampType: 'LogAppendTime' });
    const info = log.appendAsLeader(batch(records(2, 5)), 0);
    expect(info.logAppendTimeMs).toBe(clock.nowMs);
    const d = decodeRecordBatch(log.read(0, { maxBytes: 1000 }).bytes);
    expect(d.timestampType).toBe('LogAppendTime');
    expect(d.records.map((r) => r.timestamp)).toEqual([clock.nowMs, clock.nowMs]);
  });

  it('keeps a compressed batch opaque: stored bytes equal the produced bytes', () => {
    const { log } = makeLog();
    const b = batch(records(10, 0), { compression: 'lz4', codecs: fakeCodecs });
    const copy = b.slice();
    log.appendAsLeader(b, 2);
    const stored = log.read(0, { maxBytes: 10_000 }).bytes;
    expect(stored.subarray(17)).toEqual(copy.subarray(17)); // all but baseOffset/length/epoch/magic
  });
});

describe('segments and indexes', () => {
  it('rolls on segment.bytes and names segments by base offset', () => {
    const { log, events } = makeLog({ segmentBytes: 1000 });
    for (let i = 0; i < 10; i++) log.appendAsLeader(batch(records(5, i * 10, 20)), 0);
    const segs = log.segments();
    expect(segs.length).toBeGreaterThan(2);
    for (const s of segs.slice(0, -1)) expect(s.sizeBytes).toBeLessThanOrEqual(1000);
    expect(segs[1]!.fileName).toBe(String(segs[1]!.baseOffset).padStart(20, '0') + '.log');
    expect(events.filter((e) => e.type === 'segment-rolled').every((e) => e.type === 'segment-rolled' && e.reason === 'segment.bytes')).toBe(true);
    expect(readAll(log).map((r) => r.offset)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rolls on segment.ms measured from the first batch timestamp', () => {
    const { log, events } = makeLog({ segmentMs: 1000 });
    log.appendAsLeader(batch(records(1, 10_000)), 0);
    log.appendAsLeader(batch(records(1, 10_900)), 0);
    expect(log.segments()).toHaveLength(1);
    log.appendAsLeader(batch(records(1, 11_001)), 0);
    expect(log.segments().map((s) => s.baseOffset)).toEqual([0, 2]);
    expect(events.some((e) => e.type === 'segment-rolled' && e.reason === 'segment.ms')).toBe(true);
  });

  it('rolls when the offset index is full (segment.index.bytes)', () => {
    const { log } = makeLog({ segmentIndexBytes: 16, indexIntervalBytes: 1 });
    for (let i = 0; i < 8; i++) log.appendAsLeader(batch(records(1, i)), 0);
    expect(log.segments().length).toBeGreaterThan(1);
    for (const s of log.segments()) expect(s.offsetIndexEntries).toBeLessThanOrEqual(2);
  });

  it('adds an offset index entry after more than index.interval.bytes and emits it', () => {
    const { log, events } = makeLog({ indexIntervalBytes: 500 });
    for (let i = 0; i < 20; i++) log.appendAsLeader(batch(records(2, i * 10, 50)), 0);
    const entries = events.filter((e) => e.type === 'index-entry');
    const batchBytes = batch(records(2, 0, 50)).length;
    expect(entries.length).toBe(Math.floor((20 - 1) / Math.ceil(501 / batchBytes)));
    expect(log.segments()[0]!.offsetIndexEntries).toBe(entries.length);
    expect(log.segments()[0]!.timeIndexEntries).toBe(entries.length);
  });

  it('reads from any offset, returning the batch that holds it (one segment per read)', () => {
    const { log } = makeLog({ segmentBytes: 700, indexIntervalBytes: 100 });
    for (let i = 0; i < 30; i++) log.appendAsLeader(batch(records(3, i * 10)), 0);
    for (const from of [0, 1, 44, 45, 46, 89]) {
      const r = log.read(from, { maxBytes: 1 });
      const first = decodeAll(r.bytes)[0]!;
      expect(first.baseOffset).toBeLessThanOrEqual(from);
      expect(first.lastOffset).toBeGreaterThanOrEqual(from);
      expect(r.nextOffset).toBe(first.lastOffset + 1);
    }
  });

  it('honours maxBytes, minOneBatch (KIP-74) and the upper bound', () => {
    const { log } = makeLog();
    for (let i = 0; i < 5; i++) log.appendAsLeader(batch(records(2, i)), 0);
    const size = batch(records(2, 0)).length;
    expect(log.read(0, { maxBytes: size * 2 + 1 }).nextOffset).toBe(4);
    expect(log.read(0, { maxBytes: 5 }).nextOffset).toBe(2);
    expect(log.read(0, { maxBytes: 5, minOneBatch: false }).bytes.length).toBe(0);
    expect(log.read(0, { maxBytes: 10_000, upperBoundOffset: 6 }).nextOffset).toBe(6);
    expect(log.read(6, { maxBytes: 10_000, upperBoundOffset: 6 }).bytes.length).toBe(0);
    expect(log.read(10, { maxBytes: 100 }).bytes.length).toBe(0);
  });

  it('throws OFFSET_OUT_OF_RANGE outside [logStartOffset, LEO]', () => {
    const { log } = makeLog();
    log.appendAsLeader(batch(records(2, 0)), 0);
    expect(() => log.read(3, { maxBytes: 10 })).toThrow(expect.objectContaining({ errorName: 'OFFSET_OUT_OF_RANGE' }));
    log.updateHighWatermark(2);
    log.deleteRecordsBefore(1);
    expect(() => log.read(0, { maxBytes: 10 })).toThrow(expect.objectContaining({ errorName: 'OFFSET_OUT_OF_RANGE' }));
  });

  it('finds offsets by timestamp across segments (ListOffsets)', () => {
    const { log } = makeLog({ segmentBytes: 400, indexIntervalBytes: 50 });
    for (let i = 0; i < 20; i++) log.appendAsLeader(batch([kv('a', 'v', 1000 + i * 100), kv('b', 'v', 1050 + i * 100)]), 0);
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1000 });
    expect(log.offsetForTimestamp(1050)).toEqual({ offset: 1, timestamp: 1050 });
    expect(log.offsetForTimestamp(1051)).toEqual({ offset: 2, timestamp: 1100 });
    expect(log.offsetForTimestamp(2925)).toEqual({ offset: 39, timestamp: 2950 });
    expect(log.offsetForTimestamp(3000)).toBeUndefined();
  });
});

describe('follower append and truncation', () => {
  it('appends concatenated batches with their offsets and epochs, with gaps allowed', () => {
    const { log } = makeLog();
    const a = batch(records(2, 0), { baseOffset: 0, partitionLeaderEpoch: 1 });
    const b = batch(records(1, 0), { baseOffset: 5, partitionLeaderEpoch: 2 });
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    log.appendAsFollower(both);
    expect(log.logEndOffset).toBe(6);
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 5 });
    expect(() => log.appendAsFollower(batch(records(1, 0), { baseOffset: 3 }))).toThrow(/does not follow/);
  });

  it('truncateTo drops whole batches from the offset on, across segments, and the epoch cache with them', () => {
    const { log, events } = makeLog({ segmentBytes: 300 });
    for (let e = 0; e < 3; e++) for (let i = 0; i < 4; i++) log.appendAsLeader(batch(records(2, i)), e);
    expect(log.latestEpoch()).toBe(2);
    log.updateHighWatermark(24);
    log.truncateTo(10);
    expect(log.logEndOffset).toBe(10);
    expect(log.highWatermark).toBe(10);
    expect(log.latestEpoch()).toBe(1);
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 10 });
    expect(readAll(log).map((r) => r.offset)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(log.appendAsLeader(batch(records(1, 0)), 3).baseOffset).toBe(10);
    expect(events.some((e) => e.type === 'truncate' && e.kind === 'to' && e.logEndOffset === 10)).toBe(true);
  });

  it('truncateFullyAndStartAt empties the log and restarts it at the offset', () => {
    const { log } = makeLog();
    log.appendAsLeader(batch(records(3, 0)), 0);
    log.truncateFullyAndStartAt(100);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark]).toEqual([100, 100, 100]);
    expect(log.latestEpoch()).toBeUndefined();
    expect(log.appendAsLeader(batch(records(1, 0)), 1).baseOffset).toBe(100);
    expect(log.segments().map((s) => s.baseOffset)).toEqual([100]);
  });
});

describe('leader epoch cache (KIP-101, KIP-279)', () => {
  it('answers OffsetsForLeaderEpoch with the start of the next higher epoch', () => {
    const { log } = makeLog();
    log.appendAsLeader(batch(records(3, 0)), 1); // 0..2 in epoch 1
    log.appendAsLeader(batch(records(2, 0)), 3); // 3..4 in epoch 3
    log.appendAsLeader(batch(records(1, 0)), 5); // 5 in epoch 5
    expect(log.endOffsetForEpoch(5)).toEqual({ epoch: 5, endOffset: 6 });
    expect(log.endOffsetForEpoch(3)).toEqual({ epoch: 3, endOffset: 5 });
    expect(log.endOffsetForEpoch(4)).toEqual({ epoch: 3, endOffset: 5 });
    expect(log.endOffsetForEpoch(0)).toEqual({ epoch: 0, endOffset: 0 });
    expect(log.endOffsetForEpoch(6)).toEqual({ epoch: -1, endOffset: -1 });
  });

  it('survives a restart through leader-epoch-checkpoint', () => {
    const t = makeLog();
    t.log.appendAsLeader(batch(records(2, 0)), 7);
    t.log.flush();
    expect(t.reopen().endOffsetForEpoch(7)).toEqual({ epoch: 7, endOffset: 2 });
  });
});

describe('DeleteRecords and retention', () => {
  it('DeleteRecords moves logStartOffset now and deletes whole segments at the next maintenance', () => {
    const { log, events, clock } = makeLog({ segmentBytes: 300 });
    for (let i = 0; i < 12; i++) log.appendAsLeader(batch(records(2, clock.nowMs + i)), 0);
    log.updateHighWatermark(24);
    const firstSegments = log.segments().length;
    log.deleteRecordsBefore(9);
    expect(log.logStartOffset).toBe(9);
    expect(log.segments().length).toBe(firstSegments);
    log.maintenance();
    expect(log.segments()[0]!.baseOffset).toBeLessThanOrEqual(9);
    expect(log.segments()[1]!.baseOffset).toBeGreaterThan(9);
    expect(events.some((e) => e.type === 'retention-delete' && e.reason === 'log-start-offset')).toBe(true);
    expect(readAll(log)[0]!.offset).toBe(9);
    expect(() => log.deleteRecordsBefore(30)).toThrow(expect.objectContaining({ errorName: 'OFFSET_OUT_OF_RANGE' }));
  });

  it('retention.ms deletes segments whose newest timestamp is too old, never past the high watermark', () => {
    const { log, clock } = makeLog({ segmentBytes: 300, retentionMs: 10_000 });
    const t0 = clock.nowMs;
    for (let i = 0; i < 6; i++) log.appendAsLeader(batch(records(2, t0 + i * 1000)), 0);
    for (let i = 0; i < 6; i++) log.appendAsLeader(batch(records(2, t0 + 20_000 + i)), 0);
    clock.advance(25_000);
    log.maintenance();
    expect(log.logStartOffset).toBe(0); // HW is 0: nothing may go
    log.updateHighWatermark(log.logEndOffset);
    log.maintenance();
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(readAll(log).every((r) => r.timestamp >= t0 + 5000)).toBe(true);
  });

  it('retention.bytes keeps the newest segments within the limit and can roll the active segment', () => {
    const { log } = makeLog({ segmentBytes: 500, retentionBytes: 1000 });
    for (let i = 0; i < 20; i++) log.appendAsLeader(batch(records(2, i)), 0);
    log.updateHighWatermark(log.logEndOffset);
    log.maintenance();
    expect(log.sizeBytes).toBeLessThanOrEqual(1000 + 500);
    expect(log.segments()[0]!.baseOffset).toBe(log.logStartOffset);
  });

  it('compact-only topics ignore retention.ms', () => {
    const { log, clock } = makeLog({ segmentBytes: 300, retentionMs: 1, cleanupPolicy: 'compact' });
    for (let i = 0; i < 6; i++) log.appendAsLeader(batch(records(2, 0)), 0);
    log.updateHighWatermark(log.logEndOffset);
    clock.advance(1000);
    log.maintenance();
    expect(log.logStartOffset).toBe(0);
  });
});

describe('flush semantics (flush.messages, flush.ms, roll)', () => {
  it('flush.messages flushes once that many messages are unflushed', () => {
    const { log } = makeLog({ flushMessages: 5 });
    log.appendAsLeader(batch(records(3, 0)), 0);
    expect(log.recoveryPoint).toBe(0);
    log.appendAsLeader(batch(records(3, 0)), 0);
    expect(log.recoveryPoint).toBe(6);
    expect(log.unflushedBytes()).toBe(0);
  });

  it('flush.ms flushes at maintenance once the interval has passed', () => {
    const { log, clock } = makeLog({ flushMs: 1000 });
    log.appendAsLeader(batch(records(3, 0)), 0);
    log.maintenance();
    expect(log.recoveryPoint).toBe(0);
    clock.advance(1000);
    log.maintenance();
    expect(log.recoveryPoint).toBe(3);
  });

  it('a roll flushes the old segment, so a crash loses at most the active segment', () => {
    const { log } = makeLog({ segmentBytes: 300 });
    for (let i = 0; i < 10; i++) log.appendAsLeader(batch(records(2, i)), 0);
    const activeBase = log.activeSegment.baseOffset;
    expect(log.recoveryPoint).toBe(activeBase);
    log.crash();
    expect(log.logEndOffset).toBe(activeBase);
  });

  it('reads the config keys of kafka-configs', () => {
    const cfg = logConfigFromProps({ 'segment.bytes': '1024', 'cleanup.policy': 'compact,delete', 'flush.messages': '9223372036854775807' });
    expect(cfg.segmentBytes).toBe(1024);
    expect(cfg.cleanupPolicy).toBe('compact,delete');
    expect(() => logConfigFromProps({ 'segment.bytes': 'lots' })).toThrow(expect.objectContaining({ errorName: 'INVALID_CONFIG' }));
    expect(() => logConfigFromProps({ 'min.cleanable.dirty.ratio': '1.5' })).toThrow(/at most 1/);
    expect(() => logConfigFromProps({ 'cleanup.policy': 'shred' })).toThrow(/delete and compact/);
  });
});

describe('dump (kafka-dump-log --print-data-log)', () => {
  it('prints batch boundaries, positions, CRC and records', () => {
    const { log } = makeLog();
    log.appendAsLeader(batch([kv('user-1', 'hello', 1000)], { producerId: 4, producerEpoch: 0, baseSequence: 0 }), 2);
    const text = log.dump();
    expect(text).toContain('Dumping 00000000000000000000.log');
    expect(text).toMatch(/baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: 4 producerEpoch: 0 partitionLeaderEpoch: 2 .* position: 0 CreateTime: 1000 .* isvalid: true/);
    expect(text).toContain('| offset: 0 CreateTime: 1000 keySize: 6 valueSize: 5 sequence: 0 headerKeys: [] key: user-1 payload: hello');
  });
});
