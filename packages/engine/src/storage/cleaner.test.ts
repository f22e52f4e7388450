import { describe, expect, it } from 'vitest';
import { cleanableInfo, cleanCleanableLogs, cleanedSomething, cleanLog, isCleanable, LogCleaner } from './cleaner';
import { decodeRecordBatch } from './records';
import { batch, decodeAll, fakeCodecs, kv, makeLog, ManualClock, prng, readAll } from './test-helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Consumer's view: apply records in order, a null value deletes the key. */
function latestView(records: Array<{ key: string | null; value: string | null }>): Record<string, string> {
  const view: Record<string, string> = {};
  for (const r of records) {
    if (r.key === null) continue;
    if (r.value === null) delete view[r.key];
    else view[r.key] = r.value;
  }
  return view;
}

function compactedLog(config: Parameters<typeof makeLog>[0] = {}) {
  return makeLog({ cleanupPolicy: 'compact', segmentBytes: 250, minCleanableDirtyRatio: 0.5, ...config });
}

describe('log cleaner: compaction basics', () => {
  it('keeps the latest value per key, preserving offsets, and never touches the active segment', () => {
    const { log, clock, events } = compactedLog();
    const t = clock.nowMs;
    for (let i = 0; i < 30; i++) log.appendAsLeader(batch([kv(`k${i % 3}`, `v${i}`, t + i)]), 0);
    log.updateHighWatermark(log.logEndOffset);
    const activeBefore = readAll(log, log.activeSegment.baseOffset);
    const summary = cleanLog(log)!;
    expect(summary).toBeDefined();
    const after = readAll(log);
    const cleanedPart = after.filter((r) => r.offset < summary.firstUncleanableOffset);
    expect(new Set(cleanedPart.map((r) => r.key)).size).toBe(cleanedPart.length);
    for (const r of after) expect(r.value).toBe(`v${r.offset}`);
    expect(readAll(log, log.activeSegment.baseOffset)).toEqual(activeBefore);
    expect(latestView(after)).toEqual({ k0: 'v27', k1: 'v28', k2: 'v29' });
    const clean = events.find((e) => e.type === 'clean');
    expect(clean && clean.type === 'clean' && clean.bytesAfter < clean.bytesBefore).toBe(true);
    expect(log.cleanerCheckpoint()).toBe(summary.firstUncleanableOffset);
  });

  it('waits for min.cleanable.dirty.ratio, and the LogCleaner picks the dirtiest log', () => {
    const a = compactedLog({ minCleanableDirtyRatio: 0.9 });
    const b = compactedLog();
    for (const { log, clock } of [a, b]) {
      for (let i = 0; i < 20; i++) log.appendAsLeader(batch([kv(`k${i % 2}`, `v${i}`, clock.nowMs)]), 0);
      log.updateHighWatermark(log.logEndOffset);
    }
    cleanLog(b.log);
    for (let i = 0; i < 4; i++) b.log.appendAsLeader(batch([kv('k0', `w${i}`, b.clock.nowMs)]), 0);
    b.log.updateHighWatermark(b.log.logEndOffset);
    const info = cleanableInfo(b.log, b.clock.nowMs);
    expect(info.dirtyRatio).toBeGreaterThan(0);
    expect(info.dirtyRatio).toBeLessThan(1);
    const cleaner = new LogCleaner({ nowMs: a.clock.now });
    cleaner.add(a.log);
    cleaner.add(b.log);
    expect(cleaner.candidates()[0]!.log).toBe(a.log); // ratio 1.0 beats b's partial ratio
    a.log.updateConfig({ ...a.log.config, minCleanableDirtyRatio: 0.99 });
    const ratioA = cleanableInfo(a.log, a.clock.nowMs).dirtyRatio;
    expect(ratioA).toBe(1);
    expect(cleaner.runOnce()!.topic).toBe('t');
  });

  it('does not clean past the high watermark', () => {
    const { log, clock } = compactedLog();
    for (let i = 0; i < 30; i++) log.appendAsLeader(batch([kv('k', `v${i}`, clock.nowMs)]), 0);
    expect(cleanLog(log)).toBeUndefined(); // HW is 0
    log.updateHighWatermark(10);
    const s = cleanLog(log)!;
    expect(s.firstUncleanableOffset).toBeLessThanOrEqual(10);
  });

  it('respects min.compaction.lag.ms and forces a clean after max.compaction.lag.ms', () => {
    const { log, clock } = compactedLog({ minCompactionLagMs: 60_000, minCleanableDirtyRatio: 1 });
    for (let i = 0; i < 20; i++) log.appendAsLeader(batch([kv('k', `v${i}`, clock.nowMs)]), 0);
    log.updateHighWatermark(log.logEndOffset);
    expect(cleanableInfo(log, clock.nowMs).dirtyBytes).toBe(0);
    clock.advance(61_000);
    expect(cleanableInfo(log, clock.nowMs).dirtyBytes).toBeGreaterThan(0);
    log.updateConfig({ ...log.config, minCleanableDirtyRatio: 1, minCompactionLagMs: 0, maxCompactionLagMs: 120_000 });
    cleanLog(log);
    for (let i = 0; i < 20; i++) log.appendAsLeader(batch([kv('k', `w${i}`, clock.nowMs)]), 0);
    log.updateHighWatermark(log.logEndOffset);
    const info = cleanableInfo(log, clock.nowMs);
    expect(info.dirtyRatio).toBeLessThan(1);
    expect(info.mustClean).toBe(false);
    clock.advance(121_000);
    expect(cleanableInfo(log, clock.nowMs).mustClean).toBe(true);
    expect(cleanLog(log)).toBeDefined();
  });
});

