import { describe, it, expect } from 'vitest';
import { Prng } from '../sim/prng';
import { GroupCoordinator } from '../group/group-coordinator';
import type { TopicPartitions } from '../group/records';
import { assignors, cooperativeStickyAssignor, rangeAssignor, roundRobinAssignor, stickyAssignor, type AssignorMember } from './assignors';
import { ConsumerClient, count } from './consumer';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './consumer-protocol';
import { LocalGroupRunner } from './local-group';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const member = (memberId: string, topics: string[], ownedPartitions: TopicPartitions = [], generationId = -1): AssignorMember => ({
  memberId, subscription: { topics, userData: null, ownedPartitions, generationId, rackId: null },
});
const flat = (tps: TopicPartitions | undefined) => (tps ?? []).flatMap((tp) => tp.partitions.map((p) => `${tp.topic}-${p}`));

describe('ConsumerProtocol bytes', () => {
  it('encodes a v0 subscription exactly as Kafka lays it out', () => {
    // version 0 | topics [1] "t" | userData null
    expect(hex(encodeSubscription({ topics: ['t'], userData: null, ownedPartitions: [], generationId: -1, rackId: null }, 0))).toBe('0000' + '00000001' + '0001' + '74' + 'ffffffff');
  });

  it('round-trips v3 subscriptions and assignments, and decodes older versions', () => {
    const s = { topics: ['a', 'b'], userData: new Uint8Array([1, 2]), ownedPartitions: [{ topic: 'a', partitions: [0, 2] }], generationId: 7, rackId: 'r1' };
    expect(decodeSubscription(encodeSubscription(s))).toEqual({ version: 3, ...s });
    expect(decodeSubscription(encodeSubscription(s, 1))).toEqual({ version: 1, ...s, generationId: -1, rackId: null });
    const a = { partitions: [{ topic: 'a', partitions: [1] }], userData: null };
    expect(decodeAssignment(encodeAssignment(a))).toEqual({ version: 3, ...a });
    expect(hex(encodeAssignment(a, 0))).toBe('0000' + '00000001' + '0001' + '61' + '00000001' + '00000001' + 'ffffffff');
    expect(decodeAssignment(new Uint8Array(0)).partitions).toEqual([]);
  });
});

