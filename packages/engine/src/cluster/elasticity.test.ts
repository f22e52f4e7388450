/**
 * Cluster elasticity (module 10) as scenarios: a new broker starts empty; a reassignment
 * (KIP-455) expands, catches up, completes and removes; replication quotas (KIP-73) bound
 * the catch-up rate; a reassignment can be cancelled; a broker is decommissioned without a
 * single under-replicated moment; CreatePartitions (KIP-195) remaps keys as murmur2
 * predicts; tiered storage (KIP-405) shrinks what a new replica copies.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { runUntil, settle } from './settle';
import { murmur2, partitionForKey } from './partitioner';
import type { PartitionSnapshot } from './api';

const enc = (s: string) => new TextEncoder().encode(s);

async function ready(options: ConstructorParameters<typeof Cluster>[0] = {}) {
  const cluster = new Cluster({ seed: 7, ...options });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  return cluster;
}

const part = (cluster: Cluster, topic: string, p: number): PartitionSnapshot => cluster.snapshot().topics.find((t) => t.name === topic)!.partitions[p]!;

/** Produces `count` records of `size` bytes in batches of 10 with acks=all. */
async function fill(cluster: Cluster, topic: string, partition: number, count: number, size = 200) {
  for (let i = 0; i < count; i += 10) {
    const records = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ key: `k${i + j}`, value: 'x'.repeat(size) }));
    const r = await settle(cluster, cluster.client.produce({ topic, partition, acks: 'all', records }));
    expect(r.error).toBeNull();
  }
}

async function addFourth(cluster: Cluster, rack?: string) {
  return settle(cluster, cluster.admin.addBroker(rack === undefined ? {} : { rack }));
}

describe('adding a broker', () => {
  it('registers and is unfenced, but holds no replica until partitions move (KIP-631)', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 6, replicationFactor: 3 }]));
    const id = await addFourth(cluster);
    expect(id).toBe(4);
    const snap = cluster.snapshot();
    expect(snap.brokers.find((b) => b.id === 4)?.state).toBe('running');
    expect(snap.topics[0]!.partitions.every((p) => !p.replicas.includes(4))).toBe(true);
    expect(cluster.events().some((e) => e.type === 'broker-registered' && e.data?.brokerId === 4)).toBe(true);
    // Topics created from now on may use it.
    await settle(cluster, cluster.admin.createTopics([{ name: 'later', numPartitions: 4, replicationFactor: 3 }]));
    expect(cluster.snapshot().topics.find((t) => t.name === 'later')!.partitions.some((p) => p.replicas.includes(4))).toBe(true);
  });
});

