/**
 * kafkajs 2.2.4 against the lab cluster over TCP: its admin client and its producer with
 * acks -1, 1 and 0 and gzip. What was written is read back with kcat, an independent client.
 */
import { CompressionTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompatCluster } from './harness';
import { kcat } from './kcat';

let lab: CompatCluster;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  lab = await CompatCluster.start();
  kafka = new Kafka({ clientId: 'compat', brokers: lab.bootstrap().split(','), logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await lab?.close();
});

describe('kafkajs admin', () => {
  it('creates, lists, describes and deletes topics', async () => {
    const created = await admin.createTopics({
      topics: [
        { topic: 'orders', numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
        { topic: 'audit', numPartitions: 1, replicationFactor: 1 },
      ],
    });
    expect(created).toBe(true);
    expect((await admin.listTopics()).sort()).toEqual(['audit', 'orders']);
    const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
    expect(topics[0]?.partitions).toHaveLength(3);
    for (const p of topics[0]?.partitions ?? []) {
      expect(p.replicas).toHaveLength(3);
      expect(p.isr).toHaveLength(3);
      expect(p.replicas).toContain(p.leader);
    }
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: 'orders', configNames: ['min.insync.replicas', 'cleanup.policy'] }], includeSynonyms: false });
    const entries = configs.resources[0]?.configEntries ?? [];
    expect(entries.find((e) => e.configName === 'min.insync.replicas')?.configValue).toBe('2');
    expect(entries.find((e) => e.configName === 'cleanup.policy')?.configValue).toBe('delete');
    // Creating it again fails with Kafka's TOPIC_ALREADY_EXISTS, which kafkajs reports as false.
    expect(await admin.createTopics({ topics: [{ topic: 'audit', numPartitions: 1, replicationFactor: 1 }] })).toBe(false);
    await admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 5 }] });
    const grown = await admin.fetchTopicMetadata({ topics: ['orders'] });
    expect(grown.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3, 4]);
    await admin.deleteTopics({ topics: ['audit'] });
    expect(await admin.listTopics()).toEqual(['orders']);
  });

  it('rejects a replication factor larger than the cluster with INVALID_REPLICATION_FACTOR', async () => {
    await expect(admin.createTopics({ topics: [{ topic: 'too-wide', numPartitions: 1, replicationFactor: 5 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
    });
  });

  it('describes the cluster with every broker at its real listener and a broker as controller', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual(lab.bootstrap().split(',').sort());
    expect(cluster.brokers.map((b) => b.nodeId)).toContain(cluster.controller);
    expect(cluster.clusterId).toBe(lab.cluster.clusterId);
  });
});

describe('kafkajs producer', () => {
  it('writes with acks -1, 1 and 0 and with gzip; kcat reads every record back', async () => {
    await admin.createTopics({ topics: [{ topic: 'acks', numPartitions: 1, replicationFactor: 3 }] });
    const batch = (tag: string) => Array.from({ length: 5 }, (_, i) => ({ key: `${tag}-${i}`, value: `${tag} value ${i}` }));
    const all = await producer.send({ topic: 'acks', acks: -1, messages: batch('all') });
    expect(all[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });
    const one = await producer.send({ topic: 'acks', acks: 1, messages: batch('one') });
    expect(one[0]).toMatchObject({ errorCode: 0, baseOffset: '5' });
    await producer.send({ topic: 'acks', acks: 0, messages: batch('zero') });
    const gzip = await producer.send({ topic: 'acks', acks: -1, compression: CompressionTypes.GZIP, messages: batch('gzip') });
    expect(gzip[0]).toMatchObject({ errorCode: 0, baseOffset: '15' });
    const offsets = await admin.fetchTopicOffsets('acks');
    expect(offsets[0]).toMatchObject({ partition: 0, low: '0', high: '20' });
    const read = await kcat(lab.bootstrap(), ['-C', '-t', 'acks', '-o', 'beginning', '-e', '-f', '%o %k %s\\n']);
    const lines = read.stdout.trim().split('\n');
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe('0 all-0 all value 0');
    expect(lines[12]).toBe('12 zero-2 zero value 2');
    expect(lines[19]).toBe('19 gzip-4 gzip value 4');
  });

  it('gets UNKNOWN_TOPIC_OR_PARTITION for a missing topic when auto-creation is off for it', async () => {
    const strict = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1, initialRetryTime: 20 } });
    await strict.connect();
    await expect(strict.send({ topic: 'never-created', messages: [{ value: 'x' }] })).rejects.toThrow(/does not host this topic-partition|UNKNOWN_TOPIC|not exist/i);
    await strict.disconnect();
  });

  it('auto-creates a topic on first use with num.partitions and default.replication.factor', async () => {
    const auto = kafka.producer({ allowAutoTopicCreation: true });
    await auto.connect();
    const sent = await auto.send({ topic: 'auto-created', messages: [{ value: 'first' }] });
    expect(sent[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });
    await auto.disconnect();
    const { topics } = await admin.fetchTopicMetadata({ topics: ['auto-created'] });
    expect(topics[0]?.partitions).toHaveLength(1);
    expect(topics[0]?.partitions[0]?.replicas).toHaveLength(1);
  });
});
