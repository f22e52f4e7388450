import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { runUntil, settle } from './settle';

const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : new TextDecoder().decode(bytes));

async function ready(seed = 11, config: Record<string, string> = {}) {
  const cluster = new Cluster({ seed, config });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  return cluster;
}

describe('produce and fetch', () => {
  it('acks=all returns once every ISR member has the batch, and consumers read up to the HW', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 1, replicationFactor: 3 }]));
    const produced = await settle(cluster, cluster.client.produce({ topic: 'orders', partition: 0, acks: 'all', records: [{ key: 'k1', value: 'v1' }, { key: 'k2', value: 'v2' }] }));
    expect(produced.error).toBeNull();
    expect(produced.baseOffset).toBe(0);
    const p = cluster.snapshot().topics[0]!.partitions[0]!;
    expect(p.highWatermark).toBe(2);
    for (const r of p.replicaStates) expect(r.logEndOffset).toBe(2);
    const fetched = await settle(cluster, cluster.client.fetch({ topic: 'orders', partition: 0, fetchOffset: 0 }));
    expect(fetched.records.map((r) => [r.offset, text(r.key), text(r.value)])).toEqual([
      [0, 'k1', 'v1'],
      [1, 'k2', 'v2'],
    ]);
    expect(fetched.highWatermark).toBe(2);
  });

  it('answers NOT_LEADER_OR_FOLLOWER from a follower, like Kafka', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 't', numPartitions: 1, replicationFactor: 3 }]));
    const p = cluster.snapshot().topics[0]!.partitions[0]!;
    const follower = p.replicas.find((r) => r !== p.leader)!;
    const response = await settle(cluster, cluster.broker(follower).produce({ topic: 't', partition: 0, records: [{ value: 'x' }] }));
    expect(response.error?.errorName).toBe('NOT_LEADER_OR_FOLLOWER');
  });

  it('a consumer fetch long-polls until data arrives', async () => {
    const cluster = await ready();
    await settle(cluster, cluster.admin.createTopics([{ name: 't', numPartitions: 1, replicationFactor: 3 }]));
    const start = cluster.nowMs();
    const pending = cluster.client.fetch({ topic: 't', partition: 0, fetchOffset: 0, maxWaitMs: 5_000 });
    cluster.advanceBy(100);
    void cluster.client.produce({ topic: 't', partition: 0, records: [{ value: 'late' }] });
    const fetched = await settle(cluster, pending);
    expect(fetched.records.map((r) => text(r.value))).toEqual(['late']);
    expect(cluster.nowMs() - start).toBeLessThan(1_000);
  });

  it('acks=all with min.insync.replicas=2 fails with NOT_ENOUGH_REPLICAS when the ISR is too small', async () => {
    const cluster = await ready(5, { 'replica.lag.time.max.ms': '10000' });
    await settle(cluster, cluster.admin.createTopics([{ name: 't', numPartitions: 1, replicationFactor: 2, configs: { 'min.insync.replicas': '2' } }]));
    const p = cluster.snapshot().topics[0]!.partitions[0]!;
    const follower = p.replicas.find((r) => r !== p.leader)!;
    cluster.faults.crashNode(follower);
    // Wait until the leader itself has applied the ISR change from the metadata log.
    await runUntil(cluster, () => cluster.brokerNode(p.leader)!.replicaManager.get('t', 0)!.isr.length === 1, 20_000);
    const response = await settle(cluster, cluster.broker(p.leader).produce({ topic: 't', partition: 0, acks: 'all', records: [{ value: 'x' }] }));
    expect(response.error?.errorName).toBe('NOT_ENOUGH_REPLICAS');
    const acks1 = await settle(cluster, cluster.broker(p.leader).produce({ topic: 't', partition: 0, acks: 1, records: [{ value: 'y' }] }));
    expect(acks1.error).toBeNull();
  });
});
