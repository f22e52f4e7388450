/**
 * `produce-completed`: the broker traces changes of produce outcome per replica and acks
 * level, so a refused acks=all write (NOT_ENOUGH_REPLICAS, before the append) and the first
 * success after it are in the trace, while a stream of equal outcomes adds nothing.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster';
import { runUntil, settle } from '../cluster/settle';

async function setup() {
  const cluster = new Cluster({ seed: 41, config: { 'replica.lag.time.max.ms': '10000' } });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  await settle(cluster, cluster.admin.createTopics([{ name: 'payments', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]));
  const p = cluster.snapshot().topics[0]!.partitions[0]!;
  return { cluster, leader: p.leader, followers: p.replicas.filter((r) => r !== p.leader) };
}

const outcomes = (cluster: Cluster) => cluster.events().filter((e) => e.type === 'produce-completed');
/** The ISR as the leader's replica knows it (what its produce check reads). */
const isr = (cluster: Cluster, leader: number) => cluster.brokerNode(leader)?.replicaManager.get('payments', 0)?.isr ?? [];

describe('produce-completed trace events', () => {
  it('traces the first refusal, not its repeats, and the first success after it with the count', async () => {
    const { cluster, leader, followers } = await setup();
    const produce = (acks: 1 | 'all', value: string) => settle(cluster, cluster.broker(leader).produce({ topic: 'payments', partition: 0, acks, records: [{ value }] }));
    for (let i = 0; i < 10; i++) expect((await produce('all', `ok-${i}`)).error).toBeNull();
    expect(outcomes(cluster)).toEqual([]);

    for (const f of followers) cluster.faults.stopNode(f);
    const stopped = () => cluster.snapshot().brokers.filter((b) => followers.includes(b.id)).every((b) => b.state === 'stopped');
    expect(await runUntil(cluster, () => stopped() && isr(cluster, leader).length === 1, 30_000)).toBe(true);
    for (let i = 0; i < 5; i++) expect((await produce('all', `refused-${i}`)).error?.errorName).toBe('NOT_ENOUGH_REPLICAS');
    // acks=1 needs only the leader: its own run of successes, nothing to trace.
    for (let i = 0; i < 3; i++) expect((await produce(1, `one-${i}`)).error).toBeNull();
    const refused = outcomes(cluster);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ node: leader, topic: 'payments', partition: 0, data: { acks: -1, error: 'NOT_ENOUGH_REPLICAS', records: 1, baseOffset: -1, previousError: null } });
    expect(refused[0]!.message).toContain('refused an acks=all produce');

    cluster.faults.startNode(followers[0]!);
    expect(await runUntil(cluster, () => isr(cluster, leader).length === 2, 60_000)).toBe(true);
    const accepted = await produce('all', 'accepted');
    expect(accepted.error).toBeNull();
    for (let i = 0; i < 20; i++) await produce('all', `more-${i}`);
    const all = outcomes(cluster);
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ node: leader, data: { acks: -1, error: null, baseOffset: accepted.baseOffset, previousError: 'NOT_ENOUGH_REPLICAS', previousCount: 5 } });
    expect(all[1]!.message).toContain('Before it, 5 produce(s) failed with NOT_ENOUGH_REPLICAS');
  });

  it('traces a produce to a follower replica refused with NOT_LEADER_OR_FOLLOWER once', async () => {
    const { cluster, followers } = await setup();
    const follower = followers[0]!;
    for (let i = 0; i < 3; i++) {
      const r = await settle(cluster, cluster.broker(follower).produce({ topic: 'payments', partition: 0, acks: 1, records: [{ value: `x${i}` }] }));
      expect(r.error?.errorName).toBe('NOT_LEADER_OR_FOLLOWER');
    }
    expect(outcomes(cluster).map((e) => [e.node, e.data?.['error'], e.data?.['acks']])).toEqual([[follower, 'NOT_LEADER_OR_FOLLOWER', 1]]);
  });
});
