import { describe, it, expect } from 'vitest';
import type { TraceInput } from '../sim/trace';
import { groupCoordinatorPartition } from '../group/common';
import { decodeTxnMarker, encodeTxnMarker } from './markers';
import type { TransactionLogRecord } from './records';
import { TransactionCoordinator, type MarkerRequest, type TxnEffects } from './transaction-coordinator';

class TxnHarness {
  readonly log: TransactionLogRecord[] = [];
  readonly events: TraceInput[] = [];
  readonly markers: MarkerRequest[] = [];
  coordinator: TransactionCoordinator;
  constructor(readonly coordinatorEpoch = 0) {
    this.coordinator = this.fresh(coordinatorEpoch);
  }
  fresh(coordinatorEpoch: number): TransactionCoordinator {
    const c = new TransactionCoordinator({ coordinatorEpoch, emit: (e) => this.events.push(e) });
    c.addProducerIdBlock(1000, 100);
    return c;
  }
  take<T extends TxnEffects>(r: T): T {
    this.log.push(...r.records);
    this.markers.push(...r.markers);
    return r;
  }
  init(id: string, nowMs = 0, transactionTimeoutMs = 60_000) {
    return this.take(this.coordinator.initProducerId({ transactionalId: id, transactionTimeoutMs }, nowMs)).response;
  }
  add(id: string, producerId: number, producerEpoch: number, topics: Record<string, number[]>, nowMs = 0) {
    return this.take(this.coordinator.addPartitionsToTxn({ transactionalId: id, producerId, producerEpoch, topics: Object.entries(topics).map(([name, partitions]) => ({ name, partitions })) }, nowMs)).response.error;
  }
  end(id: string, producerId: number, producerEpoch: number, committed: boolean, nowMs = 0) {
    return this.take(this.coordinator.endTxn({ transactionalId: id, producerId, producerEpoch, committed }, nowMs)).response.error;
  }
  ackAll(nowMs = 0) {
    const pending = this.markers.splice(0);
    for (const m of pending) this.take(this.coordinator.onMarkerWritten(m, nowMs));
    return pending;
  }
  state(id: string) {
    return this.coordinator.transaction(id)?.state;
  }
  failover(coordinatorEpoch: number, nowMs = 0) {
    this.coordinator = this.fresh(coordinatorEpoch);
    for (const r of this.log) this.coordinator.replay(r);
    this.markers.length = 0;
    return this.take(this.coordinator.completeLoad(nowMs));
  }
}

describe('InitProducerId (KIP-98)', () => {
  it('allocates from the host-given block, and bumps the epoch on each call to fence zombies', () => {
    const h = new TxnHarness();
    expect(h.init('tx')).toEqual({ error: 'NONE', producerId: 1000, producerEpoch: 0 });
    expect(h.state('tx')).toBe('Empty');
    expect(h.init('tx')).toEqual({ error: 'NONE', producerId: 1000, producerEpoch: 1 });
    expect(h.events.some((e) => e.type === 'txn-producer-fenced')).toBe(true);
    expect(h.take(h.coordinator.initProducerId({ transactionalId: null, transactionTimeoutMs: 0 }, 0)).response).toEqual({ error: 'NONE', producerId: 1001, producerEpoch: 0 });
    expect(h.log).toHaveLength(2); // idempotent-only ids leave no trace in __transaction_state
  });

  it('transaction.max.timeout.ms bounds transaction.timeout.ms (INVALID_TRANSACTION_TIMEOUT)', () => {
    const h = new TxnHarness();
    expect(h.init('tx', 0, 900_001).error).toBe('INVALID_TRANSACTION_TIMEOUT');
    expect(h.init('tx', 0, 900_000).error).toBe('NONE');
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS when no producer ids are left, until the host adds a block', () => {
    const c = new TransactionCoordinator({ coordinatorEpoch: 0 });
    expect(c.needsProducerIdBlock()).toBe(true);
    expect(c.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 1000 }, 0).response.error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    c.addProducerIdBlock(5000, 1000);
    expect(c.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 1000 }, 0).response.producerId).toBe(5000);
  });
});

