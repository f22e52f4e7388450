/**
 * Scenario tests of the metadata quorum (KIP-595), each a short story of an election.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster';
import { runUntil, settle } from '../cluster/settle';

const controllers = (cluster: Cluster) => cluster.snapshot().controllers;
const leaderOf = (cluster: Cluster) => controllers(cluster).find((c) => c.role === 'leader' && c.state === 'running');

async function quorum(seed: number) {
  const cluster = new Cluster({ seed });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  return cluster;
}

describe('KRaft quorum', () => {
  it('elects one leader with a majority of votes, and every voter agrees on it', async () => {
    const cluster = await quorum(1);
    const leader = leaderOf(cluster)!;
    const elected = cluster.events().find((e) => e.type === 'quorum-leader-elected')!;
    expect(elected.node).toBe(leader.id);
    expect((elected.data!.votes as number[]).length).toBeGreaterThanOrEqual(2);
    expect(controllers(cluster).every((c) => c.epoch === leader.epoch && c.leaderId === leader.id)).toBe(true);
  });

  it('seeded election timeouts make runs reproducible and differ between seeds', async () => {
    const timeline = async (seed: number) => {
      const cluster = new Cluster({ seed });
      cluster.advanceBy(5_000);
      return cluster.events().filter((e) => e.type.startsWith('quorum-')).map((e) => `${e.timeMs} ${e.type} ${e.node}`);
    };
    expect(await timeline(9)).toEqual(await timeline(9));
    expect(await timeline(9)).not.toEqual(await timeline(10));
  });

  it('a partitioned leader resigns when it cannot reach a majority and the rest elect a new one', async () => {
    const cluster = await quorum(2);
    const old = leaderOf(cluster)!;
    const others = cluster.voterIds.filter((id) => id !== old.id);
    cluster.faults.partition([old.id], [...others, ...cluster.brokerIds]);
    expect(await runUntil(cluster, () => (leaderOf(cluster)?.id ?? old.id) !== old.id && leaderOf(cluster)!.epoch > old.epoch, 10_000)).toBe(true);
    // The old leader gave up its epoch after 1.5 x controller.quorum.fetch.timeout.ms.
    expect(await runUntil(cluster, () => controllers(cluster).find((c) => c.id === old.id)!.role !== 'leader', 10_000)).toBe(true);
    expect(cluster.events().some((e) => e.type === 'quorum-check-failed' && e.node === old.id)).toBe(true);
    cluster.faults.heal();
    expect(await runUntil(cluster, () => controllers(cluster).every((c) => c.leaderId === leaderOf(cluster)?.id), 10_000)).toBe(true);
  });

  it('a controlled stop of the leader hands over through EndQuorumEpoch without waiting for timeouts', async () => {
    const cluster = await quorum(3);
    const old = leaderOf(cluster)!;
    const stoppedAt = cluster.nowMs();
    cluster.faults.stopNode(old.id);
    expect(await runUntil(cluster, () => leaderOf(cluster) !== undefined && leaderOf(cluster)!.id !== old.id, 5_000)).toBe(true);
    // Faster than the 2 s fetch timeout a crash would need.
    expect(cluster.nowMs() - stoppedAt).toBeLessThan(2_000);
  });

  it('a deposed leader truncates its uncommitted records when it rejoins (divergence)', async () => {
    const cluster = await quorum(4);
    const old = leaderOf(cluster)!;
    const others = cluster.voterIds.filter((id) => id !== old.id);
    // Isolate the leader, then let a broker's request reach only it: the record it appends
    // can never commit.
    cluster.faults.partition([old.id], others);
    const pending = cluster.admin.createTopics([{ name: 'never', numPartitions: 1, replicationFactor: 1 }]);
    await runUntil(cluster, () => (leaderOf(cluster)?.id ?? old.id) !== old.id, 10_000);
    cluster.faults.heal();
    await settle(cluster, pending, 60_000).catch(() => undefined);
    await runUntil(cluster, () => controllers(cluster).every((c) => c.highWatermark === leaderOf(cluster)?.highWatermark), 10_000);
    const snap = controllers(cluster);
    expect(new Set(snap.map((c) => c.logEndOffset)).size).toBe(1);
    expect(snap.find((c) => c.id === old.id)!.role).toBe('follower');
    const truncated = cluster.events().find((e) => e.type === 'metadata-log-truncated' && e.node === old.id);
    expect(truncated?.data?.removed).toBeGreaterThan(0);
  });

  it('brokers fetch the metadata log as observers and report them in describeQuorum', async () => {
    const cluster = await quorum(5);
    const description = await settle(cluster, cluster.admin.describeQuorum());
    expect(description.voters.map((v) => v.replicaId).sort()).toEqual([101, 102, 103]);
    expect(description.observers.map((o) => o.replicaId).sort()).toEqual([1, 2, 3]);
    expect(description.voters.find((v) => v.status === 'Leader')!.replicaId).toBe(description.leaderId);
  });

  it('controllers snapshot the metadata log and a lagging node catches up from the snapshot', async () => {
    const cluster = new Cluster({ seed: 6, config: { 'metadata.log.max.record.bytes.between.snapshots': '2000' } });
    await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
    const laggard = cluster.voterIds.find((id) => id !== cluster.snapshot().activeControllerId)!;
    cluster.faults.crashNode(laggard);
    for (let i = 0; i < 15; i++) await settle(cluster, cluster.admin.createTopics([{ name: `t${i}`, numPartitions: 2, replicationFactor: 3 }]));
    expect(cluster.events().some((e) => e.type === 'metadata-snapshot-created')).toBe(true);
    cluster.faults.startNode(laggard);
    expect(await runUntil(cluster, () => cluster.slots.get(laggard)!.controller!.committed.topicIdsByName.size === 15, 10_000)).toBe(true);
    expect(cluster.events().some((e) => e.type === 'metadata-snapshot-loaded' && e.node === laggard)).toBe(true);
  });
});
