import { describe, it, expect } from 'vitest';
import { Prng } from '../sim/prng';
import { formatPartitions, uniformAssign, type ConsumerGroupHeartbeatRequest } from './consumer-group';
import type { TopicPartitions } from './records';
import { GroupHarness } from './test-helpers';

const topics = new Map([['orders', 4]]);

function hb(h: GroupHarness, memberId: string, memberEpoch: number, owned: TopicPartitions | null, extra: Partial<ConsumerGroupHeartbeatRequest> = {}) {
  return h.take(h.coordinator.consumerGroupHeartbeat({
    groupId: 'cg', memberId, memberEpoch, instanceId: null, rackId: null, rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: memberEpoch === 0 ? ['orders'] : null, serverAssignor: null, topicPartitions: owned,
    clientId: 'c', clientHost: '/lab', ...extra,
  }, topics, h.nowMs))!;
}

describe('KIP-848 ConsumerGroupHeartbeat', () => {
  it('a first member joins with epoch 0, gets an id, epoch 1 and every partition', () => {
    const h = new GroupHarness();
    const r = hb(h, '', 0, []);
    expect(r.error).toBe('NONE');
    expect(r.memberEpoch).toBe(1);
    expect(formatPartitions(r.assignment!)).toBe('orders-0, orders-1, orders-2, orders-3');
    expect(h.coordinator.consumerGroups.state('cg')).toBe('Stable');
  });

  it('reconciles incrementally: the old owner revokes first, the newcomer waits for the release', () => {
    const h = new GroupHarness();
    const a = hb(h, '', 0, []);
    const b = hb(h, '', 0, []);
    expect(b.memberEpoch).toBe(2);
    expect(b.assignment).toEqual([]); // its partitions are still a's
    const view = () => h.coordinator.consumerGroups.view('cg')!;
    expect(view().members.find((m) => m.memberId === b.memberId)?.state).toBe('UNRELEASED_PARTITIONS');
    expect(h.coordinator.consumerGroups.state('cg')).toBe('Reconciling');
    // a heartbeats with its old epoch and still owning everything: told to keep only two.
    const a2 = hb(h, a.memberId, 1, a.assignment);
    expect(a2.memberEpoch).toBe(1);
    expect(a2.assignment!.flatMap((tp) => tp.partitions)).toHaveLength(2);
    expect(view().members.find((m) => m.memberId === a.memberId)?.state).toBe('UNREVOKED_PARTITIONS');
    // a reports it revoked them: it moves to epoch 2; b then gets the released partitions.
    const a3 = hb(h, a.memberId, 1, a2.assignment);
    expect(a3.memberEpoch).toBe(2);
    const b2 = hb(h, b.memberId, 2, []);
    expect(b2.assignment!.flatMap((tp) => tp.partitions)).toHaveLength(2);
    expect(h.coordinator.consumerGroups.state('cg')).toBe('Stable');
  });

  it('FENCED_MEMBER_EPOCH for a stale epoch, UNKNOWN_MEMBER_ID for an unknown member', () => {
    const h = new GroupHarness();
    const a = hb(h, '', 0, []);
    hb(h, '', 0, []);
    hb(h, a.memberId, 1, a.assignment);
    hb(h, a.memberId, 1, [{ topic: 'orders', partitions: [0, 1] }]);
    expect(hb(h, a.memberId, 0 + 5, []).error).toBe('FENCED_MEMBER_EPOCH');
    expect(hb(h, 'nobody', 3, []).error).toBe('UNKNOWN_MEMBER_ID');
    // A lost response is tolerated: the previous epoch with a subset of the partitions is accepted.
    expect(hb(h, a.memberId, 1, [{ topic: 'orders', partitions: [0] }]).error).toBe('NONE');
  });

  it('leaving (epoch -1) and session expiry bump the group epoch; state replays after failover', () => {
    const h = new GroupHarness();
    const a = hb(h, '', 0, []);
    const b = hb(h, '', 0, []);
    const leave = hb(h, b.memberId, -1, null);
    expect(leave.memberEpoch).toBe(-1);
    expect(h.coordinator.consumerGroups.view('cg')!.groupEpoch).toBe(3);
    const a2 = hb(h, a.memberId, 1, a.assignment);
    expect(a2.memberEpoch).toBe(3);
    expect(a2.assignment!.flatMap((tp) => tp.partitions)).toHaveLength(4);
    const rebuilt = h.failover();
    expect(rebuilt.consumerGroups.view('cg')).toEqual(h.coordinator.consumerGroups.view('cg'));
    h.runUntil(h.nowMs + 45_000);
    expect(h.coordinator.consumerGroups.state('cg')).toBe('Empty');
    expect(h.coordinator.consumerGroups.view('cg')!.groupEpoch).toBe(4);
  });

  it('offset commits from KIP-848 members carry the member epoch', () => {
    const h = new GroupHarness();
    const a = hb(h, '', 0, []);
    expect(h.commit('cg', a.memberId, 1, { 'orders-0': 5 })).toEqual(['NONE']);
    expect(h.commit('cg', a.memberId, 0, { 'orders-0': 2 })).toEqual(['STALE_MEMBER_EPOCH']);
    expect(h.committed('cg', 'orders', 0)).toBe(5);
  });

  it('OffsetDelete (KIP-496) keeps the offsets of topics a member subscribes to, tombstones the others', () => {
    const h = new GroupHarness();
    const a = hb(h, '', 0, []);
    expect(h.commit('cg', a.memberId, 1, { 'orders-0': 5, 'audit-0': 7 })).toEqual(['NONE', 'NONE']);
    const response = h.take(h.coordinator.offsetDelete({ groupId: 'cg', topics: [{ name: 'orders', partitionIndexes: [0] }, { name: 'audit', partitionIndexes: [0, 1] }] }, h.nowMs))!;
    expect(response).toEqual({ error: 'NONE', topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, error: 'GROUP_SUBSCRIBED_TO_TOPIC' }] }, { name: 'audit', partitions: [{ partitionIndex: 0, error: 'NONE' }, { partitionIndex: 1, error: 'NONE' }] }] });
    expect(h.committed('cg', 'orders', 0)).toBe(5);
    expect(h.committed('cg', 'audit', 0)).toBe(-1);
    // One tombstone, for the only deleted offset that existed, and one event naming it.
    expect(h.log.filter((r) => r.key.type === 'OffsetCommitKey' && r.value === null)).toHaveLength(1);
    expect(h.events.filter((e) => e.type === 'group-offsets-deleted').map((e) => e.message)).toEqual(['Group cg: committed offsets of audit-0 deleted.']);
    expect(h.take(h.coordinator.offsetDelete({ groupId: 'nobody', topics: [{ name: 'audit', partitionIndexes: [0] }] }, h.nowMs))!.error).toBe('GROUP_ID_NOT_FOUND');
  });

  it('uniform assignor: balanced and sticky over random membership changes', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rng = new Prng(seed);
      const meta = new Map([['t', 1 + rng.int(12)]]);
      let target = new Map<string, TopicPartitions>();
      const members = new Map<string, { subscribedTopicNames: string[] }>();
      for (let step = 0; step < 10; step++) {
        if (members.size === 0 || rng.chance(0.6)) members.set(`m${step}`, { subscribedTopicNames: ['t'] });
        else members.delete([...members.keys()][rng.int(members.size)]!);
        const next = uniformAssign({ members, target }, meta);
        const sizes = [...next.values()].map((tps) => tps.flatMap((tp) => tp.partitions).length);
        if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(members.size > 0 ? meta.get('t')! : 0);
        target = next;
      }
    }
  });
});
