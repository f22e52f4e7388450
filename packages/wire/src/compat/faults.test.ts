/**
 * A broker failure under a real client: an idempotent kafkajs producer writes with acks=all
 * to a topic with replication factor 3 and min.insync.replicas=2 while the partition
 * leader's listener closes and its node stops. The client fails over through metadata and
 * retries with the same producer id and sequence numbers; afterwards every acknowledged
 * record is in the log exactly once (read back with kcat), in the order it was acknowledged.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompatCluster } from './harness';
import { kcat } from './kcat';

let lab: CompatCluster;

beforeAll(async () => {
  lab = await CompatCluster.start({ topics: [{ name: 'durable', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }] });
});

afterAll(async () => {
  await lab?.close();
});

describe('broker failure over TCP', () => {
  it('loses and duplicates no acknowledged record of an idempotent producer when the leader stops mid-stream', async () => {
    const kafka = new Kafka({ clientId: 'faults', brokers: lab.bootstrap().split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 50, maxRetryTime: 500 } });
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const leader = lab.cluster.snapshot().topics.find((t) => t.name === 'durable')?.partitions[0]?.leader as number;
    const acknowledged: string[] = [];
    let stopping: Promise<void> | null = null;
    for (let i = 0; i < 60; i++) {
      const value = `record-${i}`;
      const sending = producer.send({ topic: 'durable', acks: -1, messages: [{ key: String(i), value }] });
      // The leader goes away while this request is in flight: its answer may be lost after the append.
      if (i === 20) stopping = lab.stopBroker(leader);
      const [result] = await sending;
      expect(result?.errorCode).toBe(0);
      acknowledged.push(value);
    }
    await stopping;
    await producer.disconnect();
    const newLeader = lab.cluster.snapshot().topics.find((t) => t.name === 'durable')?.partitions[0]?.leader;
    expect(newLeader).not.toBe(leader);
    const read = await kcat(lab.bootstrap(), ['-C', '-t', 'durable', '-o', 'beginning', '-e', '-f', '%s\\n']);
    const values = read.stdout.trim().split('\n');
    // Every acknowledged record once, in acknowledged order: a retried batch was recognised by its sequence number.
    expect(values).toEqual(acknowledged);
  });
});
