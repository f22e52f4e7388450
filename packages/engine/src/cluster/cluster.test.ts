import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { runUntil, settle } from './settle';

async function startedCluster(seed = 1, options: Partial<ConstructorParameters<typeof Cluster>[0]> = {}) {
  const cluster = new Cluster({ seed, brokers: 3, controllers: 3, ...options });
  const ready = await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'), 30_000);
  expect(ready).toBe(true);
  return cluster;
}

describe('Cluster start-up', () => {
  it('elects a quorum leader and registers and unfences every broker', async () => {
    const cluster = await startedCluster();
    const snap = cluster.snapshot();
    expect(snap.activeControllerId).not.toBeNull();
    const leaders = snap.controllers.filter((c) => c.role === 'leader');
    expect(leaders).toHaveLength(1);
    expect(snap.controllers.every((c) => c.leaderId === leaders[0]!.id)).toBe(true);
    expect(snap.brokers.map((b) => b.brokerEpoch).every((e) => e >= 0)).toBe(true);
    const types = cluster.events().map((e) => e.type);
    expect(types).toContain('quorum-leader-elected');
    expect(types.filter((t) => t === 'broker-registered')).toHaveLength(3);
    expect(types.filter((t) => t === 'broker-unfenced')).toHaveLength(3);
  });
});

describe('topics', () => {
  it('creates a topic with leaders, replicas and ISR', async () => {
    const cluster = await startedCluster();
    const [result] = await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 3, replicationFactor: 3 }]));
    expect(result!.error).toBeNull();
    expect(result!.numPartitions).toBe(3);
    const topic = cluster.snapshot().topics.find((t) => t.name === 'orders')!;
    expect(topic.partitions).toHaveLength(3);
    for (const p of topic.partitions) {
      expect(p.replicas).toHaveLength(3);
      expect([...p.isr].sort()).toEqual([1, 2, 3]);
      expect(p.leader).toBe(p.replicas[0]);
    }
    // Leaders spread over the brokers, as round-robin placement promises.
    expect(new Set(topic.partitions.map((p) => p.leader)).size).toBe(3);
    expect(await settle(cluster, cluster.admin.listTopics())).toEqual(['orders']);
  });

  it('rejects bad requests with Kafka error codes', async () => {
    const cluster = await startedCluster();
    await settle(cluster, cluster.admin.createTopics([{ name: 'a', numPartitions: 1, replicationFactor: 1 }]));
    const results = await settle(
      cluster,
      cluster.admin.createTopics([
        { name: 'a', numPartitions: 1, replicationFactor: 1 },
        { name: 'b', numPartitions: 0, replicationFactor: 1 },
        { name: 'c', numPartitions: 1, replicationFactor: 4 },
        { name: 'bad/name', numPartitions: 1 },
        { name: '..' },
        { name: 'x'.repeat(250) },
      ]),
    );
    expect(results.map((r) => r.error?.errorName)).toEqual([
      'TOPIC_ALREADY_EXISTS',
      'INVALID_PARTITIONS',
      'INVALID_REPLICATION_FACTOR',
      'INVALID_TOPIC_EXCEPTION',
      'INVALID_TOPIC_EXCEPTION',
      'INVALID_TOPIC_EXCEPTION',
    ]);
    expect(results[2]!.error!.message).toBe('Replication factor: 4 larger than available brokers: 3.');
  });

  it('deletes topics', async () => {
    const cluster = await startedCluster();
    await settle(cluster, cluster.admin.createTopics([{ name: 'gone', numPartitions: 2, replicationFactor: 2 }]));
    const [deleted] = await settle(cluster, cluster.admin.deleteTopics(['gone']));
    expect(deleted!.error).toBeNull();
    const [again] = await settle(cluster, cluster.admin.deleteTopics(['gone']));
    expect(again!.error?.errorName).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(cluster.snapshot().topics).toHaveLength(0);
  });
});
