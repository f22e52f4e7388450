import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@kil/engine';
import { TransactionView, transactionModelFromEvents, transactionPath } from './TransactionView';
import { attr, render, tagWith, text } from './test-utils';

let seq = 0;
const ev = (type: string, data: Record<string, unknown>, tp?: [string, number]): TraceEvent => ({ seq: ++seq, timeMs: seq, type, node: 1, message: type, ...(tp ? { topic: tp[0], partition: tp[1] } : {}), data: { transactionalId: 'tx-1', ...data } });

const events: TraceEvent[] = [
  ev('txn-state', { state: 'Empty', producerId: 4000, producerEpoch: 0, coordinatorId: 2 }),
  ev('txn-state', { state: 'Ongoing' }),
  ev('txn-partition-added', { firstOffset: 5 }, ['orders', 0]),
  ev('txn-partition-added', { firstOffset: 2 }, ['payments', 1]),
  ev('txn-state', { state: 'PrepareCommit' }),
  ev('txn-marker-written', { marker: 'commit' }, ['orders', 0]),
];

const offsets = (topic: string) => (topic === 'orders' ? { lastStableOffset: 8, highWatermark: 8 } : { lastStableOffset: 2, highWatermark: 6 });

describe('TransactionView', () => {
  it('walks the KIP-98 state path, taking the abort branch when aborting', () => {
    expect(transactionPath('CompleteCommit')).toEqual(['Empty', 'Ongoing', 'PrepareCommit', 'CompleteCommit']);
    expect(transactionPath('PrepareAbort')).toEqual(['Empty', 'Ongoing', 'PrepareAbort']);
    expect(transactionPath('Empty')).toEqual(['Empty']);
  });

  it('folds coordinator events into a model with markers per partition', () => {
    const m = transactionModelFromEvents(events, 'tx-1', offsets)!;
    expect([m.state, m.producerId, m.producerEpoch, m.coordinatorId]).toEqual(['PrepareCommit', 4000, 0, 2]);
    expect(m.partitions.map((p) => [`${p.topic}-${p.partition}`, p.firstOffset, p.marker, p.lastStableOffset])).toEqual([
      ['orders-0', 5, 'commit', 8],
      ['payments-1', 2, 'none', 2],
    ]);
  });

  it('forgets the partitions of the previous transaction when a new one begins', () => {
    const next = [...events, ev('txn-state', { state: 'CompleteCommit' }), ev('txn-state', { state: 'Ongoing', producerEpoch: 0 })];
    expect(transactionModelFromEvents(next, 'tx-1')!.partitions).toEqual([]);
  });

  it('highlights the current state and shows LSO held behind the HW where the marker is missing', () => {
    const html = render(<TransactionView model={transactionModelFromEvents(events, 'tx-1', offsets)} />);
    expect(attr(tagWith(html, 'data-txn-state', 'PrepareCommit'), 'aria-current')).toBe('step');
    expect(attr(tagWith(html, 'data-txn-state', 'Ongoing'), 'data-passed')).toBe('true');
    expect(attr(tagWith(html, 'data-txn-state', 'PrepareAbort'), 'data-passed')).toBe('false');
    expect(attr(tagWith(html, 'data-testid', 'txn-partition-payments-1'), 'data-marker')).toBe('none');
    expect(text(html)).toContain('LSO 2 · HW 6 · no marker yet');
    expect(text(html)).toContain('LSO 8 · HW 8 · COMMIT marker written');
    expect(render(<TransactionView model={null} />)).toContain('--transactional-id');
  });
});