describe('a transaction from start to end', () => {
  it('Empty → Ongoing → PrepareCommit → markers to every partition → CompleteCommit', () => {
    const h = new TxnHarness(7);
    const { producerId, producerEpoch } = h.init('tx');
    expect(h.add('tx', producerId, producerEpoch, { orders: [0, 1] }, 10)).toBe('NONE');
    expect(h.take(h.coordinator.addOffsetsToTxn({ transactionalId: 'tx', producerId, producerEpoch, groupId: 'g' }, 20)).response.error).toBe('NONE');
    expect(h.state('tx')).toBe('Ongoing');
    expect(h.coordinator.transaction('tx')?.transactionStartTimestampMs).toBe(10);
    expect(h.end('tx', producerId, producerEpoch, true, 30)).toBe('NONE');
    expect(h.state('tx')).toBe('PrepareCommit');
    expect(h.markers.map((m) => `${m.topic}-${m.partition}`).sort()).toEqual([`__consumer_offsets-${groupCoordinatorPartition('g', 50)}`, 'orders-0', 'orders-1'].sort());
    expect(h.markers.every((m) => m.commit && m.coordinatorEpoch === 7 && m.producerEpoch === producerEpoch)).toBe(true);
    // Until every partition acknowledges, a retried EndTxn must wait and new work is refused.
    expect(h.end('tx', producerId, producerEpoch, true)).toBe('CONCURRENT_TRANSACTIONS');
    expect(h.add('tx', producerId, producerEpoch, { orders: [2] })).toBe('CONCURRENT_TRANSACTIONS');
    expect(h.end('tx', producerId, producerEpoch, false)).toBe('INVALID_TXN_STATE');
    h.ackAll(40);
    expect(h.state('tx')).toBe('CompleteCommit');
    expect(h.end('tx', producerId, producerEpoch, true)).toBe('NONE'); // a retry after completion
    expect(h.end('tx', producerId, producerEpoch, false)).toBe('INVALID_TXN_STATE');
    expect(h.log.map((r) => r.value?.transactionStatus)).toEqual(['Empty', 'Ongoing', 'Ongoing', 'PrepareCommit', 'CompleteCommit']);
  });

  it('EndTxn with no open transaction is INVALID_TXN_STATE; a wrong producer id is INVALID_PRODUCER_ID_MAPPING', () => {
    const h = new TxnHarness();
    const { producerId, producerEpoch } = h.init('tx');
    expect(h.end('tx', producerId, producerEpoch, true)).toBe('INVALID_TXN_STATE');
    expect(h.add('tx', producerId + 1, producerEpoch, { t: [0] })).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(h.add('unknown', producerId, producerEpoch, { t: [0] })).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(h.add('tx', producerId, producerEpoch + 1, { t: [0] })).toBe('INVALID_PRODUCER_EPOCH');
  });
});

describe('fencing and timeouts', () => {
  it('a second InitProducerId aborts the zombie’s open transaction with a bumped epoch; the zombie is PRODUCER_FENCED', () => {
    const h = new TxnHarness();
    const zombie = h.init('tx');
    h.add('tx', zombie.producerId, zombie.producerEpoch, { t: [0, 1] });
    const second = h.init('tx', 100);
    expect(second.error).toBe('CONCURRENT_TRANSACTIONS');
    expect(h.state('tx')).toBe('PrepareAbort');
    expect(h.markers.every((m) => !m.commit && m.producerEpoch === zombie.producerEpoch + 1)).toBe(true);
    expect(h.end('tx', zombie.producerId, zombie.producerEpoch, true)).toBe('PRODUCER_FENCED');
    expect(h.add('tx', zombie.producerId, zombie.producerEpoch, { t: [2] })).toBe('PRODUCER_FENCED');
    h.ackAll(200);
    expect(h.state('tx')).toBe('CompleteAbort');
    const retried = h.init('tx', 300);
    expect(retried).toEqual({ error: 'NONE', producerId: zombie.producerId, producerEpoch: zombie.producerEpoch + 2 });
  });

  it('transaction.timeout.ms: an Ongoing transaction past its timeout is aborted by the coordinator', () => {
    const h = new TxnHarness();
    const p = h.init('tx', 0, 5000);
    h.add('tx', p.producerId, p.producerEpoch, { t: [0] }, 1000);
    expect(h.coordinator.nextDeadlineMs()).toBe(6000);
    h.take(h.coordinator.onTimer(5999));
    expect(h.state('tx')).toBe('Ongoing');
    h.take(h.coordinator.onTimer(6000));
    expect(h.state('tx')).toBe('PrepareAbort');
    expect(h.events.some((e) => e.type === 'txn-timed-out')).toBe(true);
    h.ackAll(6001);
    expect(h.state('tx')).toBe('CompleteAbort');
    expect(h.end('tx', p.producerId, p.producerEpoch, true)).toBe('PRODUCER_FENCED');
  });

  it('transactional.id.expiration.ms removes idle ids with a tombstone', () => {
    const h = new TxnHarness();
    h.init('tx', 0);
    h.take(h.coordinator.onTimer(604_800_000));
    expect(h.state('tx')).toBeUndefined();
    expect(h.log.at(-1)?.value).toBeNull();
  });
});

