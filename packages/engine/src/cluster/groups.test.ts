import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import type { GroupConsumerApi, GroupConsumerConfig } from './coordinator-api';
import { runUntil, settle } from './settle';

async function startCluster(seed = 1, config: Record<string, string> = {}): Promise<Cluster> {
  const cluster = new Cluster({ seed, config });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'), 30_000);
  await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 6, replicationFactor: 3 }]));
  return cluster;
}

function consumers(cluster: Cluster, n: number, config: Partial<GroupConsumerConfig> = {}, from = 1): GroupConsumerApi[] {
  return Array.from({ length: n }, (_, i) => {
    const c = cluster.client.createConsumer({ groupId: 'payments', topics: ['orders'], clientId: `c${from + i}`, ...config });
    c.start();
    return c;
  });
}

const balanced = (group: readonly GroupConsumerApi[], total = 6): boolean => {
  const sizes = group.map((c) => c.assignment().length);
  return group.every((c) => c.state === 'STABLE') && sizes.reduce((a, b) => a + b, 0) === total && Math.max(...sizes) - Math.min(...sizes) <= 1;
};

/** Polls every consumer and commits, every 200 ms of virtual time, for `ms`. */
async function consumeFor(cluster: Cluster, group: readonly GroupConsumerApi[], ms: number): Promise<number> {
  let records = 0;
  const end = cluster.nowMs() + ms;
  while (cluster.nowMs() < end) {
    const polled = await settle(cluster, Promise.all(group.map((c) => c.poll(0))));
    records += polled.reduce((n, r) => n + r.length, 0);
    await settle(cluster, Promise.all(group.map((c) => c.commit().catch(() => undefined))));
    cluster.advanceBy(200);
  }
  return records;
}

async function produce(cluster: Cluster, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const r = await settle(cluster, cluster.client.produce({ topic: 'orders', partition: i % 6, records: [{ value: `order-${i}` }] }));
    expect(r.error).toBeNull();
  }
}