describe('partition reassignment (KIP-455)', () => {
  it('expands to the union, catches up, completes, moves leadership and deletes the old replica', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 'orders', replicaAssignment: [[1, 2, 3]], configs: { 'min.insync.replicas': '2' } }]));
    await fill(cluster, 'orders', 0, 200);
    await addFourth(cluster);
    // Throttle the copy so that the in-flight state can be observed.
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'broker', name: '4' }, [{ name: 'follower.replication.throttled.rate', value: '20000' }]));
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'topic', name: 'orders' }, [{ name: 'follower.replication.throttled.replicas', value: '0:4' }]));
    const [result] = await settle(cluster, cluster.admin.alterPartitionReassignments([{ topic: 'orders', partition: 0, replicas: [2, 3, 4] }]));
    expect(result!.error).toBeNull();
    const moving = part(cluster, 'orders', 0);
    expect(moving.replicas).toEqual([2, 3, 4, 1]);
    expect(moving.addingReplicas).toEqual([4]);
    expect(moving.removingReplicas).toEqual([1]);
    expect(moving.leader).toBe(1);
    expect(moving.isr).not.toContain(4);
    const listed = await settle(cluster, cluster.admin.listPartitionReassignments());
    expect(listed).toEqual([{ topic: 'orders', partition: 0, replicas: [2, 3, 4, 1], addingReplicas: [4], removingReplicas: [1] }]);
    // The ISR never drops below min.insync.replicas on the way.
    let smallestIsr = Infinity;
    const done = await runUntil(cluster, () => {
      const p = part(cluster, 'orders', 0);
      smallestIsr = Math.min(smallestIsr, p.isr.length);
      return p.addingReplicas.length === 0 && p.removingReplicas.length === 0;
    }, 120_000);
    expect(done).toBe(true);
    expect(smallestIsr).toBeGreaterThanOrEqual(3);
    const after = part(cluster, 'orders', 0);
    expect(after.replicas).toEqual([2, 3, 4]);
    expect([...after.isr].sort()).toEqual([2, 3, 4]);
    expect(after.leader).toBe(2);
    expect(after.leaderEpoch).toBeGreaterThan(moving.leaderEpoch);
    await runUntil(cluster, () => cluster.brokerNode(1)!.replicaManager.get('orders', 0) === undefined, 5_000);
    expect(cluster.events().some((e) => e.type === 'replica-deleted' && e.node === 1)).toBe(true);
    expect(cluster.events().some((e) => e.type === 'reassignment-completed')).toBe(true);
    // Every acknowledged record survived, and broker 4 holds them all.
    const fetched = await settle(cluster, cluster.client.fetch({ topic: 'orders', partition: 0, fetchOffset: 0, maxBytes: 10_000_000, maxWaitMs: 0 }));
    expect(fetched.highWatermark).toBe(200);
    expect(after.replicaStates.find((r) => r.brokerId === 4)!.logEndOffset).toBe(200);
    const progress = cluster.snapshot().reassignments!.find((r) => r.topic === 'orders')!;
    expect(progress.state).toBe('completed');
    expect(progress.bytesMoved).toBeGreaterThan(200 * 200);
    expect(progress.bytesToMove).toBe(progress.bytesMoved);
  });

  it('under load keeps every acknowledged record and never drops the ISR below min.insync.replicas', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 'orders', replicaAssignment: [[1, 2, 3]], configs: { 'min.insync.replicas': '2' } }]));
    await fill(cluster, 'orders', 0, 100);
    await addFourth(cluster);
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'broker', name: '4' }, [{ name: 'follower.replication.throttled.rate', value: '50000' }]));
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'topic', name: 'orders' }, [{ name: 'follower.replication.throttled.replicas', value: '*' }]));
    await settle(cluster, cluster.admin.alterPartitionReassignments([{ topic: 'orders', partition: 0, replicas: [4, 3, 2] }]));
    // A producer keeps writing (acks=all) while the new replica copies and leadership moves.
    const acked: string[] = [];
    let smallestIsr = Infinity;
    const unsubscribe = cluster.onEvent(() => {
      smallestIsr = Math.min(smallestIsr, part(cluster, 'orders', 0).isr.length);
    });
    for (let i = 0; part(cluster, 'orders', 0).addingReplicas.length > 0 || i < 5; i++) {
      const r = await settle(cluster, cluster.client.produce({ topic: 'orders', partition: 0, acks: 'all', records: [{ value: `live-${i}` }] }));
      if (r.error === null) acked.push(`live-${i}`);
      await runUntil(cluster, () => false, 100);
      expect(i).toBeLessThan(500);
    }
    unsubscribe();
    expect(smallestIsr).toBeGreaterThanOrEqual(2);
    const p = part(cluster, 'orders', 0);
    expect(p.replicas).toEqual([4, 3, 2]);
    expect(p.leader).not.toBe(1);
    const all = await settle(cluster, cluster.client.fetch({ topic: 'orders', partition: 0, fetchOffset: 0, maxBytes: 10_000_000, maxWaitMs: 0 }));
    const values = all.records.map((r) => new TextDecoder().decode(r.value!));
    for (const v of acked) expect(values).toContain(v);
    expect(values.filter((v) => v.startsWith('live-'))).toHaveLength(acked.length);
  });

  it('a reorder completes at once and only changes the preferred leader', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 't', replicaAssignment: [[1, 2, 3]] }]));
    const [r] = await settle(cluster, cluster.admin.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [3, 1, 2] }]));
    expect(r!.error).toBeNull();
    const p = part(cluster, 't', 0);
    expect(p.replicas).toEqual([3, 1, 2]);
    expect(p.addingReplicas).toEqual([]);
    expect(p.leader).toBe(1);
  });

  it('rejects unknown brokers and duplicate replicas with Kafka errors', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 't', replicaAssignment: [[1, 2, 3]] }]));
    const results = await settle(cluster, cluster.admin.alterPartitionReassignments([
      { topic: 't', partition: 0, replicas: [1, 2, 9] },
      { topic: 't', partition: 0, replicas: [1, 1, 2] },
      { topic: 'nope', partition: 0, replicas: [1] },
    ]));
    expect(results.map((r) => r.error?.errorName)).toEqual(['INVALID_REPLICA_ASSIGNMENT', 'INVALID_REPLICA_ASSIGNMENT', 'UNKNOWN_TOPIC_OR_PARTITION']);
  });

  it('can be cancelled: replicas revert and the partial copy is deleted', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 't', replicaAssignment: [[1, 2, 3]] }]));
    await fill(cluster, 't', 0, 200);
    await addFourth(cluster);
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'broker', name: '1' }, [{ name: 'leader.replication.throttled.rate', value: '1000' }]));
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'topic', name: 't' }, [{ name: 'leader.replication.throttled.replicas', value: '*' }]));
    await settle(cluster, cluster.admin.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [4, 2, 3] }]));
    cluster.advanceBy(3_000);
    const partial = part(cluster, 't', 0).replicaStates.find((r) => r.brokerId === 4)!;
    expect(partial.logEndOffset).toBeGreaterThan(0);
    expect(partial.logEndOffset).toBeLessThan(200);
    const [cancelled] = await settle(cluster, cluster.admin.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: null }]));
    expect(cancelled!.error).toBeNull();
    const p = part(cluster, 't', 0);
    // As in Kafka's PartitionReassignmentRevert: the adding replica goes, the current order stays.
    expect(p.replicas).toEqual([2, 3, 1]);
    expect(p.addingReplicas).toEqual([]);
    expect(p.removingReplicas).toEqual([]);
    expect(p.leader).toBe(1);
    await runUntil(cluster, () => cluster.brokerNode(4)!.replicaManager.get('t', 0) === undefined, 5_000);
    expect(cluster.brokerNode(4)!.replicaManager.get('t', 0)).toBeUndefined();
    expect(await settle(cluster, cluster.admin.listPartitionReassignments())).toEqual([]);
    const [again] = await settle(cluster, cluster.admin.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: null }]));
    expect(again!.error?.errorName).toBe('NO_REASSIGNMENT_IN_PROGRESS');
    expect(cluster.snapshot().reassignments!.at(-1)!.state).toBe('cancelled');
  });
});

