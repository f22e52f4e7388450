import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { runUntil, settle } from './settle';
import type { PartitionSnapshot } from './api';

async function clusterWithTopic(seed = 7) {
  const cluster = new Cluster({ seed });
  expect(await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'))).toBe(true);
  await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 3, replicationFactor: 3 }]));
  return cluster;
}

const partitions = (cluster: Cluster): readonly PartitionSnapshot[] => cluster.snapshot().topics.find((t) => t.name === 'orders')!.partitions;

describe('broker failures', () => {
  it('controlled shutdown moves leadership away before the broker stops', async () => {
    const cluster = await clusterWithTopic();
    const before = partitions(cluster).find((p) => p.leader === 2)!;
    cluster.faults.stopNode(2);
    expect(await runUntil(cluster, () => cluster.snapshot().brokers.find((b) => b.id === 2)!.state === 'stopped', 5_000)).toBe(true);
    const after = partitions(cluster).find((p) => p.partition === before.partition)!;
    expect(after.leader).not.toBe(2);
    expect(after.leaderEpoch).toBe(before.leaderEpoch + 1);
    expect(after.isr).not.toContain(2);
    const types = cluster.events().map((e) => e.type);
    expect(types).toContain('controlled-shutdown-started');
    // Well before the 9 s session timeout: the shutdown was controlled, not a fencing.
    expect(cluster.nowMs()).toBeLessThan(30_000);
  });

  it('a crashed broker is fenced after broker.session.timeout.ms and a new leader is elected from the ISR', async () => {
    const cluster = await clusterWithTopic();
    const led = partitions(cluster).filter((p) => p.leader === 3);
    expect(led.length).toBeGreaterThan(0);
    const crashAt = cluster.nowMs();
    cluster.faults.crashNode(3);
    cluster.advanceBy(8_000);
    expect(partitions(cluster).filter((p) => p.leader === 3)).toHaveLength(led.length);
    expect(await runUntil(cluster, () => cluster.snapshot().brokers.find((b) => b.id === 3)!.state === 'crashed' && partitions(cluster).every((p) => p.leader !== 3), 5_000)).toBe(true);
    const fenced = cluster.events().find((e) => e.type === 'broker-fenced');
    expect(fenced?.message).toContain('no heartbeat for 9000 ms');
    expect(fenced!.timeMs - crashAt).toBeGreaterThanOrEqual(9_000 - 2_000);
    for (const p of partitions(cluster)) {
      expect(p.isr).not.toContain(3);
      const old = led.find((o) => o.partition === p.partition);
      if (old !== undefined) {
        expect(p.leader).toBe(old.replicas.find((r) => r !== 3 && old.isr.includes(r)));
        expect(p.leaderEpoch).toBe(old.leaderEpoch + 1);
      }
    }
    const election = cluster.events().find((e) => e.type === 'leader-elected');
    expect(election?.message).toMatch(/leader 3 → \d, leader epoch 1/);
  });

  it('a restarted broker re-registers, is unfenced and rejoins the ISR', async () => {
    const cluster = await clusterWithTopic();
    cluster.faults.stopNode(1);
    await runUntil(cluster, () => cluster.snapshot().brokers.find((b) => b.id === 1)!.state === 'stopped');
    cluster.faults.startNode(1);
    expect(await runUntil(cluster, () => partitions(cluster).every((p) => p.isr.length === 3), 30_000)).toBe(true);
    expect(cluster.snapshot().brokers.find((b) => b.id === 1)!.state).toBe('running');
    expect(cluster.events().map((e) => e.type)).toContain('isr-expanded');
  });

  it('a partition whose whole ISR is gone stays offline until an ISR member returns', async () => {
    const cluster = new Cluster({ seed: 3 });
    await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
    await settle(cluster, cluster.admin.createTopics([{ name: 'solo', numPartitions: 1, replicationFactor: 1 }]));
    const leader = cluster.snapshot().topics[0]!.partitions[0]!.leader;
    cluster.faults.crashNode(leader);
    await runUntil(cluster, () => cluster.snapshot().topics[0]!.partitions[0]!.leader === -1, 20_000);
    expect(cluster.snapshot().topics[0]!.partitions[0]!.isr).toEqual([leader]);
    cluster.faults.startNode(leader);
    expect(await runUntil(cluster, () => cluster.snapshot().topics[0]!.partitions[0]!.leader === leader, 30_000)).toBe(true);
  });
});

describe('controller failures', () => {
  it('a new active controller takes over with the metadata intact', async () => {
    const cluster = await clusterWithTopic();
    const active = cluster.snapshot().activeControllerId!;
    cluster.faults.crashNode(active);
    expect(await runUntil(cluster, () => (cluster.snapshot().activeControllerId ?? active) !== active, 10_000)).toBe(true);
    expect(cluster.snapshot().topics.map((t) => t.name)).toEqual(['orders']);
    const [result] = await settle(cluster, cluster.admin.createTopics([{ name: 'after-failover', numPartitions: 1, replicationFactor: 3 }]));
    expect(result!.error).toBeNull();
    cluster.faults.startNode(active);
    await runUntil(cluster, () => cluster.snapshot().controllers.every((c) => c.state === 'running' && c.leaderId !== null), 10_000);
    cluster.advanceBy(3_000);
    const snap = cluster.snapshot();
    const rejoined = snap.controllers.find((c) => c.id === active)!;
    expect(rejoined.role).toBe('follower');
    expect(rejoined.highWatermark).toBe(snap.controllers.find((c) => c.role === 'leader')!.highWatermark);
  });
});
