/**
 * One cluster across sites (module 11): fetching from the closest replica (KIP-392) and a
 * stretched cluster whose acks=all produce time includes the inter-region link.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { runUntil, settle } from './settle';
import { regionOfRack } from './regions';

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

async function ready(options: ConstructorParameters<typeof Cluster>[0]) {
  const cluster = new Cluster({ seed: 3, ...options });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  return cluster;
}

const RACKS = ['east', 'east', 'east', 'west', 'west', 'west'];

describe('follower fetching (KIP-392)', () => {
  async function setup(selector: string | null) {
    const config: Record<string, string> = selector === null ? {} : { 'replica.selector.class': selector };
    const cluster = await ready({ brokers: 6, racks: RACKS, config });
    // Leader 1 in east, one follower in east, one in west.
    await settle(cluster, cluster.admin.createTopics([{ name: 'orders', replicaAssignment: [[1, 2, 4]] }]));
    await settle(cluster, cluster.client.produce({ topic: 'orders', partition: 0, acks: 'all', records: [{ value: 'a' }, { value: 'b' }] }));
    // Let the followers learn the high watermark.
    cluster.advanceBy(1_000);
    return cluster;
  }

  it('a consumer in rack west is sent to the west replica and reads from it', async () => {
    const cluster = await setup('org.apache.kafka.common.replica.RackAwareReplicaSelector');
    const leaderAnswer = await settle(cluster, cluster.broker(1).fetch({ topic: 'orders', partition: 0, fetchOffset: 0, clientRack: 'west', maxWaitMs: 0 }));
    expect(leaderAnswer.preferredReadReplica).toBe(4);
    expect(leaderAnswer.records).toEqual([]);
    const fetched = await settle(cluster, cluster.client.fetch({ topic: 'orders', partition: 0, fetchOffset: 0, clientRack: 'west', maxWaitMs: 0 }));
    expect(fetched.brokerId).toBe(4);
    expect(fetched.records.map((r) => text(r.value))).toEqual(['a', 'b']);
    expect(cluster.events().some((e) => e.type === 'preferred-read-replica' && e.data?.preferredReadReplica === 4)).toBe(true);
    // The next fetch goes straight to the follower (the client remembers the preferred replica).
    const again = await settle(cluster, cluster.client.fetch({ topic: 'orders', partition: 0, fetchOffset: 2, clientRack: 'west', maxWaitMs: 0 }));
    expect(again.brokerId).toBe(4);
    // A consumer in the leader's rack keeps reading from the leader.
    const east = await settle(cluster, cluster.client.fetch({ topic: 'orders', partition: 0, fetchOffset: 0, clientRack: 'east', maxWaitMs: 0 }));
    expect(east.brokerId).toBe(1);
  });

  it('without replica.selector.class the leader serves every consumer', async () => {
    const cluster = await setup(null);
    const fetched = await settle(cluster, cluster.client.fetch({ topic: 'orders', partition: 0, fetchOffset: 0, clientRack: 'west', maxWaitMs: 0 }));
    expect(fetched.brokerId).toBe(1);
    expect(fetched.preferredReadReplica).toBeUndefined();
  });

  it('a follower serves a consumer only up to its own high watermark', async () => {
    const cluster = await setup('RackAwareReplicaSelector');
    // Broker 4 stops fetching; new records reach the leader and broker 2 only.
    cluster.faults.partition([4], [1]);
    await settle(cluster, cluster.broker(1).produce({ topic: 'orders', partition: 0, acks: 1, records: [{ value: 'c' }] }));
    cluster.advanceBy(600);
    const follower = await settle(cluster, cluster.broker(4).fetch({ topic: 'orders', partition: 0, fetchOffset: 0, clientRack: 'west', maxWaitMs: 0 }));
    expect(follower.records.map((r) => text(r.value))).toEqual(['a', 'b']);
    expect(follower.highWatermark).toBe(2);
  });
});

describe('stretched cluster', () => {
  it('region names come from racks: us-east-a is in us-east', () => {
    expect(regionOfRack('us-east-a')).toBe('us-east');
    expect(regionOfRack('eu-west-2')).toBe('eu-west');
    expect(regionOfRack('east')).toBe('east');
    expect(regionOfRack(null)).toBeNull();
  });

  it('acks=all produce time includes the inter-region round trip when the ISR spans regions', async () => {
    const latencyMs = 40;
    const cluster = await ready({ brokers: 4, racks: ['us-east-a', 'us-east-b', 'us-east-c', 'eu-west-a'], interRegionLatencyMs: latencyMs });
    await settle(cluster, cluster.admin.createTopics([
      { name: 'local', replicaAssignment: [[1, 2, 3]] },
      { name: 'stretched', replicaAssignment: [[1, 2, 4]] },
    ]));
    await runUntil(cluster, () => cluster.snapshot().topics.every((t) => t.partitions[0]!.isr.length === 3), 10_000);
    cluster.advanceBy(1_000);
    const timed = async (topic: string): Promise<number> => {
      const start = cluster.nowMs();
      const r = await settle(cluster, cluster.broker(1).produce({ topic, partition: 0, acks: 'all', records: [{ value: 'x' }] }));
      expect(r.error).toBeNull();
      return cluster.nowMs() - start;
    };
    const local = await timed('local');
    const stretched = await timed('stretched');
    expect(local).toBeLessThan(10);
    // The leader's answer to the waiting follower fetch crosses the link, and so does the
    // follower's next fetch that reports the new offset: two one-way trips.
    expect(stretched).toBeGreaterThanOrEqual(2 * latencyMs);
    expect(stretched).toBeLessThan(2 * latencyMs + 10);
    // Removing the latency brings the stretched write back to local speed.
    cluster.faults.setInterRegionLatency(0);
    cluster.advanceBy(1_000);
    expect(await timed('stretched')).toBeLessThan(10);
  });
});
