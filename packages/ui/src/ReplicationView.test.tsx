import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@kil/engine';
import { ReplicationView, markerGroups } from './ReplicationView';
import { batchesFromEvents, replicationModelFromSnapshot } from './replication-model';
import { healthySnapshot, nowMs, orders0, snapshot, stopTrace } from './test-fixtures';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

describe('replicationModelFromSnapshot', () => {
  const model = replicationModelFromSnapshot(snapshot, 'orders', 0)!;

  it('keeps replicas in assignment order with their roles', () => {
    expect(model.replicas.map((r) => [r.brokerId, r.role])).toEqual([
      [2, 'out-of-sync'],
      [1, 'leader'],
      [3, 'isr'],
    ]);
  });

  it('commits exactly the offsets below the leader high watermark', () => {
    const leader = model.replicas.find((r) => r.role === 'leader')!;
    expect(leader.batches.filter((b) => b.committed).map((b) => b.baseOffset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(leader.batches.filter((b) => !b.committed).map((b) => b.baseOffset)).toEqual([10, 11]);
    expect(leader.lastStableOffset).toBe(10);
  });

  it('says acks=all requests wait for broker 3, the ISR follower that is behind', () => {
    expect(model.acksWaiting).toEqual({ fromOffset: 10, toOffset: 12, waitingOn: [3] });
    expect(model.underMinIsr).toBe(false);
    expect(model.minInsyncReplicas).toBe(2);
  });

  it('explains why a stopped broker left the ISR', () => {
    const stopped = model.replicas.find((r) => r.brokerId === 2)!;
    expect(stopped.online).toBe(false);
    expect(stopped.lagReason).toMatch(/broker 2 is stopped/);
  });

  it('names replica.lag.time.max.ms when a running follower lags too long', () => {
    const lagging = {
      ...snapshot,
      brokers: snapshot.brokers.map((b) => ({ ...b, state: 'running' as const })),
      topics: snapshot.topics.map((t) => ({
        ...t,
        partitions: t.partitions.map((p) => (p.partition === 0 ? { ...p, replicaStates: p.replicaStates.map((r) => (r.brokerId === 2 ? { ...r, online: true } : r)) } : p)),
      })),
    };
    const r = replicationModelFromSnapshot(lagging, 'orders', 0)!.replicas.find((x) => x.brokerId === 2)!;
    expect(r.lagReason).toBe('not caught up for 40.0 s, longer than replica.lag.time.max.ms (30000 ms)');
  });

  it('flags min.insync.replicas when the ISR is too small', () => {
    const shrunk = { ...snapshot, topics: [{ ...snapshot.topics[0]!, partitions: [{ ...snapshot.topics[0]!.partitions[0]!, isr: [1] }] }] };
    expect(replicationModelFromSnapshot(shrunk, 'orders', 0)!.underMinIsr).toBe(true);
  });

  it('returns null for a partition that does not exist', () => {
    expect(replicationModelFromSnapshot(snapshot, 'orders', 9)).toBeNull();
    expect(replicationModelFromSnapshot(snapshot, 'payments', 0)).toBeNull();
  });

  it('rebuilds batches and epochs from append events and marks a follower divergent', () => {
    let seq = 100;
    const append = (node: number, base: number, last: number, epoch: number): TraceEvent => ({ seq: ++seq, timeMs: nowMs, type: 'append', node, topic: 'orders', partition: 0, message: 'append', data: { baseOffset: base, lastOffset: last, partitionLeaderEpoch: epoch } });
    const events = [append(1, 0, 4, 2), append(1, 5, 9, 2), append(1, 10, 11, 3), append(3, 0, 4, 2), append(3, 5, 9, 1)];
    expect(batchesFromEvents(events, 'orders', 0, 1)?.map((b) => [b.baseOffset, b.lastOffset, b.leaderEpoch])).toEqual([
      [0, 4, 2],
      [5, 9, 2],
      [10, 11, 3],
    ]);
    const m = replicationModelFromSnapshot(snapshot, 'orders', 0, { events })!;
    const follower = m.replicas.find((r) => r.brokerId === 3)!;
    expect(follower.batches.map((b) => [b.baseOffset, b.divergent ?? false, b.committed])).toEqual([
      [0, false, true],
      [5, true, false],
    ]);
  });

  it('drops batches a truncation removed', () => {
    const events: TraceEvent[] = [
      { seq: 1, timeMs: 1, type: 'append', node: 3, topic: 'orders', partition: 0, message: '', data: { baseOffset: 0, lastOffset: 9, partitionLeaderEpoch: 1 } },
      { seq: 2, timeMs: 2, type: 'truncate', node: 3, topic: 'orders', partition: 0, message: '', data: { logEndOffset: 5 } },
    ];
    expect(batchesFromEvents(events, 'orders', 0, 3)).toEqual([]);
  });
});

describe('ReplicationView', () => {
  const html = render(<ReplicationView snapshot={snapshot} topic="orders" partition={0} events={stopTrace} />);

  it('draws one strip per replica with its role', () => {
    expect(count(html, 'data-testid="replica-log-')).toBe(3);
    expect(attr(tagWith(html, 'data-testid', 'replica-log-1'), 'data-role')).toBe('leader');
    expect(attr(tagWith(html, 'data-testid', 'replica-log-3'), 'data-role')).toBe('isr');
    expect(attr(tagWith(html, 'data-testid', 'replica-log-2'), 'data-role')).toBe('out-of-sync');
  });

  it('colours committed and uncommitted records on the leader', () => {
    const leader = subtree(html, 'data-testid', 'replica-log-1');
    expect(count(leader, 'kil-rec--committed')).toBe(10);
    // The trace says offsets 10 and 11 arrived in one batch, so they are drawn as one.
    expect(count(leader, 'kil-rec--uncommitted')).toBe(1);
    expect(attr(tagWith(leader, 'data-batch', '10-11'), 'data-committed')).toBe('false');
    expect(text(leader)).toContain('leader · epoch 3');
  });

  it('places HW, LSO and LEO markers at their offsets', () => {
    expect(markerGroups(replicationModelFromSnapshot(snapshot, 'orders', 0)!.replicas[1]!)).toEqual([
      { offset: 0, names: ['start'] },
      { offset: 10, names: ['HW', 'LSO'] },
      { offset: 12, names: ['LEO'] },
    ]);
    const leader = subtree(html, 'data-testid', 'replica-log-1');
    expect(leader).toContain('data-marker="HW=LSO" data-offset="10"');
    expect(leader).toContain('data-marker="LEO" data-offset="12"');
  });

  it('shows the acks=all wait and the reason a replica is out of sync', () => {
    const acks = tagWith(html, 'data-testid', 'acks-waiting');
    expect([attr(acks, 'data-from'), attr(acks, 'data-to')]).toEqual(['10', '12']);
    expect(text(subtree(html, 'data-testid', 'acks-waiting'))).toContain('until broker 3 fetches them');
    expect(text(subtree(html, 'data-testid', 'lag-reason-2'))).toContain('broker 2 is stopped');
    expect(text(html)).toContain('ISR [1, 3]');
  });

  it('is a still picture without onAction and offers broker commands with it', () => {
    expect(html).not.toContain(' role="button"');
    const interactive = render(<ReplicationView snapshot={snapshot} topic="orders" partition={0} onAction={() => undefined} />);
    expect(count(interactive, ' role="button"')).toBe(3);
    expect(interactive).toContain('Activate to run: broker start 2');
    expect(interactive).toContain('Activate to run: broker stop 1');
  });

  it('shows no wait and no alert on a healthy, caught-up partition', () => {
    const healthy = render(<ReplicationView snapshot={healthySnapshot} topic="orders" partition={0} />);
    expect(healthy).not.toContain('data-testid="acks-waiting"');
    expect(healthy).not.toContain('class="kil-alert"');
    expect(count(healthy, 'data-role="isr"')).toBe(2);
  });

  it('limits the rows to the brokers asked for and windows long logs', () => {
    const two = render(<ReplicationView snapshot={snapshot} topic="orders" partition={0} brokers={[1, 3]} windowRecordsMax={5} />);
    expect(count(two, 'data-testid="replica-log-')).toBe(2);
    expect(count(subtree(two, 'data-testid', 'replica-log-1'), 'class="kil-rec ')).toBe(5);
    expect(two).toContain('+7 earlier');
  });

  it('says so when the partition does not exist, and honours the theme prop', () => {
    const missing = render(<ReplicationView snapshot={snapshot} topic="nope" partition={0} theme="dark" />);
    expect(missing).toContain('does not exist yet');
    expect(missing).toContain('data-theme="dark"');
    expect(missing).toContain('prefers-reduced-motion');
  });
});

describe('ReplicationView of an offline partition', () => {
  it('says there is no leader and shows no acks wait', () => {
    const html = render(<ReplicationView snapshot={snapshot} topic="orders" partition={2} />);
    expect(html).toContain('data-testid="alert-offline"');
    expect(html).not.toContain('data-testid="acks-waiting"');
    // Kafka keeps the last in-sync replica in the ISR when it goes down, so that only it can lead cleanly.
    expect(attr(tagWith(html, 'data-testid', 'replica-log-2'), 'data-role')).toBe('isr');
    expect(text(subtree(html, 'data-testid', 'lag-reason-2'))).toContain('still in the ISR: it was the last in-sync replica');
    expect(text(html)).toContain('leader none');
  });

  it('keeps a follower batch that overlaps a truncation point only below it', () => {
    const events: TraceEvent[] = [
      { seq: 1, timeMs: 1, type: 'append', node: 3, topic: 'orders', partition: 0, message: '', data: { baseOffset: 0, lastOffset: 4, partitionLeaderEpoch: 1 } },
      { seq: 2, timeMs: 2, type: 'append', node: 3, topic: 'orders', partition: 0, message: '', data: { baseOffset: 5, lastOffset: 9, partitionLeaderEpoch: 1 } },
      { seq: 3, timeMs: 3, type: 'follower-truncated', node: 3, topic: 'orders', partition: 0, message: '', data: { truncateOffset: 5 } },
      { seq: 4, timeMs: 4, type: 'append', node: 3, topic: 'orders', partition: 0, message: '', data: { baseOffset: 5, lastOffset: 7, partitionLeaderEpoch: 2 } },
    ];
    expect(batchesFromEvents(events, 'orders', 0, 3)?.map((b) => [b.baseOffset, b.lastOffset, b.leaderEpoch])).toEqual([
      [0, 4, 1],
      [5, 7, 2],
    ]);
  });

  it('does not invent a log for a replica whose broker cannot be read', () => {
    const down = { ...snapshot, topics: [{ ...snapshot.topics[0]!, partitions: [{ ...orders0, replicaStates: orders0.replicaStates.map((r) => (r.brokerId === 2 ? { ...r, logStartOffset: -1, logEndOffset: -1, highWatermark: -1, online: false } : r)) }] }] };
    const m = replicationModelFromSnapshot(down, 'orders', 0)!;
    const r2 = m.replicas.find((r) => r.brokerId === 2)!;
    expect([r2.logKnown, r2.batches.length]).toEqual([false, 0]);
    const html = render(<ReplicationView model={m} topic="orders" partition={0} />);
    const row = subtree(html, 'data-testid', 'replica-log-2');
    expect(text(row)).toContain('log not readable while broker 2 is stopped');
    expect(row).not.toContain('data-marker=');
    // The axis starts at offset 0, not at the unknown -1.
    expect(html).not.toContain('>-1<');
  });
});