describe('log cleaner: tombstones and transactions (KIP-534 delete horizon)', () => {
  it('keeps a tombstone for delete.retention.ms after the first clean, then removes it', () => {
    const { log, clock } = compactedLog({ deleteRetentionMs: DAY_MS });
    log.appendAsLeader(batch([kv('a', '1', clock.nowMs)]), 0);
    log.appendAsLeader(batch([kv('a', null, clock.nowMs)]), 0);
    for (let i = 0; i < 20; i++) log.appendAsLeader(batch([kv('b', `v${i}`, clock.nowMs)]), 0);
    log.updateHighWatermark(log.logEndOffset);
    cleanLog(log, { force: true });
    const first = readAll(log);
    expect(first.find((r) => r.key === 'a')).toMatchObject({ offset: 1, value: null });
    const withHorizon = decodeAll(log.read(1, { maxBytes: 1000 }).bytes)[0]!;
    expect(withHorizon.hasDeleteHorizon).toBe(true);
    expect(withHorizon.baseTimestamp).toBe(clock.nowMs + DAY_MS);
    clock.advance(DAY_MS - 1);
    cleanLog(log, { force: true });
    expect(readAll(log).some((r) => r.key === 'a')).toBe(true);
    clock.advance(1);
    const s = cleanLog(log, { force: true })!;
    expect(s.tombstonesRemoved).toBe(1);
    expect(readAll(log).some((r) => r.key === 'a')).toBe(false);
  });

  it('removes aborted transactional data, keeps committed data, and drops markers after their horizon', () => {
    const { log, clock } = compactedLog({ deleteRetentionMs: 1000, segmentBytes: 400 });
    const txn = (pid: number, seq: number, key: string, value: string) =>
      batch([kv(key, value, clock.nowMs)], { producerId: pid, producerEpoch: 0, baseSequence: seq, isTransactional: true });
    log.appendAsLeader(txn(1, 0, 'x', 'aborted'), 0);
    log.appendAsLeader(txn(2, 0, 'y', 'committed'), 0);
    log.appendControlBatch({ producerId: 1, producerEpoch: 0, commit: false, coordinatorEpoch: 0, leaderEpoch: 0 });
    log.appendControlBatch({ producerId: 2, producerEpoch: 0, commit: true, coordinatorEpoch: 0, leaderEpoch: 0 });
    for (let i = 0; i < 12; i++) log.appendAsLeader(batch([kv('z', `v${i}`, clock.nowMs)]), 0);
    log.updateHighWatermark(log.logEndOffset);
    const s1 = cleanLog(log, { force: true })!;
    expect(s1.abortedRemoved).toBe(1);
    const view1 = readAll(log);
    expect(view1.some((r) => r.value === 'aborted')).toBe(false);
    expect(view1.some((r) => r.value === 'committed')).toBe(true);
    clock.advance(2000);
    cleanLog(log, { force: true });
    const batches = decodeAll(log.read(0, { maxBytes: 100_000 }).bytes);
    const markers = batches.filter((b) => b.isControl);
    // Producer 1's abort marker is its last batch: kept as an empty batch for producer state.
    // Producer 2's commit marker still guards committed data, so it stays.
    expect(markers.map((m) => [m.producerId, m.recordsCount])).toEqual([[1, 0], [2, 1]]);
  });

  it('does not clean past an open transaction (the first unstable offset)', () => {
    const { log, clock } = compactedLog();
    for (let i = 0; i < 5; i++) log.appendAsLeader(batch([kv('k', `v${i}`, clock.nowMs)]), 0);
    const open = log.appendAsLeader(batch([kv('k', 'open', clock.nowMs)], { producerId: 3, producerEpoch: 0, baseSequence: 0, isTransactional: true }), 0);
    for (let i = 0; i < 20; i++) log.appendAsLeader(batch([kv('k', `w${i}`, clock.nowMs)]), 0);
    log.updateHighWatermark(log.logEndOffset);
    expect(cleanableInfo(log, clock.nowMs).firstUncleanableOffset).toBeLessThanOrEqual(open.baseOffset);
  });

  it('recompresses cleaned batches with their original codec', () => {
    const { log, clock } = compactedLog();
    for (let i = 0; i < 10; i++) {
      log.appendAsLeader(batch([kv('a', `a${i}`, clock.nowMs), kv('b', `b${i}`, clock.nowMs)], { compression: 'snappy', codecs: fakeCodecs }), 0);
    }
    log.updateHighWatermark(log.logEndOffset);
    cleanLog(log, { force: true });
    const first = decodeRecordBatch(log.read(0, { maxBytes: 10_000 }).bytes, fakeCodecs);
    expect(first.compression).toBe('snappy');
    expect(latestView(readAll(log))).toEqual({ a: 'a9', b: 'b9' });
  });
});

