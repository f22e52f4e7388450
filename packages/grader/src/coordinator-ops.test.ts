/**
 * Learner code's group and transaction ops against a real engine cluster: idempotent
 * retries are not written twice, read_committed hides aborted records, a zombie is
 * fenced, and the learner's own assignor decides what the coordinator hands out.
 */
import { describe, expect, it } from 'vitest';
import type { Kafka, PartitionAssignor } from '@kil/client';
import { GraderLab } from './grader-lab';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './consumer-protocol';
import { regionOfBootstrap, regionOfLine } from './geo';

async function lab(): Promise<GraderLab> {
  return GraderLab.start({ topics: [{ name: 't', numPartitions: 2, replicationFactor: 3 }] });
}

async function run(graderLab: GraderLab, program: (kafka: Kafka, log: (...v: unknown[]) => void) => Promise<void>): Promise<string> {
  const outcome = await graderLab.runProgram('test.ts', program);
  expect(outcome.ok, outcome.output).toBe(true);
  return outcome.output;
}

describe('consumer protocol bytes', () => {
  it('round-trips subscriptions and assignments', () => {
    const subscription = { topics: ['a', 'b'], ownedPartitions: [{ topic: 'a', partition: 1 }, { topic: 'a', partition: 3 }], userData: 'hello' };
    expect(decodeSubscription(encodeSubscription(subscription))).toEqual(subscription);
    const assignment = { partitions: [{ topic: 'b', partition: 0 }], userData: null };
    expect(decodeAssignment(encodeAssignment(assignment))).toEqual(assignment);
    expect(decodeAssignment(new Uint8Array(0))).toEqual({ partitions: [], userData: null });
  });
});

describe('idempotent and transactional producers', () => {
  it('acknowledges a retried batch with its first offset and writes it once', async () => {
    const graderLab = await lab();
    const { producerId, producerEpoch } = (await settleHost(graderLab, 'initProducerId', { transactionalId: null, transactionTimeoutMs: 60_000 })) as { producerId: number; producerEpoch: number };
    const send = { topic: 't', partition: 0, acks: -1, records: [{ key: 'k', value: 'v' }], producerId, producerEpoch, baseSequence: 0 };
    const first = (await settleHost(graderLab, 'produce', send)) as { baseOffset: number };
    const retry = (await settleHost(graderLab, 'produce', send)) as { baseOffset: number };
    expect(retry.baseOffset).toBe(first.baseOffset);
    expect(graderLab.cluster.snapshot().topics.find((t) => t.name === 't')?.partitions[0]?.highWatermark).toBe(1);
  });

  it('hides aborted records from read_committed readers and fences a zombie', async () => {
    const graderLab = await lab();
    const output = await run(graderLab, async (kafka, log) => {
      const producer = kafka.producer({ transactionalId: 'tx' });
      await producer.initTransactions();
      producer.beginTransaction();
      await producer.send({ topic: 't', partition: 0, key: null, value: 'kept' });
      await producer.commitTransaction();
      producer.beginTransaction();
      await producer.send({ topic: 't', partition: 0, key: null, value: 'aborted' });
      await producer.abortTransaction();
      for (const isolationLevel of ['read_committed', 'read_uncommitted'] as const) {
        const reader = kafka.consumer({ isolationLevel });
        reader.assign([{ topic: 't', partition: 0 }]);
        reader.seek({ topic: 't', partition: 0 }, 0);
        log(isolationLevel, (await reader.poll(500)).map((r) => r.value).join(','));
      }
      producer.beginTransaction();
      await producer.send({ topic: 't', partition: 1, key: null, value: 'zombie' });
      await kafka.producer({ transactionalId: 'tx' }).initTransactions();
      await producer.commitTransaction().then(
        () => log('zombie committed'),
        (error: { code: string }) => log('zombie', error.code),
      );
    });
    expect(output).toBe('read_committed kept\nread_uncommitted kept,aborted\nzombie PRODUCER_FENCED');
  });
});

describe('groups from learner code', () => {
  it('lets the leader run the learner\'s own assignor', async () => {
    const graderLab = await lab();
    const allToFirst: PartitionAssignor = {
      name: 'all-to-first',
      assign: (group) => {
        const [first, ...rest] = Object.keys(group.members).sort();
        const all = Object.entries(group.partitionsPerTopic).flatMap(([topic, n]) => Array.from({ length: n }, (_, partition) => ({ topic, partition })));
        return { [first!]: all, ...Object.fromEntries(rest.map((m) => [m, []])) };
      },
    };
    const output = await run(graderLab, async (kafka, log) => {
      const members = [0, 1].map(() => kafka.consumer({ groupId: 'g', partitionAssignmentStrategy: [allToFirst] }));
      for (const m of members) m.subscribe(['t']);
      for (let i = 0; i < 40 && members.reduce((n, m) => n + m.assignment().length, 0) < 2; i++) await Promise.all(members.map((m) => m.poll(500)));
      log(members.map((m) => m.assignment().length).sort().join(','));
    });
    expect(output).toBe('0,2');
    const described = await settleAdmin(graderLab, 'g');
    expect(described).toMatchObject({ state: 'Stable', protocol: 'all-to-first' });
  });
});

describe('geo routing', () => {
  it('sends a line or a request to the region its bootstrap servers name', () => {
    expect(regionOfLine('kafka-topics --bootstrap-server localhost:9192 --list')).toBe('secondary');
    expect(regionOfLine('kafka-topics --bootstrap-server=localhost:9193 --list')).toBe('secondary');
    expect(regionOfLine('kafka-console-producer --broker-list localhost:9092 --topic t')).toBe('primary');
    expect(regionOfLine('mirror status')).toBe('primary');
    expect(regionOfBootstrap('localhost:9092,localhost:9194')).toBe('secondary');
    expect(regionOfBootstrap('localhost:9300')).toBe('primary');
  });
});

async function settleHost(graderLab: GraderLab, op: string, args: Record<string, unknown>): Promise<unknown> {
  let result: unknown;
  const outcome = await graderLab.runProgram('host.ts', async () => {
    result = await graderLab.host.handle(op, args);
  });
  expect(outcome.ok, outcome.output).toBe(true);
  return result;
}

async function settleAdmin(graderLab: GraderLab, groupId: string): Promise<unknown> {
  let result: unknown;
  await graderLab.runProgram('admin.ts', async () => {
    result = (await graderLab.cluster.admin.describeGroups([groupId]))[0];
  });
  return result;
}
