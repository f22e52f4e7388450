/**
 * A broker failure under a real client: kafkajs produces with acks=all to a topic with
 * replication factor 3 and min.insync.replicas=2 while the partition leader's listener
 * closes and its node stops. The client fails over through metadata; afterwards every
 * acknowledged record is in the log (read back with kcat), in the order it was acknowledged.
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
  it('loses no acknowledged acks=all record when the leader stops mid-stream', async () => {
    const kafka = new Kafka({ clientId: 'faults', brokers: lab.bootstrap().split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 50, maxRetryTime: 500 } });
    const producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1 });
    await producer.connect();
    const leader = lab.cluster.snapshot().topics.find((t) => t.name === 'durable')?.partitions[0]?.leader as number;
    const acknowledged: string[] = [];
    for (let i = 0; i < 60; i++) {
      if (i === 20) await lab.stopBroker(leader);
      const value = `record-${i}`;
      const [result] = await producer.send({ topic: 'durable', acks: -1, messages: [{ key: String(i), value }] });
      expect(result?.errorCode).toBe(0);
      acknowledged.push(value);
    }
    await producer.disconnect();
    const newLeader = lab.cluster.snapshot().topics.find((t) => t.name === 'durable')?.partitions[0]?.leader;
    expect(newLeader).not.toBe(leader);
    const read = await kcat(lab.bootstrap(), ['-C', '-t', 'durable', '-o', 'beginning', '-e', '-f', '%s\\n']);
    const values = read.stdout.trim().split('\n');
    for (const value of acknowledged) expect(values).toContain(value);
    // Acknowledged order is log order: a retried batch may repeat (no idempotence here), never reorder.
    const firstSeen = acknowledged.map((v) => values.indexOf(v));
    expect([...firstSeen].sort((a, b) => a - b)).toEqual(firstSeen);
  });
});