describe('log cleaner: seeded model test (latest value per key)', () => {
  for (let seed = 1; seed <= 25; seed++) {
    it(`seed ${seed}`, () => {
      const rand = prng(seed);
      const { log, clock } = compactedLog({ segmentBytes: 200 + Math.floor(rand() * 600), deleteRetentionMs: 5000, minCleanableDirtyRatio: rand() });
      const original = new Map<number, { key: string; value: string | null }>();
      const appended: Array<{ key: string; value: string | null }> = [];
      for (let step = 0; step < 200; step++) {
        if (rand() < 0.85) {
          const n = 1 + Math.floor(rand() * 3);
          const recs = Array.from({ length: n }, () => ({ key: `k${Math.floor(rand() * 12)}`, value: rand() < 0.1 ? null : `v${step}-${Math.floor(rand() * 1e6)}` }));
          const info = log.appendAsLeader(batch(recs.map((r) => ({ ...r, timestamp: clock.nowMs }))), 0);
          recs.forEach((r, i) => original.set(info.baseOffset + i, r));
          appended.push(...recs);
          log.updateHighWatermark(log.logEndOffset);
        } else {
          clock.advance(Math.floor(rand() * 3000));
          cleanLog(log);
        }
      }
      clock.advance(10_000);
      cleanLog(log, { force: true });
      clock.advance(10_000);
      cleanLog(log, { force: true });
      const after = readAll(log);
      for (const r of after) expect({ key: r.key, value: r.value }).toEqual(original.get(r.offset));
      expect(latestView(after)).toEqual(latestView(appended));
      const boundary = log.cleanerCheckpoint();
      const cleaned = after.filter((r) => r.offset < boundary);
      expect(new Set(cleaned.map((r) => r.key)).size).toBe(cleaned.length);
      for (const r of cleaned) {
        for (let o = r.offset + 1; o < boundary; o++) expect(original.get(o)?.key).not.toBe(r.key);
      }
      expect(cleaned.some((r) => r.value === null)).toBe(false);
    });
  }
});

