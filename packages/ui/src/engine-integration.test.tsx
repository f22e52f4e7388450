/**
 * The views against a real engine run: a three-broker cluster, a replicated topic, some
 * acks=all records, then the leader of orders-0 is stopped. The pictures must show what
 * the engine did — a new leader in a higher epoch, the stopped broker out of the ISR — and
 * the story must tell it from the engine's own trace.
 */
import { describe, expect, it } from 'vitest';
import { Cluster, runUntil, settle } from '@kil/engine';
import { ClusterView } from './ClusterView';
import { LeaderElectionStory } from './EventTimeline';
import { leaderElectionStory } from './leader-election-story';
import { QuorumView } from './QuorumView';
import { replicationModelFromSnapshot } from './replication-model';
import { ReplicationView } from './ReplicationView';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

async function stoppedLeaderRun() {
  const cluster = new Cluster({ seed: 7 });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]));
  for (const value of ['a', 'b', 'c']) await settle(cluster, cluster.client.produce({ topic: 'orders', partition: 0, acks: 'all', records: [{ value }] }));
  const before = cluster.snapshot().topics.find((t) => t.name === 'orders')!.partitions[0]!;
  cluster.faults.stopNode(before.leader);
  const isrShrunk = () => !cluster.snapshot().topics.find((t) => t.name === 'orders')!.partitions[0]!.isr.includes(before.leader);
  await runUntil(cluster, isrShrunk, 60_000);
  const reason = replicationModelFromSnapshot(cluster.snapshot(), 'orders', 0, { events: cluster.events() })!.replicas.find((r) => r.brokerId === before.leader)!.lagReason;
  await runUntil(cluster, () => cluster.snapshot().brokers.find((b) => b.id === before.leader)!.state !== 'running', 60_000);
  return { cluster, before, reasonDuringShutdown: reason, snapshot: cluster.snapshot(), events: cluster.events() };
}

describe('views over a real engine run', () => {
  it('show the new leader, the higher epoch and the stopped broker out of the ISR', async () => {
    const { before, snapshot, events, reasonDuringShutdown } = await stoppedLeaderRun();
    // While the broker is still shutting down, the reason comes from the engine's own election event.
    expect(reasonDuringShutdown).toMatch(/leader \d+ → \d+/);
    const after = snapshot.topics.find((t) => t.name === 'orders')!.partitions[0]!;
    expect(after.leader).not.toBe(before.leader);
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);

    const model = replicationModelFromSnapshot(snapshot, 'orders', 0, { events })!;
    expect(model.replicas.find((r) => r.brokerId === before.leader)!.role).toBe('out-of-sync');
    expect(model.replicas.find((r) => r.role === 'leader')!.brokerId).toBe(after.leader);
    // The picture colours exactly the records below the new leader's HW as committed. Right
    // after the election that HW may trail the old one until the followers fetch again.
    const leaderLog = model.replicas.find((r) => r.role === 'leader')!;
    const committedRecords = (log: typeof leaderLog) => log.batches.filter((b) => b.committed).reduce((n, b) => n + b.lastOffset - b.baseOffset + 1, 0);
    expect(committedRecords(leaderLog)).toBe(after.highWatermark);
    expect(leaderLog.batches.every((b) => b.leaderEpoch === before.leaderEpoch)).toBe(true);

    const replication = render(<ReplicationView snapshot={snapshot} events={events} topic="orders" partition={0} />);
    expect(attr(tagWith(replication, 'data-testid', `replica-log-${before.leader}`), 'data-role')).toBe('out-of-sync');
    expect(attr(tagWith(replication, 'data-testid', 'replication-view'), 'data-leader')).toBe(String(after.leader));
    expect(text(subtree(replication, 'data-testid', `lag-reason-${before.leader}`))).toMatch(new RegExp(`broker ${before.leader} is (stopped|fenced)`));

    const cluster = render(<ClusterView snapshot={snapshot} />);
    expect(attr(tagWith(cluster, 'data-testid', `broker-${before.leader}`), 'data-state')).toMatch(/stopped|fenced/);
    expect(attr(tagWith(cluster, 'data-replica', `orders-0@${before.leader}`), 'data-role')).toBe('out-of-sync');
    expect(attr(tagWith(cluster, 'data-partition', 'orders-0'), 'data-health')).toBe('under-replicated');

    expect(count(render(<QuorumView snapshot={snapshot} />), ' data-role="leader"')).toBe(1);
  });

  it('shows all three acks=all records committed once the new leader HW catches up', async () => {
    const { cluster } = await stoppedLeaderRun();
    const partition = () => cluster.snapshot().topics.find((t) => t.name === 'orders')!.partitions[0]!;
    expect(await runUntil(cluster, () => partition().highWatermark === 3, 30_000)).toBe(true);
    const html = render(<ReplicationView snapshot={cluster.snapshot()} events={cluster.events()} topic="orders" partition={0} />);
    const leader = partition().leader;
    expect(count(subtree(html, 'data-testid', `replica-log-${leader}`), 'data-committed="true"')).toBe(3);
    expect(html).not.toContain('data-testid="acks-waiting"');
  });

  it('tells the election from the engine trace', async () => {
    const { before, events } = await stoppedLeaderRun();
    const story = leaderElectionStory(events, { topic: 'orders', partition: 0 })!;
    expect(story.brokerId).toBe(before.leader);
    const seqs = story.steps.map((s) => s.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBe(story.trigger.seq);
    const html = render(<LeaderElectionStory events={events} topic="orders" partition={0} />);
    expect(text(html)).toContain(`What happened when broker ${before.leader} left`);
    const elected = story.steps.find((s) => /leader \d+ → \d+/.test(s.headline));
    expect(elected?.explanation).toContain('PartitionChangeRecord');
  });
});