describe('replication throttles (KIP-73)', () => {
  it('bound the bytes a new replica copies per second of virtual time, and only outside the ISR', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 't', replicaAssignment: [[1, 2, 3]] }]));
    await fill(cluster, 't', 0, 400);
    await addFourth(cluster);
    const rate = 20_000;
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'broker', name: '4' }, [{ name: 'follower.replication.throttled.rate', value: String(rate) }]));
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'topic', name: 't' }, [{ name: 'follower.replication.throttled.replicas', value: '0:4' }]));
    await settle(cluster, cluster.admin.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [1, 2, 3, 4] }]));
    const start = cluster.nowMs();
    const windowMs = 3_000;
    cluster.advanceBy(windowMs);
    const moved = cluster.snapshot().reassignments!.at(-1)!.bytesMoved;
    const batchBytes = 10 * 220 + 61;
    // At most one second of burst plus the window's rate, plus one batch of overshoot.
    expect(moved).toBeLessThanOrEqual(rate + (rate * (cluster.nowMs() - start)) / 1000 + batchBytes);
    expect(moved).toBeGreaterThan((rate * windowMs) / 1000 / 2);
    // The in-sync followers 2 and 3 are never throttled: new writes still commit at once.
    const t0 = cluster.nowMs();
    const r = await settle(cluster, cluster.client.produce({ topic: 't', partition: 0, acks: 'all', records: [{ value: 'fresh' }] }));
    expect(r.error).toBeNull();
    expect(cluster.nowMs() - t0).toBeLessThan(100);
    // Lifting the throttle lets the copy finish quickly.
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'broker', name: '4' }, [{ name: 'follower.replication.throttled.rate', value: null }]));
    expect(await runUntil(cluster, () => part(cluster, 't', 0).addingReplicas.length === 0, 5_000)).toBe(true);
  });
});

describe('decommissioning a broker', () => {
  it('drains it first, so no partition is ever under-replicated, then unregisters it', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([
      { name: 'orders', numPartitions: 6, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      { name: 'carts', numPartitions: 3, replicationFactor: 3 },
    ]));
    for (let p = 0; p < 6; p++) await fill(cluster, 'orders', p, 20);
    await addFourth(cluster);
    let underReplicated = 0;
    const check = () => {
      for (const t of cluster.snapshot().topics) for (const p of t.partitions) if (p.isr.length < 3 || p.leader === -1) underReplicated++;
    };
    const unsubscribe = cluster.onEvent(check);
    const result = await settle(cluster, cluster.admin.removeBroker(1, { throttleBytesPerSec: 1_000_000 }), 300_000);
    unsubscribe();
    expect(underReplicated).toBe(0);
    expect(result.moves).toHaveLength(9);
    expect(result.bytesMoved).toBeGreaterThan(0);
    const snap = cluster.snapshot();
    expect(snap.brokers.map((b) => b.id)).toEqual([2, 3, 4]);
    for (const t of snap.topics) {
      for (const p of t.partitions) {
        expect(p.replicas).not.toContain(1);
        expect(p.replicas).toHaveLength(3);
        expect([...p.isr].sort()).toEqual([...p.replicas].sort());
      }
    }
    // --verify's job: no throttle is left behind.
    expect(snap.topics.every((t) => t.configs['follower.replication.throttled.replicas'] === undefined)).toBe(true);
    const rate = await settle(cluster, cluster.admin.describeConfigs({ type: 'broker', name: '2' }));
    expect(rate.find((c) => c.name === 'leader.replication.throttled.rate')!.source).toBe('DEFAULT_CONFIG');
    expect(cluster.events().some((e) => e.type === 'broker-unregistered' && e.data?.replicasHeld === 0)).toBe(true);
  });

  it('refuses when the other brokers cannot hold the replicas', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 't', numPartitions: 1, replicationFactor: 3 }]));
    await expect(settle(cluster, cluster.admin.removeBroker(1))).rejects.toMatchObject({ errorName: 'INVALID_REPLICATION_FACTOR' });
  });
});