describe('a cleaner thread wake-up (cleanCleanableLogs)', () => {
  function filled(config: Parameters<typeof makeLog>[0], keys: number, clock?: ManualClock) {
    const t = makeLog({ cleanupPolicy: 'compact', segmentBytes: 250, ...config }, clock ? { clock } : {});
    for (let i = 0; i < 20; i++) t.log.appendAsLeader(batch([kv(`k${i % keys}`, `v${i}`, t.clock.nowMs)]), 0);
    t.log.updateHighWatermark(t.log.logEndOffset);
    return t;
  }

  it('cleans every cleanable log, dirtiest first, and leaves the rest alone', () => {
    const clock = new ManualClock();
    const dirty = filled({}, 2, clock);
    const lessDirty = filled({}, 2, clock);
    cleanLog(lessDirty.log);
    for (let i = 0; i < 8; i++) lessDirty.log.appendAsLeader(batch([kv('k0', `w${i}`, clock.nowMs)]), 0);
    lessDirty.log.updateHighWatermark(lessDirty.log.logEndOffset);
    const notCompacted = filled({ cleanupPolicy: 'delete' }, 2, clock);
    const onlyActive = makeLog({ cleanupPolicy: 'compact' }, { clock });
    onlyActive.log.appendAsLeader(batch([kv('k', 'a', clock.nowMs)]), 0);
    onlyActive.log.appendAsLeader(batch([kv('k', 'b', clock.nowMs)]), 0);
    onlyActive.log.updateHighWatermark(onlyActive.log.logEndOffset);
    const ratio = cleanableInfo(lessDirty.log, clock.nowMs).dirtyRatio;
    expect(ratio).toBeGreaterThanOrEqual(0.5);
    expect(ratio).toBeLessThan(1);

    const done = cleanCleanableLogs([lessDirty.log, notCompacted.log, onlyActive.log, dirty.log], clock.nowMs);
    expect(done.map((s) => s.dirtyRatio)).toEqual([1, ratio]);
    expect(notCompacted.events.some((e) => e.type === 'clean')).toBe(false);
    expect(onlyActive.events.some((e) => e.type === 'clean')).toBe(false);
    expect(readAll(onlyActive.log).map((r) => r.value)).toEqual(['a', 'b']);
    // Nothing is dirty any more: the next wake-up cleans nothing.
    expect(cleanCleanableLogs([dirty.log, lessDirty.log], clock.nowMs)).toEqual([]);
  });

  it('a pass that changes nothing emits no event, so a log that stays cleanable does not flood the trace', () => {
    const { log, clock, events } = compactedLog({ deleteRetentionMs: 1000 });
    // One batch holds a live record and a tombstone: after the tombstone goes, the batch keeps
    // its delete horizon, so the log stays "cleanable" with nothing left to remove.
    log.appendAsLeader(batch([kv('a', '1', clock.nowMs), kv('b', null, clock.nowMs)]), 0);
    for (let i = 0; i < 12; i++) log.appendAsLeader(batch([kv(`c${i}`, 'x', clock.nowMs)]), 0);
    log.updateHighWatermark(log.logEndOffset);
    expect(cleanCleanableLogs([log], clock.nowMs)).toHaveLength(1);
    clock.advance(1000);
    const [removal] = cleanCleanableLogs([log], clock.nowMs);
    expect(removal?.tombstonesRemoved).toBe(1);
    const cleansSoFar = events.filter((e) => e.type === 'clean').length;
    clock.advance(1000);
    expect(isCleanable(log, cleanableInfo(log, clock.nowMs))).toBe(true);
    const noop = cleanLog(log)!;
    expect(cleanedSomething(noop)).toBe(false);
    expect(cleanCleanableLogs([log], clock.nowMs)).toEqual([]);
    expect(events.filter((e) => e.type === 'clean')).toHaveLength(cleansSoFar);
    expect(readAll(log).filter((r) => r.key === 'a' || r.key === 'b').map((r) => `${r.key}=${r.value}`)).toEqual(['a=1']);
  });
});
