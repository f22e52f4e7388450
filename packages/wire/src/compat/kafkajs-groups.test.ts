/**
 * A kafkajs 2.2.4 consumer group of three members over TCP, through joins, a leave and the
 * loss of the group's coordinator broker. After every rebalance the group, as kafkajs's own
 * admin client describes it (DescribeGroups, assignments decoded with kafkajs's consumer
 * protocol), owns every partition exactly once; every record produced along the way is
 * consumed.
 */
import { AssignerProtocol, Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompatCluster } from './harness';

const TOPIC = 'members';
const PARTITIONS = 6;
const GROUP = 'trio';

let lab: CompatCluster;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const consumers = new Map<string, Consumer>();
const consumed = new Set<string>();
const produced: string[] = [];

beforeAll(async () => {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
  lab = await CompatCluster.start({
    config: { 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '5' },
    topics: [{ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }],
  });
  kafka = new Kafka({ clientId: 'compat-group', brokers: lab.bootstrap().split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 50, maxRetryTime: 500 } });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  for (const consumer of consumers.values()) await consumer.disconnect().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  await lab?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

async function startMember(name: string): Promise<void> {
  const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 6_000, rebalanceTimeout: 10_000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
  consumers.set(name, consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void consumed.add(String(message.value)) });
}

async function produceRound(round: string): Promise<void> {
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const messages = [0, 1, 2].map((i) => ({ value: `${round}-p${partition}-${i}` }));
    await producer.send({ topic: TOPIC, acks: -1, messages: messages.map((m) => ({ ...m, partition })) });
    produced.push(...messages.map((m) => m.value));
  }
}

/** The group's partitions per member, as kafkajs's admin describes them, once it is Stable with `members` members. */
async function stableAssignment(members: number): Promise<number[][]> {
  let owned: number[][] = [];
  await until(`the group is Stable with ${members} members`, async () => {
    const described = await admin.describeGroups([GROUP]).catch(() => null);
    const group = described?.groups[0];
    if (group?.state !== 'Stable' || group.members.length !== members) return false;
    owned = group.members.map((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[TOPIC] ?? []);
    return true;
  });
  return owned;
}

function expectEachPartitionOwnedOnce(owned: number[][]): void {
  const all = owned.flat().sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p));
}

describe('a kafkajs consumer group over TCP', () => {
  it('shares the partitions among three members through joins, a leave and a coordinator failure', async () => {
    await startMember('a');
    await produceRound('one');
    expect(await stableAssignment(1)).toEqual([[0, 1, 2, 3, 4, 5]]);
    await until('round one is consumed', () => produced.every((v) => consumed.has(v)));

    await startMember('b');
    await startMember('c');
    const three = await stableAssignment(3);
    expectEachPartitionOwnedOnce(three);
    expect(three.map((p) => p.length)).toEqual([2, 2, 2]);
    await produceRound('two');
    await until('round two is consumed', () => produced.every((v) => consumed.has(v)));

    await consumers.get('c')?.disconnect();
    consumers.delete('c');
    expectEachPartitionOwnedOnce(await stableAssignment(2));
    await produceRound('three');
    await until('round three is consumed', () => produced.every((v) => consumed.has(v)));

    const { nodeId: coordinator } = await lab.cluster.broker(lab.cluster.brokerIds[0]!).findCoordinator('group', GROUP);
    await lab.stopBroker(coordinator);
    await produceRound('four');
    await until('round four is consumed after the coordinator failed', () => produced.every((v) => consumed.has(v)), 25_000);
    const after = await stableAssignment(2);
    expectEachPartitionOwnedOnce(after);
    const moved = await lab.cluster.broker(lab.cluster.brokerIds.find((id) => id !== coordinator)!).findCoordinator('group', GROUP);
    expect(moved.nodeId).not.toBe(coordinator);
    expect(produced).toHaveLength(4 * PARTITIONS * 3);
  });
});
