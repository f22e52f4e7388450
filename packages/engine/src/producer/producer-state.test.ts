import { describe, it, expect } from 'vitest';
import { Prng } from '../sim/prng';
import { listBatches } from '../storage/batch';
import { controlRecordType, decodeRecordBatch, encodeRecordBatch } from '../storage/records';
import { encodeTxnMarker } from '../txn/markers';
import { batchInfoFromHeader, lastSequenceOf, ProducerStateManager, type AbortedTxn, type ProducerBatchInfo } from './producer-state';

/** A tiny partition log: the leader path (check, assign offsets, replay) over batch infos. */
class PartitionLog {
  readonly batches: ProducerBatchInfo[] = [];
  readonly state = new ProducerStateManager('t', 0);
  nextOffset = 0;

  produce(producerId: number, producerEpoch: number, baseSequence: number, recordsCount: number, isTransactional = false) {
    const check = this.state.checkAppend({ producerId, producerEpoch, baseSequence, recordsCount, isTransactional, isControl: false, maxTimestamp: 0 });
    if (check.kind !== 'append') return check;
    const batch: ProducerBatchInfo = { baseOffset: this.nextOffset, lastOffset: this.nextOffset + recordsCount - 1, maxTimestamp: 0, producerId, producerEpoch, baseSequence, recordsCount, isTransactional, isControl: false };
    this.nextOffset += recordsCount;
    this.batches.push(batch);
    this.state.replayBatch(batch);
    return { kind: 'appended' as const, firstOffset: batch.baseOffset, lastOffset: batch.lastOffset };
  }

  marker(producerId: number, producerEpoch: number, commit: boolean, coordinatorEpoch = 0) {
    const info = { producerId, producerEpoch, baseSequence: -1, recordsCount: 1, isTransactional: true, isControl: true, maxTimestamp: 0, controlType: commit ? 'COMMIT' as const : 'ABORT' as const, coordinatorEpoch };
    const check = this.state.checkAppend(info);
    if (check.kind !== 'append') return check;
    const batch: ProducerBatchInfo = { ...info, baseOffset: this.nextOffset, lastOffset: this.nextOffset };
    this.nextOffset += 1;
    this.batches.push(batch);
    this.state.replayBatch(batch);
    return { kind: 'appended' as const, firstOffset: batch.baseOffset, lastOffset: batch.lastOffset };
  }
}

/**
 * What a read_committed consumer returns, computed the way Kafka's fetcher does: only
 * offsets below the LSO, skipping transactional batches of producers inside an aborted
 * range from the index until their ABORT marker, and never control batches.
 */
function readCommitted(log: PartitionLog, highWatermark: number): number[] {
  const lso = log.state.lastStableOffset(highWatermark);
  const index: AbortedTxn[] = log.state.abortedTransactions(0, lso).sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<number>();
  const out: number[] = [];
  for (const b of log.batches) {
    if (b.baseOffset >= lso) break;
    while (index.length > 0 && index[0]!.firstOffset <= b.lastOffset) abortedProducers.add(index.shift()!.producerId);
    if (b.isControl) {
      if (b.controlType === 'ABORT') abortedProducers.delete(b.producerId);
      continue;
    }
    if (b.isTransactional && abortedProducers.has(b.producerId)) continue;
    // The test moves the high watermark inside batches; real fetches stop at batch boundaries.
    for (let o = b.baseOffset; o <= b.lastOffset && o < lso; o++) out.push(o);
  }
  return out;
}