describe('coordinator failover mid-transaction', () => {
  it('a new coordinator replays __transaction_state and resends the markers of a decided transaction', () => {
    const h = new TxnHarness(1);
    const p = h.init('tx');
    h.add('tx', p.producerId, p.producerEpoch, { a: [0], b: [0] });
    h.end('tx', p.producerId, p.producerEpoch, true);
    // One marker made it before the coordinator's broker crashed.
    h.take(h.coordinator.onMarkerWritten(h.markers[0]!, 0));
    const effects = h.failover(2);
    expect(h.state('tx')).toBe('PrepareCommit');
    expect(effects.markers.map((m) => `${m.topic}-${m.partition}`)).toEqual(['a-0', 'b-0']);
    expect(effects.markers.every((m) => m.coordinatorEpoch === 2 && m.commit)).toBe(true);
    h.ackAll();
    expect(h.state('tx')).toBe('CompleteCommit');
  });

  it('an Ongoing transaction survives failover and can still be committed by its producer', () => {
    const h = new TxnHarness();
    const p = h.init('tx');
    h.add('tx', p.producerId, p.producerEpoch, { a: [0] });
    h.failover(1);
    expect(h.end('tx', p.producerId, p.producerEpoch, true)).toBe('NONE');
  });
});

describe('ListTransactions and DescribeTransactions', () => {
  it('lists by state and producer id and describes partitions', () => {
    const h = new TxnHarness();
    const a = h.init('a');
    h.init('b');
    h.add('a', a.producerId, a.producerEpoch, { t: [1, 0] }, 5);
    expect(h.coordinator.listTransactions({ stateFilters: ['Ongoing'] }).map((t) => t.transactionalId)).toEqual(['a']);
    expect(h.coordinator.listTransactions({ producerIdFilters: [a.producerId] })).toHaveLength(1);
    const [da, missing] = h.coordinator.describeTransactions(['a', 'zzz']);
    expect(da).toMatchObject({ transactionState: 'Ongoing', transactionStartTimeMs: 5, topics: [{ topic: 't', partitions: [0, 1] }] });
    expect(missing?.error).toBe('TRANSACTIONAL_ID_NOT_FOUND');
  });
});

describe('control records (wire-protocol §6)', () => {
  it('encodes markers through the storage batch encoder with attributes 0x30 and baseSequence -1', () => {
    const bytes = encodeTxnMarker({ producerId: 42, producerEpoch: 3, commit: true, coordinatorEpoch: 9, timestampMs: 1234 });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getInt16(21) & 0x30).toBe(0x30);
    expect(view.getInt32(53)).toBe(-1);
    expect(decodeTxnMarker(bytes)).toEqual({ producerId: 42, producerEpoch: 3, commit: true, coordinatorEpoch: 9 });
    expect(decodeTxnMarker(encodeTxnMarker({ producerId: 1, producerEpoch: 0, commit: false, coordinatorEpoch: 0, timestampMs: 0 }))?.commit).toBe(false);
  });
});
