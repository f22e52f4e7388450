/**
 * kafkajs 2.2.4's idempotent and transactional producers over TCP: InitProducerId, sequence
 * numbers, AddPartitionsToTxn, AddOffsetsToTxn + TxnOffsetCommit (sendOffsets), EndTxn commit
 * and abort; kafkajs consumers read the result with read_committed (aborted records skipped
 * through the fetch's aborted transactions and the markers) and with read_uncommitted.
 */
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompatCluster } from './harness';

let lab: CompatCluster;
let kafka: Kafka;
const open: Array<Producer | Consumer> = [];

beforeAll(async () => {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
  lab = await CompatCluster.start({
    config: { 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '5', 'transaction.state.log.num.partitions': '5' },
    topics: [
      { name: 'idempotent', numPartitions: 2, replicationFactor: 3 },
      { name: 'txn', numPartitions: 2, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
    ],
  });
  kafka = new Kafka({ clientId: 'compat-txn', brokers: lab.bootstrap().split(','), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 50, maxRetryTime: 500 } });
});

afterAll(async () => {
  for (const client of open.splice(0)) await client.disconnect().catch(() => undefined);
  await lab?.close();
});

async function connected<T extends Producer | Consumer>(client: T): Promise<T> {
  open.push(client);
  await client.connect();
  return client;
}

/** Reads `topic` from the beginning in a fresh group until `last` arrives, then a little longer. */
async function readAll(topic: string, groupId: string, readUncommitted: boolean, last: string): Promise<string[]> {
  const consumer = await connected(kafka.consumer({ groupId, readUncommitted, heartbeatInterval: 500, sessionTimeout: 6_000, maxWaitTimeInMs: 200 }));
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  let sawLast = false;
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = String(message.value);
      values.push(value);
      if (value === last) sawLast = true;
    },
  });
  const deadline = Date.now() + 20_000;
  while (!sawLast && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  // Anything that would still arrive after the last record (it would be out of order) shows up here.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await consumer.disconnect();
  return values;
}

describe('kafkajs idempotent producer', () => {
  it('gets a producer id, numbers its batches, and writes each record once', async () => {
    const producer = await connected(kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
    for (let i = 0; i < 4; i++) {
      const [sent] = await producer.send({ topic: 'idempotent', messages: [{ key: 'same-key', value: `v${i}` }, { key: 'same-key', value: `w${i}` }] });
      expect(sent?.errorCode).toBe(0);
    }
    const partition = lab.cluster.snapshot().topics.find((t) => t.name === 'idempotent')?.partitions.find((p) => p.logEndOffset > 0);
    expect(partition).toBeDefined();
    const [state] = await lab.cluster.broker(partition!.leader).describeProducers([{ topic: 'idempotent', partition: partition!.partition }]);
    expect(state?.activeProducers).toHaveLength(1);
    // Four batches of two records: sequences 0..7, so the last batch ended at 7.
    expect(state?.activeProducers[0]).toMatchObject({ producerEpoch: 0, lastSequence: 7 });
    expect(state?.activeProducers[0]?.producerId).toBeGreaterThanOrEqual(0);
    expect(partition!.logEndOffset).toBe(8);
  });
});

describe('kafkajs transactions', () => {
  it('commits and aborts: read_committed skips the aborted records, read_uncommitted sees them', async () => {
    const producer = await connected(kafka.producer({ transactionalId: 'compat-tx', idempotent: true, maxInFlightRequests: 1 }));
    const write = async (tag: string, commit: boolean): Promise<void> => {
      const txn = await producer.transaction();
      await txn.send({ topic: 'txn', messages: [0, 1, 2, 3].map((i) => ({ key: `k${i}`, value: `${tag}-${i}` })) });
      if (commit) await txn.commit();
      else await txn.abort();
    };
    await write('first', true);
    await write('aborted', false);
    await write('second', true);
    const committed = await readAll('txn', 'reader-committed', false, 'second-3');
    expect(committed.sort()).toEqual(['first-0', 'first-1', 'first-2', 'first-3', 'second-0', 'second-1', 'second-2', 'second-3']);
    const everything = await readAll('txn', 'reader-uncommitted', true, 'second-3');
    expect(everything.filter((v) => v.startsWith('aborted')).sort()).toEqual(['aborted-0', 'aborted-1', 'aborted-2', 'aborted-3']);
    expect(everything).toHaveLength(12);
  });

  it('commits consumer offsets with the transaction only when it commits (sendOffsets)', async () => {
    const producer = await connected(kafka.producer({ transactionalId: 'compat-offsets', idempotent: true, maxInFlightRequests: 1 }));
    const admin = kafka.admin();
    await admin.connect();
    const offsetsOf = async () => (await admin.fetchOffsets({ groupId: 'txn-group', topics: ['txn'] }))[0]?.partitions.find((p) => p.partition === 0)?.offset;
    const aborted = await producer.transaction();
    await aborted.sendOffsets({ consumerGroupId: 'txn-group', topics: [{ topic: 'txn', partitions: [{ partition: 0, offset: '3' }] }] });
    await aborted.abort();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await offsetsOf()).toBe('-1');
    const committed = await producer.transaction();
    await committed.send({ topic: 'txn', messages: [{ key: 'k0', value: 'with-offsets' }] });
    await committed.sendOffsets({ consumerGroupId: 'txn-group', topics: [{ topic: 'txn', partitions: [{ partition: 0, offset: '5' }] }] });
    await committed.commit();
    // EndTxn answers once the commit is decided; the offset shows when its marker is written.
    let offset = await offsetsOf();
    for (let attempt = 0; offset !== '5' && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      offset = await offsetsOf();
    }
    expect(offset).toBe('5');
    await admin.disconnect();
  });

  it('fences the older of two producers with the same transactional id', async () => {
    const older = await connected(kafka.producer({ transactionalId: 'compat-fence', idempotent: true, maxInFlightRequests: 1, retry: { retries: 2, initialRetryTime: 50 } }));
    const txn = await older.transaction();
    await txn.send({ topic: 'txn', messages: [{ value: 'from-older' }] });
    // kafkajs sends InitProducerId for a transactional id when the first transaction begins.
    const newer = await connected(kafka.producer({ transactionalId: 'compat-fence', idempotent: true, maxInFlightRequests: 1 }));
    const newTxn = await newer.transaction();
    await expect(txn.commit()).rejects.toMatchObject({ type: 'INVALID_PRODUCER_EPOCH' });
    await newTxn.send({ topic: 'txn', messages: [{ value: 'from-newer' }] });
    await newTxn.commit();
    const values = await readAll('txn', 'reader-fence', false, 'from-newer');
    expect(values).toContain('from-newer');
    expect(values).not.toContain('from-older');
  });
});
