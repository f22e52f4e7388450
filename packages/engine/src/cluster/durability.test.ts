/**
 * The durability lessons of module 6, as scenarios: what acks=1, acks=all with
 * min.insync.replicas and unclean leader election promise, shown by crashing leaders.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { runUntil, settle } from './settle';

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

async function setup(seed: number, configs: Record<string, string> = {}, rf = 3) {
  const cluster = new Cluster({ seed, config: { 'replica.lag.time.max.ms': '10000' } });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  await settle(cluster, cluster.admin.createTopics([{ name: 'pay', numPartitions: 1, replicationFactor: rf, configs }]));
  const p = cluster.snapshot().topics[0]!.partitions[0]!;
  return { cluster, leader: p.leader, followers: p.replicas.filter((r) => r !== p.leader) };
}

async function values(cluster: Cluster): Promise<(string | null)[]> {
  const fetched = await settle(cluster, cluster.client.fetch({ topic: 'pay', partition: 0, fetchOffset: 0, maxWaitMs: 0 }));
  return fetched.records.map((r) => text(r.value));
}

const leaderOf = (cluster: Cluster) => cluster.snapshot().topics[0]!.partitions[0]!.leader;

describe('acks and leader crashes', () => {
  it('acks=1 loses an acknowledged record when the leader crashes before the followers fetch it', async () => {
    const { cluster, leader } = await setup(21);
    await settle(cluster, cluster.client.produce({ topic: 'pay', partition: 0, acks: 'all', records: [{ value: 'safe' }] }));
    const acked = await settle(cluster, cluster.broker(leader).produce({ topic: 'pay', partition: 0, acks: 1, records: [{ value: 'lost' }] }));
    expect(acked.error).toBeNull();
    expect(acked.baseOffset).toBe(1);
    // Same virtual instant: the followers have not fetched offset 1 yet.
    cluster.faults.crashNode(leader);
    await runUntil(cluster, () => ![-1, leader].includes(leaderOf(cluster)), 20_000);
    expect(await values(cluster)).toEqual(['safe']);
    // The old leader comes back, truncates its diverging suffix and follows.
    cluster.faults.startNode(leader);
    await runUntil(cluster, () => cluster.snapshot().topics[0]!.partitions[0]!.isr.length === 3, 40_000);
    const replica = cluster.snapshot().topics[0]!.partitions[0]!.replicaStates.find((r) => r.brokerId === leader)!;
    expect(replica.logEndOffset).toBe(1);
  });

  it('acks=all with min.insync.replicas=2 keeps every acknowledged record through a leader crash', async () => {
    const { cluster, leader } = await setup(22, { 'min.insync.replicas': '2' });
    const acked = await settle(cluster, cluster.broker(leader).produce({ topic: 'pay', partition: 0, acks: 'all', records: [{ value: 'a' }, { value: 'b' }] }));
    expect(acked.error).toBeNull();
    cluster.faults.crashNode(leader);
    await runUntil(cluster, () => ![-1, leader].includes(leaderOf(cluster)), 20_000);
    expect(await values(cluster)).toEqual(['a', 'b']);
  });
});

describe('unclean leader election', () => {
  async function leaderAloneInIsr(seed: number) {
    const ctx = await setup(seed, {}, 2);
    const { cluster, leader, followers } = ctx;
    const follower = followers[0]!;
    await settle(cluster, cluster.client.produce({ topic: 'pay', partition: 0, records: [{ value: 'v0' }] }));
    // Cut the follower off from the leader only: it keeps heartbeating and stays unfenced,
    // but falls out of the ISR after replica.lag.time.max.ms.
    cluster.faults.partition([follower], [leader]);
    await runUntil(cluster, () => cluster.snapshot().topics[0]!.partitions[0]!.isr.length === 1, 30_000);
    const committed = await settle(cluster, cluster.broker(leader).produce({ topic: 'pay', partition: 0, acks: 'all', records: [{ value: 'v1' }] }));
    expect(committed.error).toBeNull();
    cluster.faults.crashNode(leader);
    cluster.faults.heal();
    return { ...ctx, follower };
  }

  it('with unclean.leader.election.enable=false the partition stays offline rather than lose committed data', async () => {
    const { cluster, leader } = await leaderAloneInIsr(31);
    await runUntil(cluster, () => cluster.snapshot().brokers.find((b) => b.id === leader)!.state === 'crashed' && leaderOf(cluster) === -1, 20_000);
    cluster.advanceBy(5_000);
    const p = cluster.snapshot().topics[0]!.partitions[0]!;
    expect(p.leader).toBe(-1);
    expect(p.isr).toEqual([leader]);
    const [result] = await settle(cluster, cluster.admin.electLeaders('preferred', [{ topic: 'pay', partition: 0 }]));
    expect(result!.error).not.toBeNull();
  });

  it('an unclean election brings the partition back and loses the committed record', async () => {
    const { cluster, leader, follower } = await leaderAloneInIsr(32);
    await runUntil(cluster, () => leaderOf(cluster) === -1, 20_000);
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'topic', name: 'pay' }, [{ name: 'unclean.leader.election.enable', value: 'true' }]));
    await runUntil(cluster, () => leaderOf(cluster) === follower, 10_000);
    expect(cluster.events().some((e) => e.type === 'leader-elected' && e.message.includes('UNCLEAN'))).toBe(true);
    expect(await values(cluster)).toEqual(['v0']);
    void leader;
  });
});

describe('network partitions', () => {
  it('a leader cut off from the controllers is fenced and a new leader is elected', async () => {
    const { cluster, leader } = await setup(41);
    cluster.faults.partition([leader], cluster.snapshot().controllers.map((c) => c.id));
    await runUntil(cluster, () => ![-1, leader].includes(leaderOf(cluster)), 20_000);
    const p = cluster.snapshot().topics[0]!.partitions[0]!;
    expect(p.isr).not.toContain(leader);
    expect(p.leaderEpoch).toBe(1);
    // Once the followers have applied the change, the old leader never learns of it;
    // acks=all to it cannot commit.
    cluster.advanceBy(500);
    const stale = await settle(cluster, cluster.broker(leader).produce({ topic: 'pay', partition: 0, acks: 'all', timeoutMs: 2_000, records: [{ value: 'zombie' }] }));
    expect(['REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'NOT_LEADER_OR_FOLLOWER']).toContain(stale.error?.errorName);
    const ok = await settle(cluster, cluster.client.produce({ topic: 'pay', partition: 0, acks: 'all', records: [{ value: 'fresh' }] }));
    expect(ok.error).toBeNull();
    expect(await values(cluster)).toEqual(['fresh']);
  });
});
