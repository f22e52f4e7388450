import { describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../storage';
import { Cluster } from './cluster';
import { runUntil, settle } from './settle';

const text = (bytes: Uint8Array | null): string => (bytes === null ? '' : new TextDecoder().decode(bytes));

async function startCluster(seed: number, partitions = 2): Promise<Cluster> {
  const cluster = new Cluster({ seed, config: { 'replica.lag.time.max.ms': '5000' } });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'), 30_000);
  await settle(cluster, cluster.admin.createTopics([{ name: 'payments', numPartitions: partitions, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]));
  return cluster;
}

async function read(cluster: Cluster, partition: number, isolationLevel: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const r = await settle(cluster, cluster.client.fetch({ topic: 'payments', partition, fetchOffset: 0, maxWaitMs: 0, isolationLevel }));
  expect(r.error).toBeNull();
  return r.records.map((rec) => text(rec.value));
}

function leaderOf(cluster: Cluster, partition: number): number {
  return cluster.snapshot().topics.find((t) => t.name === 'payments')!.partitions[partition]!.leader;
}

describe('idempotent producer', () => {
  /** Sends one batch, crashes the leader once both followers hold it but before the ack, and lets the producer retry. */
  async function retryThroughLeaderCrash(idempotent: boolean): Promise<string[]> {
    const cluster = await startCluster(11, 1);
    const producer = cluster.client.createProducer({ idempotent, clientId: idempotent ? 'idempotent' : 'plain' });
    for (let i = 0; i < 3; i++) expect((await settle(cluster, producer.send({ topic: 'payments', partition: 0, records: [{ value: `v${i}` }] }))).error).toBeNull();
    const leader = leaderOf(cluster, 0);
    const followers = [1, 2, 3].filter((b) => b !== leader);
    const sending = producer.send({ topic: 'payments', partition: 0, records: [{ value: 'v3' }] });
    const replicated = () => followers.every((f) => (cluster.brokerNode(f)?.replicaManager.get('payments', 0)?.log.logEndOffset ?? 0) >= 4);
    expect(await runUntil(cluster, replicated, 5_000)).toBe(true);
    expect(cluster.brokerNode(leader)!.replicaManager.get('payments', 0)!.highWatermark).toBe(3);
    cluster.faults.crashNode(leader);
    const response = await settle(cluster, sending);
    expect(response.error).toBeNull();
    // The idempotent retry is acknowledged with the original offset; the plain one lands again at 4.
    expect(response.baseOffset).toBe(idempotent ? 3 : 4);
    expect(response.brokerId).not.toBe(leader);
    return read(cluster, 0, 'read_uncommitted');
  }

  it('retrying through a leader crash writes the batch once; a plain producer duplicates it', async () => {
    expect(await retryThroughLeaderCrash(true)).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(await retryThroughLeaderCrash(false)).toEqual(['v0', 'v1', 'v2', 'v3', 'v3']);
  });

  it('allocates producer ids from controller blocks and refuses a sequence gap', async () => {
    const cluster = await startCluster(12, 1);
    const a = cluster.client.createProducer({ idempotent: true });
    const b = cluster.client.createProducer({ idempotent: true });
    await settle(cluster, a.init());
    await settle(cluster, b.init());
    expect(a.producerId).toBeGreaterThanOrEqual(0);
    expect(b.producerId).not.toBe(a.producerId);
    expect(cluster.events().some((e) => e.type === 'pid-block-allocated')).toBe(true);
    const gap = encodeRecordBatch({ records: [{ value: 'x' }], producerId: a.producerId, producerEpoch: 0, baseSequence: 5 });
    const r = await settle(cluster, cluster.broker(leaderOf(cluster, 0)).produce({ topic: 'payments', partition: 0, batch: gap }));
    expect(r.error?.errorName).toBe('UNKNOWN_PRODUCER_ID');
    const [described] = await settle(cluster, cluster.admin.describeProducers([{ topic: 'payments', partition: 0 }]));
    expect(described!.activeProducers).toEqual([]);
  });
});

describe('transactions', () => {
  it('read_committed sees committed transactions only, never aborted or open ones; read_uncommitted sees all', async () => {
    const cluster = await startCluster(21);
    const producer = cluster.client.createProducer({ transactionalId: 'payments-tx' });
    await settle(cluster, producer.init());
    const txn = async (label: string, end: 'commit' | 'abort' | 'open'): Promise<void> => {
      producer.beginTransaction();
      for (const p of [0, 1]) await settle(cluster, producer.send({ topic: 'payments', partition: p, records: [{ value: `${label}-${p}` }] }));
      if (end === 'commit') await settle(cluster, producer.commitTransaction());
      if (end === 'abort') await settle(cluster, producer.abortTransaction());
    };
    await txn('a', 'commit');
    await txn('b', 'abort');
    await txn('c', 'open');
    cluster.advanceBy(100);
    for (const p of [0, 1]) {
      expect(await read(cluster, p, 'read_committed')).toEqual([`a-${p}`]);
      expect(await read(cluster, p, 'read_uncommitted')).toEqual([`a-${p}`, `b-${p}`, `c-${p}`]);
    }
    const fetched = await settle(cluster, cluster.client.fetch({ topic: 'payments', partition: 0, fetchOffset: 0, maxWaitMs: 0, isolationLevel: 'read_committed' }));
    expect(fetched.lastStableOffset).toBeLessThan(fetched.highWatermark);
    expect(fetched.abortedTransactions).toEqual([{ producerId: producer.producerId, firstOffset: 2 }]);
    const lso = await settle(cluster, cluster.client.listOffsets({ topic: 'payments', partition: 0, timestamp: -1, isolationLevel: 'read_committed' }));
    expect(lso.offset).toBe(fetched.lastStableOffset);
    expect(cluster.events().some((e) => e.type === 'lso-moved')).toBe(true);

    await settle(cluster, producer.commitTransaction());
    cluster.advanceBy(100);
    for (const p of [0, 1]) expect(await read(cluster, p, 'read_committed')).toEqual([`a-${p}`, `c-${p}`]);
    const [described] = await settle(cluster, cluster.admin.describeTransactions(['payments-tx']));
    expect(described).toMatchObject({ state: 'CompleteCommit', producerId: producer.producerId });
    expect((await settle(cluster, cluster.admin.listTransactions())).map((t) => t.transactionalId)).toEqual(['payments-tx']);
  });

  it('fences a zombie: a second producer with the same transactional.id aborts the first one\'s transaction', async () => {
    const cluster = await startCluster(22);
    const zombie = cluster.client.createProducer({ transactionalId: 'tx', clientId: 'zombie' });
    await settle(cluster, zombie.init());
    zombie.beginTransaction();
    await settle(cluster, zombie.send({ topic: 'payments', partition: 0, records: [{ value: 'zombie-1' }] }));

    const successor = cluster.client.createProducer({ transactionalId: 'tx', clientId: 'successor' });
    await settle(cluster, successor.init());
    expect(successor.producerEpoch).toBeGreaterThan(zombie.producerEpoch);
    await expect(settle(cluster, zombie.send({ topic: 'payments', partition: 0, records: [{ value: 'zombie-2' }] }))).rejects.toMatchObject({ errorName: 'PRODUCER_FENCED' });
    expect(zombie.state).toBe('fenced');
    await expect(settle(cluster, zombie.commitTransaction())).rejects.toMatchObject({ errorName: 'PRODUCER_FENCED' });

    successor.beginTransaction();
    await settle(cluster, successor.send({ topic: 'payments', partition: 0, records: [{ value: 'successor' }] }));
    await settle(cluster, successor.commitTransaction());
    cluster.advanceBy(100);
    expect(await read(cluster, 0, 'read_committed')).toEqual(['successor']);
    expect(cluster.events().some((e) => e.type === 'txn-producer-fenced')).toBe(true);
  });

  it('completes a commit after the transaction coordinator crashes mid-commit, offsets included', async () => {
    const cluster = await startCluster(23);
    const producer = cluster.client.createProducer({ transactionalId: 'eos' });
    await settle(cluster, producer.init());
    const coordinator = (await settle(cluster, cluster.admin.describeTransactions(['eos'])))[0]!.coordinatorId;
    producer.beginTransaction();
    for (const p of [0, 1]) await settle(cluster, producer.send({ topic: 'payments', partition: p, records: [{ value: `out-${p}` }] }));
    await settle(cluster, producer.sendOffsetsToTransaction([{ topic: 'input', partition: 0, offset: 42 }], { groupId: 'eos-group' }));
    const committing = producer.commitTransaction().then(() => 'ok', (e: { errorName?: string }) => e.errorName ?? 'error');
    expect(await runUntil(cluster, () => cluster.events().some((e) => e.type === 'txn-state-changed' && (e.data as { to?: string }).to === 'PrepareCommit'), 5_000)).toBe(true);
    cluster.faults.crashNode(coordinator);
    await settle(cluster, committing);

    expect(await runUntil(cluster, () => cluster.events().some((e) => e.type === 'txn-state-changed' && (e.data as { to?: string }).to === 'CompleteCommit' && e.node !== coordinator), 60_000)).toBe(true);
    for (const p of [0, 1]) expect(await read(cluster, p, 'read_committed')).toEqual([`out-${p}`]);
    const [described] = await settle(cluster, cluster.admin.describeTransactions(['eos']));
    expect(described).toMatchObject({ state: 'CompleteCommit' });
    expect(described!.coordinatorId).not.toBe(coordinator);
    const offsets = await settle(cluster, cluster.admin.listConsumerGroupOffsets('eos-group'));
    expect(offsets.map((o) => [o.topic, o.partition, o.committedOffset])).toEqual([['input', 0, 42]]);
  });

  it('finds a hanging transaction and aborts it, which releases the last stable offset', async () => {
    const cluster = await startCluster(24);
    const producer = cluster.client.createProducer({ transactionalId: 'buggy' });
    await settle(cluster, producer.init());
    producer.beginTransaction();
    await settle(cluster, producer.send({ topic: 'payments', partition: 0, records: [{ value: 'fine' }] }));
    // A buggy client writes to partition 1 without AddPartitionsToTxn: the coordinator never sends it a marker.
    const stray = encodeRecordBatch({ records: [{ value: 'stray' }], producerId: producer.producerId, producerEpoch: producer.producerEpoch, baseSequence: 0, isTransactional: true });
    expect((await settle(cluster, cluster.broker(leaderOf(cluster, 1)).produce({ topic: 'payments', partition: 1, batch: stray }))).error).toBeNull();
    await settle(cluster, producer.commitTransaction());
    await settle(cluster, cluster.client.produce({ topic: 'payments', partition: 1, records: [{ value: 'after' }] }));
    cluster.advanceBy(70_000);

    const stuck = await settle(cluster, cluster.client.fetch({ topic: 'payments', partition: 1, fetchOffset: 0, maxWaitMs: 0, isolationLevel: 'read_committed' }));
    expect(stuck.lastStableOffset).toBe(0);
    expect(stuck.records).toEqual([]);
    const hanging = await settle(cluster, cluster.admin.findHangingTransactions({ topic: 'payments', maxTransactionTimeoutMs: 60_000 }));
    expect(hanging.map((h) => [h.partition, h.producerId, h.startOffset])).toEqual([[1, producer.producerId, 0]]);

    await settle(cluster, cluster.admin.abortTransaction(hanging[0]!));
    cluster.advanceBy(100);
    expect(await read(cluster, 1, 'read_committed')).toEqual(['after']);
    expect(await settle(cluster, cluster.admin.findHangingTransactions({ topic: 'payments', maxTransactionTimeoutMs: 60_000 }))).toEqual([]);
    expect(await read(cluster, 0, 'read_committed')).toEqual(['fine']);
  });
});