describe('idempotent producer (KIP-98)', () => {
  it('acknowledges a retry of one of the last five batches with its original offsets', () => {
    const log = new PartitionLog();
    for (let i = 0; i < 6; i++) expect(log.produce(7, 0, i * 2, 2).kind).toBe('appended');
    // Batches 1..5 (sequences 2..11) are in the window; batch 0 (0..1) fell out of it.
    expect(log.produce(7, 0, 4, 2)).toEqual({ kind: 'duplicate', firstOffset: 4, lastOffset: 5 });
    expect(log.produce(7, 0, 0, 2)).toMatchObject({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.nextOffset).toBe(12);
  });

  it('rejects a gap with OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
    const log = new PartitionLog();
    log.produce(7, 0, 0, 3);
    expect(log.produce(7, 0, 5, 1)).toMatchObject({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.produce(7, 0, 3, 1).kind).toBe('appended');
  });

  it('rejects a stale epoch with INVALID_PRODUCER_EPOCH and requires sequence 0 after a bump', () => {
    const log = new PartitionLog();
    log.produce(7, 3, 0, 1);
    expect(log.produce(7, 2, 1, 1)).toMatchObject({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
    expect(log.produce(7, 4, 1, 1)).toMatchObject({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.produce(7, 4, 0, 1).kind).toBe('appended');
    expect(log.produce(7, 3, 1, 1)).toMatchObject({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
  });

  it('a producer the partition does not know must start at sequence 0 (UNKNOWN_PRODUCER_ID)', () => {
    const log = new PartitionLog();
    expect(log.produce(9, 0, 12, 1)).toMatchObject({ kind: 'error', error: 'UNKNOWN_PRODUCER_ID' });
    expect(log.produce(9, 0, 0, 1).kind).toBe('appended');
    expect(log.produce(-1, -1, -1, 3).kind).toBe('appended'); // non-idempotent producers are not checked
  });

  it('wraps sequences from 2^31-1 to 0', () => {
    expect(lastSequenceOf(2147483646, 3)).toBe(0);
    const log = new PartitionLog();
    log.produce(1, 0, 0, 1);
    const state = log.state.entry(1)!;
    expect(state.batches).toHaveLength(1);
  });

  it('is rebuilt from batch headers on a new leader with the same duplicate window and open transactions', () => {
    const log = new PartitionLog();
    log.produce(7, 0, 0, 2);
    log.produce(7, 0, 2, 2);
    log.produce(8, 0, 0, 1, true);
    const rebuilt = ProducerStateManager.rebuild('t', 0, log.batches, log.nextOffset);
    expect(rebuilt.checkAppend({ producerId: 7, producerEpoch: 0, baseSequence: 2, recordsCount: 2, isTransactional: false, isControl: false, maxTimestamp: 0 })).toEqual({ kind: 'duplicate', firstOffset: 2, lastOffset: 3 });
    expect(rebuilt.ongoingTransactions()).toEqual([{ producerId: 8, firstOffset: 4 }]);
    expect(rebuilt.lastStableOffset(5)).toBe(4);
  });

  it('reads real storage batches: batchInfoFromHeader plus the marker type from the control record', () => {
    const data = encodeRecordBatch({ records: [{ value: 'a' }, { value: 'b' }], baseOffset: 0, producerId: 5, producerEpoch: 1, baseSequence: 0, isTransactional: true });
    const marker = encodeTxnMarker({ producerId: 5, producerEpoch: 1, commit: false, coordinatorEpoch: 3, timestampMs: 0, baseOffset: 2 });
    const all = new Uint8Array(data.length + marker.length);
    all.set(data);
    all.set(marker, data.length);
    const infos = listBatches(all).map((h) => {
      if (!h.isControl) return batchInfoFromHeader(h);
      const rec = decodeRecordBatch(all, undefined, h.position).records[0]!;
      return batchInfoFromHeader(h, controlRecordType(rec.key), 3);
    });
    const state = ProducerStateManager.rebuild('t', 0, infos, 3);
    expect(state.abortedTransactions(0, 3)).toEqual([{ producerId: 5, firstOffset: 0, lastOffset: 2, lastStableOffset: 3 }]);
    expect(state.lastStableOffset(3)).toBe(3);
  });
});

describe('transactions on a partition: LSO and the aborted index', () => {
  it('holds the LSO at the first open transaction until its marker is replicated', () => {
    const log = new PartitionLog();
    log.produce(1, 0, 0, 2); // offsets 0-1, plain idempotent
    log.produce(2, 0, 0, 2, true); // offsets 2-3, transaction opens at 2
    log.produce(1, 0, 2, 1); // offset 4
    expect(log.state.updateHighWatermark(5)).toBe(2);
    log.marker(2, 0, true); // offset 5
    expect(log.state.updateHighWatermark(5)).toBe(2); // marker not replicated yet
    expect(log.state.updateHighWatermark(6)).toBe(6);
    expect(log.state.abortedTransactions(0, 6)).toEqual([]);
  });

  it('indexes aborted transactions and a marker from an older epoch is fenced', () => {
    const log = new PartitionLog();
    log.produce(2, 0, 0, 2, true);
    log.produce(2, 1, 0, 1, true); // epoch bump (InitProducerId fenced the old one) keeps the open txn
    expect(log.marker(2, 0, false)).toMatchObject({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
    log.marker(2, 1, false);
    expect(log.state.abortedTransactions(0, 100)).toEqual([{ producerId: 2, firstOffset: 0, lastOffset: 3, lastStableOffset: 4 }]);
    expect(log.produce(2, 1, 1, 1)).toMatchObject({ kind: 'appended' });
  });

  it('rejects a non-transactional write while the same producer has a transaction open', () => {
    const log = new PartitionLog();
    log.produce(3, 0, 0, 1, true);
    expect(log.produce(3, 0, 1, 1, false)).toMatchObject({ kind: 'error', error: 'INVALID_TXN_STATE' });
  });

  it('randomized: read_committed never returns aborted or open data and returns every committed record below the LSO', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rng = new Prng(seed);
      const log = new PartitionLog();
      const seq = new Map<number, number>();
      const open = new Map<number, number[]>();
      const committed = new Set<number>();
      const aborted = new Set<number>();
      const producers = [1, 2, 3, 4];
      let hw = 0;
      for (let step = 0; step < 60; step++) {
        const pid = rng.pick(producers)!;
        const action = rng.int(10);
        if (action < 6) {
          const count = 1 + rng.int(3);
          const transactional = pid !== 4;
          const r = log.produce(pid, 0, seq.get(pid) ?? 0, count, transactional);
          expect(r.kind).toBe('appended');
          if (r.kind !== 'appended') continue;
          seq.set(pid, (seq.get(pid) ?? 0) + count);
          const offsets = Array.from({ length: count }, (_, i) => r.firstOffset + i);
          if (transactional) open.set(pid, [...(open.get(pid) ?? []), ...offsets]);
          else offsets.forEach((o) => committed.add(o));
          // A retry of the same batch must never be written twice.
          if (rng.chance(0.3)) expect(log.produce(pid, 0, (seq.get(pid) ?? 0) - count, count, transactional)).toMatchObject({ kind: 'duplicate', firstOffset: r.firstOffset });
        } else if (open.has(pid)) {
          const commit = rng.chance(0.5);
          log.marker(pid, 0, commit);
          for (const o of open.get(pid)!) (commit ? committed : aborted).add(o);
          open.delete(pid);
        }
        hw = Math.max(hw, rng.between(Math.max(0, log.nextOffset - 3), log.nextOffset));
        const lso = log.state.updateHighWatermark(hw);
        const visible = readCommitted(log, hw);
        const leaked = visible.filter((o) => aborted.has(o) || o >= lso || !committed.has(o));
        expect(leaked, `seed ${seed}: aborted, open or unstable offsets visible`).toEqual([]);
        const expected = [...committed].filter((o) => o < lso).sort((a, b) => a - b);
        expect(visible).toEqual(expected);
      }
    }
  });
});