describe('CreatePartitions (KIP-195) and key placement', () => {
  it('murmur2 matches Kafka Utils.murmur2 test vectors', () => {
    expect(murmur2(enc('21'))).toBe(-973932308);
    expect(murmur2(enc('foobar'))).toBe(-790332482);
    expect(murmur2(enc('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(enc('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(enc('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(enc('abc'))).toBe(479470107);
  });

  it('adds empty partitions, and keyed records then land where murmur2 mod the new count says', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 'carts', numPartitions: 3, replicationFactor: 3 }]));
    const keys = ['alice', 'bob', 'carol', 'dave'];
    const before = keys.map((k) => partitionForKey(k, 3));
    expect(before).toEqual([0, 0, 2, 1]);
    for (const [i, key] of keys.entries()) await settle(cluster, cluster.client.produce({ topic: 'carts', partition: before[i]!, records: [{ key, value: 'old' }] }));
    const [grown] = await settle(cluster, cluster.admin.createPartitions([{ topic: 'carts', totalCount: 4 }]));
    expect(grown!.error).toBeNull();
    const p3 = part(cluster, 'carts', 3);
    expect(p3.replicas).toHaveLength(3);
    expect(p3.logEndOffset).toBe(0);
    const after = keys.map((k) => partitionForKey(k, 4));
    expect(after).toEqual([1, 2, 2, 2]);
    expect(keys.filter((_, i) => before[i] === after[i])).toEqual(['carol']);
    const [shrink] = await settle(cluster, cluster.admin.createPartitions([{ topic: 'carts', totalCount: 2 }]));
    expect(shrink!.error?.errorName).toBe('INVALID_PARTITIONS');
    const [bad] = await settle(cluster, cluster.admin.createPartitions([{ topic: 'carts', totalCount: 5, assignments: [[1, 2]] }]));
    expect(bad!.error?.errorName).toBe('INVALID_REPLICA_ASSIGNMENT');
    expect(cluster.events().some((e) => e.type === 'partitions-created' && e.topic === 'carts')).toBe(true);
  });
});

describe('tiered storage shrinks what a reassignment moves (KIP-405)', () => {
  async function moveWith(tiered: boolean): Promise<number> {
    const cluster = await ready({ config: { 'remote.log.manager.task.interval.ms': '1000' } });
    const configs: Record<string, string> = { 'segment.bytes': '4096' };
    if (tiered) Object.assign(configs, { 'remote.storage.enable': 'true', 'local.retention.bytes': '4096' });
    await settle(cluster, cluster.admin.createTopics([{ name: 'logs', replicaAssignment: [[1, 2, 3]], configs }]));
    await fill(cluster, 'logs', 0, 300);
    cluster.advanceBy(3_000);
    await addFourth(cluster);
    await settle(cluster, cluster.admin.alterPartitionReassignments([{ topic: 'logs', partition: 0, replicas: [1, 2, 4] }]));
    expect(await runUntil(cluster, () => part(cluster, 'logs', 0).addingReplicas.length === 0, 30_000)).toBe(true);
    // The new replica serves the full offset range either way: old data comes from the remote tier.
    const fromStart = await settle(cluster, cluster.client.fetch({ topic: 'logs', partition: 0, fetchOffset: 0, maxWaitMs: 0 }));
    expect(fromStart.records[0]?.offset).toBe(0);
    return cluster.reassignments.bytesMoved('logs', 0);
  }

  it('a new replica copies only the local segments when the topic is tiered', async () => {
    const untiered = await moveWith(false);
    const tiered = await moveWith(true);
    expect(untiered).toBeGreaterThan(300 * 200);
    expect(tiered).toBeGreaterThan(0);
    expect(tiered).toBeLessThan(untiered / 4);
  });
});