describe('assignors', () => {
  const meta = new Map([['t', 7], ['u', 2]]);

  it('range gives consecutive ranges per topic, the first members one extra', () => {
    const r = rangeAssignor.assign(meta, [member('c', ['t']), member('a', ['t', 'u']), member('b', ['t', 'u'])]);
    expect(flat(r.get('a'))).toEqual(['t-0', 't-1', 't-2', 'u-0']);
    expect(flat(r.get('b'))).toEqual(['t-3', 't-4', 'u-1']);
    expect(flat(r.get('c'))).toEqual(['t-5', 't-6']);
  });

  it('roundrobin deals all partitions in order, skipping members not subscribed', () => {
    const r = roundRobinAssignor.assign(new Map([['t', 4]]), [member('a', ['t']), member('b', ['t'])]);
    expect(flat(r.get('a'))).toEqual(['t-0', 't-2']);
    expect(flat(r.get('b'))).toEqual(['t-1', 't-3']);
  });

  it('sticky keeps owned partitions and stays balanced when a member joins', () => {
    const before = [member('a', ['t'], [{ topic: 't', partitions: [0, 1, 2, 3] }], 1), member('b', ['t'], [{ topic: 't', partitions: [4, 5, 6] }], 1), member('c', ['t'])];
    const r = stickyAssignor.assign(meta, before);
    const sizes = ['a', 'b', 'c'].map((m) => flat(r.get(m)).length).sort();
    expect(sizes).toEqual([2, 2, 3]);
    // Only what the newcomer needs moves: a and b keep subsets of what they had.
    expect(flat(r.get('a')).every((p) => ['t-0', 't-1', 't-2', 't-3'].includes(p))).toBe(true);
    expect(flat(r.get('b')).every((p) => ['t-4', 't-5', 't-6'].includes(p))).toBe(true);
  });

  it('cooperative-sticky withholds partitions that another member still owns (KIP-429)', () => {
    const r = cooperativeStickyAssignor.assign(new Map([['t', 4]]), [member('a', ['t'], [{ topic: 't', partitions: [0, 1, 2, 3] }], 1), member('b', ['t'])]);
    expect(flat(r.get('a'))).toHaveLength(2);
    expect(flat(r.get('b'))).toEqual([]); // the two partitions a gives up arrive in the follow-up rebalance
  });

  it('randomized: every assignor assigns each subscribed partition exactly once; sticky ones stay balanced', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rng = new Prng(seed);
      const topics = new Map([['x', 1 + rng.int(9)], ['y', 1 + rng.int(5)]]);
      const n = 1 + rng.int(5);
      const members = Array.from({ length: n }, (_, i) => {
        const owned = rng.chance(0.5) ? [{ topic: 'x', partitions: [rng.int(topics.get('x')!)] }] : [];
        return member(`m${i}`, ['x', 'y'], owned, rng.int(3));
      });
      for (const assignor of Object.values(assignors)) {
        const result = assignor.assign(topics, members);
        const all = [...result.values()].flatMap(flat);
        expect(new Set(all).size).toBe(all.length);
        if (assignor.name !== 'cooperative-sticky') expect(all.length).toBe(topics.get('x')! + topics.get('y')!);
        if (assignor.name === 'sticky') {
          const sizes = [...result.values()].map((tps) => flat(tps).length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});

function runGroup(assignorName: string, options: { static?: boolean } = {}) {
  const coordinator = new GroupCoordinator({ rng: new Prng(3) });
  const runner = new LocalGroupRunner(coordinator);
  const metadata = () => new Map([['orders', 6]]);
  const start = (i: number) => runner.add(new ConsumerClient({
    clientId: `consumer-${i}`, groupId: 'g', topics: ['orders'], assignor: assignors[assignorName]!, metadata,
    sessionTimeoutMs: 10_000, groupInstanceId: options.static ? `instance-${i}` : null,
  }));
  return { coordinator, runner, start };
}

describe('built-in consumers: eager versus cooperative rebalancing', () => {
  it('eager (range) revokes every partition of every member when a fourth consumer joins', () => {
    const { runner, start } = runGroup('range');
    [1, 2, 3].forEach(start);
    runner.run(10_000);
    const clients = [...runner.clients.values()];
    expect(clients.map((c) => count(c.owned))).toEqual([2, 2, 2]);
    expect(clients.every((c) => c.state === 'STABLE')).toBe(true);
    start(4);
    runner.run(10_000);
    expect([...runner.clients.values()].map((c) => count(c.owned)).sort()).toEqual([1, 1, 2, 2]);
    expect(clients.reduce((n, c) => n + c.revokedCount, 0)).toBe(6);
  });

  it('cooperative-sticky revokes only the partitions that move, then a follow-up rebalance assigns them', () => {
    const { runner, start, coordinator } = runGroup('cooperative-sticky');
    [1, 2, 3].forEach(start);
    runner.run(10_000);
    const clients = [...runner.clients.values()];
    const generationBefore = coordinator.group('g')!.generationId;
    start(4);
    runner.run(15_000);
    const all = [...runner.clients.values()];
    expect(all.map((c) => count(c.owned)).sort()).toEqual([1, 1, 2, 2]);
    expect(all.every((c) => c.state === 'STABLE')).toBe(true);
    // 6 partitions over 4 members need only one move (2, 2, 1, 1): one partition is revoked, not six.
    expect(clients.reduce((n, c) => n + c.revokedCount, 0)).toBe(1);
    // One rebalance to revoke, one to hand the freed partitions to the newcomer.
    expect(coordinator.group('g')!.generationId).toBe(generationBefore + 2);
    const owners = all.flatMap((c) => flat(c.owned));
    expect(new Set(owners).size).toBe(6);
  });

  it('a static consumer that restarts within session.timeout.ms gets its partitions back without a rebalance', () => {
    const { runner, start, coordinator } = runGroup('range', { static: true });
    [1, 2].forEach(start);
    runner.run(10_000);
    const generation = coordinator.group('g')!.generationId;
    const before = flat([...runner.clients.values()][1]!.owned);
    runner.crash('consumer-2');
    runner.run(2000);
    start(2);
    runner.run(5000);
    expect(coordinator.group('g')!.generationId).toBe(generation);
    expect(flat(runner.clients.get('consumer-2')!.owned)).toEqual(before);
    expect(runner.clients.get('consumer-1')!.revokedCount).toBe(0);
  });

  it('a crashed dynamic consumer is noticed after session.timeout.ms and its partitions move', () => {
    const { runner, start } = runGroup('roundrobin');
    [1, 2].forEach(start);
    runner.run(10_000);
    runner.crash('consumer-2');
    runner.run(20_000);
    expect(count(runner.clients.get('consumer-1')!.owned)).toBe(6);
  });
});