describe('consumer groups through the cluster', () => {
  it('three consumers share six partitions, scale to four and back, and commit offsets that survive', async () => {
    const cluster = await startCluster();
    const group = consumers(cluster, 3);
    expect(await runUntil(cluster, () => balanced(group), 60_000)).toBe(true);
    expect(group.map((c) => c.assignment().length)).toEqual([2, 2, 2]);
    await produce(cluster, 60);
    expect(await consumeFor(cluster, group, 2_000)).toBe(60);

    const [fourth] = consumers(cluster, 1, {}, 4);
    const scaled = [...group, fourth!];
    expect(await runUntil(cluster, () => balanced(scaled) && new Set(scaled.map((c) => c.generationId)).size === 1, 60_000)).toBe(true);
    expect(scaled.map((c) => c.assignment().length).sort()).toEqual([1, 1, 2, 2]);

    await settle(cluster, fourth!.close());
    expect(await runUntil(cluster, () => balanced(group) && group.every((c) => c.generationId > fourth!.generationId), 60_000)).toBe(true);

    const offsets = await settle(cluster, cluster.admin.listConsumerGroupOffsets('payments'));
    expect(offsets).toHaveLength(6);
    expect(offsets.every((o) => o.committedOffset === 10 && o.logEndOffset === 10 && o.lag === 0 && o.memberId !== null)).toBe(true);
    const [description] = await settle(cluster, cluster.admin.describeGroups(['payments']));
    expect(description).toMatchObject({ state: 'Stable', protocol: 'range', protocolType: 'consumer' });
    expect(description!.members).toHaveLength(3);
    const listed = await settle(cluster, cluster.admin.listGroups());
    expect(listed.map((g) => [g.groupId, g.state])).toEqual([['payments', 'Stable']]);
    expect(cluster.events().some((e) => e.type === 'group-join-completed')).toBe(true);
    expect(cluster.events().some((e) => e.type === 'offset-committed')).toBe(true);
  });

  it('eager rebalancing revokes every partition, cooperative-sticky only the ones that move', async () => {
    const revokedWhenScaling = async (assignor: 'range' | 'cooperative-sticky'): Promise<number> => {
      const cluster = await startCluster(2);
      const group = consumers(cluster, 3, { assignor });
      await runUntil(cluster, () => balanced(group), 60_000);
      const before = group.reduce((n, c) => n + c.stats().revoked, 0);
      const scaled = [...group, ...consumers(cluster, 1, { assignor }, 4)];
      expect(await runUntil(cluster, () => balanced(scaled) && new Set(scaled.map((c) => c.generationId)).size === 1, 60_000)).toBe(true);
      cluster.advanceBy(5_000);
      expect(balanced(scaled)).toBe(true);
      return group.reduce((n, c) => n + c.stats().revoked, 0) - before;
    };
    const eager = await revokedWhenScaling('range');
    const cooperative = await revokedWhenScaling('cooperative-sticky');
    // Eager: all six owned partitions are given back before rejoining. Cooperative: from
    // (2,2,2) to (2,2,1,1) only one partition has to move, and only it is revoked.
    expect(eager).toBe(6);
    expect(cooperative).toBe(1);
  });

  it('a static member that restarts within its session gets its partitions back without a rebalance', async () => {
    const cluster = await startCluster(3);
    const group = [1, 2, 3].map((i) => {
      const c = cluster.client.createConsumer({ groupId: 'payments', topics: ['orders'], clientId: `s${i}`, groupInstanceId: `instance-${i}`, sessionTimeoutMs: 30_000 });
      c.start();
      return c;
    });
    expect(await runUntil(cluster, () => balanced(group), 60_000)).toBe(true);
    const generation = group[0]!.generationId;
    const owned = group[1]!.assignment();
    const rebalancesBefore = cluster.events().filter((e) => e.type === 'group-rebalance-started').length;

    group[1]!.crash();
    cluster.advanceBy(5_000);
    const restarted = cluster.client.createConsumer({ groupId: 'payments', topics: ['orders'], clientId: 's2', groupInstanceId: 'instance-2', sessionTimeoutMs: 30_000 });
    restarted.start();
    expect(await runUntil(cluster, () => restarted.state === 'STABLE' && restarted.assignment().length === 2, 30_000)).toBe(true);
    cluster.advanceBy(10_000);

    expect(restarted.assignment()).toEqual(owned);
    expect(restarted.generationId).toBe(generation);
    expect([group[0]!, group[2]!].every((c) => c.generationId === generation && c.state === 'STABLE')).toBe(true);
    expect(cluster.events().filter((e) => e.type === 'group-rebalance-started').length).toBe(rebalancesBefore);
    expect(cluster.events().some((e) => e.type === 'group-static-rejoin-no-rebalance')).toBe(true);
  });

  it('survives a crash of the coordinator broker in the middle of a rebalance', async () => {
    const cluster = await startCluster(4, { 'replica.lag.time.max.ms': '5000' });
    const group = consumers(cluster, 3, { rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 10_000 });
    expect(await runUntil(cluster, () => balanced(group), 60_000)).toBe(true);
    await produce(cluster, 30);
    expect(await consumeFor(cluster, group, 1_000)).toBe(30);
    const coordinator = group[0]!.coordinatorId!;

    const scaled = [...group, ...consumers(cluster, 1, { rebalanceTimeoutMs: 20_000, sessionTimeoutMs: 10_000 }, 4)];
    expect(await runUntil(cluster, () => cluster.events().some((e) => e.type === 'group-rebalance-started' && e.node === coordinator && e.timeMs > 0 && (e.data as { from?: string }).from === 'Stable'), 10_000)).toBe(true);
    cluster.faults.crashNode(coordinator);

    expect(await runUntil(cluster, () => balanced(scaled) && scaled.every((c) => c.coordinatorId !== null && c.coordinatorId !== coordinator), 120_000)).toBe(true);
    expect(cluster.events().some((e) => e.type === 'coordinator-loaded' && e.topic === '__consumer_offsets' && e.node !== coordinator)).toBe(true);
    // Offsets committed before the crash were replayed from __consumer_offsets by the new coordinator.
    const offsets = await settle(cluster, cluster.admin.listConsumerGroupOffsets('payments'));
    expect(offsets.map((o) => o.committedOffset)).toEqual([5, 5, 5, 5, 5, 5]);
    await produce(cluster, 6);
    expect(await consumeFor(cluster, scaled, 1_000)).toBe(6);
  });

  it('resets offsets of an inactive group, refuses while members are active, and deletes it', async () => {
    const cluster = await startCluster(5);
    await produce(cluster, 12);
    const group = consumers(cluster, 2);
    await runUntil(cluster, () => balanced(group), 60_000);
    expect(await consumeFor(cluster, group, 1_000)).toBe(12);
    const refused = await settle(cluster, cluster.admin.alterConsumerGroupOffsets('payments', [{ topic: 'orders', partition: 0, offset: 0 }]));
    expect(refused[0]!.error?.errorName).toBe('UNKNOWN_MEMBER_ID');
    expect((await settle(cluster, cluster.admin.deleteGroups(['payments'])))[0]!.error?.errorName).toBe('NON_EMPTY_GROUP');
    await settle(cluster, Promise.all(group.map((c) => c.close())));
    const reset = await settle(cluster, cluster.admin.alterConsumerGroupOffsets('payments', [{ topic: 'orders', partition: 0, offset: 0 }]));
    expect(reset[0]!.error).toBeNull();
    const offsets = await settle(cluster, cluster.admin.listConsumerGroupOffsets('payments'));
    expect(offsets.find((o) => o.partition === 0)).toMatchObject({ committedOffset: 0, lag: 2 });
    expect((await settle(cluster, cluster.admin.deleteGroups(['payments'])))[0]!.error).toBeNull();
    expect(await settle(cluster, cluster.admin.listGroups())).toEqual([]);
  });

  it('poll waits its timeout in virtual time while the coordinator is unavailable, and says why (regression: a polling loop spun forever)', async () => {
    const cluster = await startCluster(4);
    // offsets.topic.replication.factor is 3: with one broker running, __consumer_offsets cannot be created.
    cluster.faults.stopNode(2);
    cluster.faults.stopNode(3);
    await runUntil(cluster, () => cluster.snapshot().brokers.filter((b) => b.state === 'running').length === 1, 30_000);
    const [consumer] = consumers(cluster, 1);
    for (let i = 0; i < 5; i++) {
      const before = cluster.nowMs();
      expect(await settle(cluster, consumer!.poll(500))).toEqual([]);
      expect(cluster.nowMs() - before).toBeGreaterThanOrEqual(500);
    }
    expect(consumer!.assignment()).toEqual([]);
    expect(consumer!.coordinatorError).toBe('COORDINATOR_NOT_AVAILABLE');

    cluster.faults.startNode(2);
    cluster.faults.startNode(3);
    expect(await runUntil(cluster, () => consumer!.state === 'STABLE' && consumer!.assignment().length === 6, 60_000)).toBe(true);
    expect(consumer!.coordinatorError).toBeNull();
  });
});
