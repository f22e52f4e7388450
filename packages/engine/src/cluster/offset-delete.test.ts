import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { runUntil, settle } from './settle';

async function startCluster(): Promise<Cluster> {
  const cluster = new Cluster({ seed: 3 });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'), 30_000);
  await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 3, replicationFactor: 3 }, { name: 'audit', numPartitions: 1, replicationFactor: 3 }]));
  return cluster;
}

/** Commits offsets for a group with no members (as --reset-offsets --execute does). */
async function commit(cluster: Cluster, groupId: string, offsets: ReadonlyArray<[string, number, number]>): Promise<void> {
  const results = await settle(cluster, cluster.admin.alterConsumerGroupOffsets(groupId, offsets.map(([topic, partition, offset]) => ({ topic, partition, offset }))));
  expect(results.every((r) => r.error === null)).toBe(true);
}

async function committed(cluster: Cluster, groupId: string): Promise<string[]> {
  const rows = await settle(cluster, cluster.admin.listConsumerGroupOffsets(groupId));
  return rows.filter((r) => r.committedOffset >= 0).map((r) => `${r.topic}-${r.partition}@${r.committedOffset}`);
}

describe('OffsetDelete (KIP-496) through the admin client', () => {
  it('deletes an empty group\'s offsets for the asked partitions only, durably', async () => {
    const cluster = await startCluster();
    await commit(cluster, 'billing', [['orders', 0, 0], ['orders', 1, 0], ['orders', 2, 0], ['audit', 0, 0]]);
    const result = await settle(cluster, cluster.admin.deleteConsumerGroupOffsets('billing', [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 2 }]));
    expect(result.error).toBeNull();
    expect(result.partitions.map((p) => [p.topic, p.partition, p.error])).toEqual([['orders', 0, null], ['orders', 2, null]]);
    expect(await committed(cluster, 'billing')).toEqual(['audit-0@0', 'orders-1@0']);

    // The tombstones are in __consumer_offsets: a new coordinator that loads the partition agrees.
    const coordinator = (await settle(cluster, cluster.broker(1).findCoordinator('group', 'billing'))).nodeId;
    cluster.faults.stopNode(coordinator);
    expect(await committed(cluster, 'billing')).toEqual(['audit-0@0', 'orders-1@0']);
  });

  it('refuses topics an active group subscribes to, and deletes the others', async () => {
    const cluster = await startCluster();
    await commit(cluster, 'payments', [['audit', 0, 0]]);
    const consumer = cluster.client.createConsumer({ groupId: 'payments', topics: ['orders'], clientId: 'c1' });
    consumer.start();
    expect(await runUntil(cluster, () => consumer.state === 'STABLE', 60_000)).toBe(true);
    await settle(cluster, consumer.commit([{ topic: 'orders', partition: 1, offset: 0 }]));

    const result = await settle(cluster, cluster.admin.deleteConsumerGroupOffsets('payments', [{ topic: 'orders', partition: 1 }, { topic: 'audit', partition: 0 }]));
    expect(result.error).toBeNull();
    expect(result.partitions.map((p) => [p.topic, p.partition, p.error?.errorName ?? 'NONE'])).toEqual([['orders', 1, 'GROUP_SUBSCRIBED_TO_TOPIC'], ['audit', 0, 'NONE']]);
    expect((await committed(cluster, 'payments')).filter((o) => o.startsWith('audit'))).toEqual([]);
    await settle(cluster, consumer.close());
  });

  it('answers GROUP_ID_NOT_FOUND for a group that does not exist', async () => {
    const cluster = await startCluster();
    const result = await settle(cluster, cluster.admin.deleteConsumerGroupOffsets('nobody', [{ topic: 'orders', partition: 0 }]));
    expect(result.error?.errorName).toBe('GROUP_ID_NOT_FOUND');
    expect(result.partitions.every((p) => p.error?.errorName === 'GROUP_ID_NOT_FOUND')).toBe(true);
  });
});
