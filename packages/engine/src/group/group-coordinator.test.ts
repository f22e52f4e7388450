import { describe, it, expect } from 'vitest';
import { groupCoordinatorPartition, javaStringHashCode, transactionCoordinatorPartition } from './common';
import { GroupHarness, bytes, text } from './test-helpers';

/** Two members through MEMBER_ID_REQUIRED, the initial delay, and SyncGroup: a Stable group. */
function stableGroup(h: GroupHarness, groupId = 'g'): { a: string; b: string; generationId: number } {
  const a = h.newMember(groupId);
  const b = h.newMember(groupId);
  h.runUntil(h.nowMs + 10_000);
  const ja = h.joinResponseFor(a)!;
  h.sync(groupId, b, ja.generationId);
  h.sync(groupId, a, ja.generationId, { [a]: 'p0', [b]: 'p1' });
  return { a, b, generationId: ja.generationId };
}

describe('coordinator partition (Kafka: abs(groupId.hashCode) % offsets.topic.num.partitions)', () => {
  it('hashes like Java String.hashCode, including overflow', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('hello')).toBe(99162322);
    // A well-known string whose Java hash is Integer.MIN_VALUE; Kafka's Utils.abs maps it to 0.
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(groupCoordinatorPartition('polygenelubricants', 50)).toBe(0);
    expect(groupCoordinatorPartition('hello', 50)).toBe(99162322 % 50);
    expect(javaStringHashCode('my-group')).toBeLessThan(0);
    expect(groupCoordinatorPartition('my-group', 50)).toBe(Math.abs(javaStringHashCode('my-group')) % 50);
    expect(transactionCoordinatorPartition('hello', 7)).toBe(99162322 % 7);
  });
});

describe('JoinGroup (classic protocol)', () => {
  it('KIP-394: v4+ JoinGroup with an empty member id gets MEMBER_ID_REQUIRED and an id; v3 joins directly', () => {
    const h = new GroupHarness();
    const first = h.join('g', '');
    expect(first?.error).toBe('MEMBER_ID_REQUIRED');
    expect(first?.memberId).toMatch(/^client-[0-9a-f-]{36}$/);
    expect(h.coordinator.group('g')?.members.size).toBe(0);
    expect(h.join('g', first!.memberId)).toBeNull(); // held until the rebalance completes
    expect(h.coordinator.group('g')?.state).toBe('PreparingRebalance');
    const old = h.join('g2', '', { version: 3 });
    expect(old).toBeNull();
    expect(h.coordinator.group('g2')?.members.size).toBe(1);
  });

  it('rejects a known-looking member id for an unknown group and an empty group id', () => {
    const h = new GroupHarness();
    expect(h.join('nope', 'ghost')?.error).toBe('UNKNOWN_MEMBER_ID');
    expect(h.join('', '')?.error).toBe('INVALID_GROUP_ID');
  });

  it('group.min/max.session.timeout.ms bound the session timeout (INVALID_SESSION_TIMEOUT)', () => {
    const h = new GroupHarness();
    expect(h.join('g', '', { sessionTimeoutMs: 5999 })?.error).toBe('INVALID_SESSION_TIMEOUT');
    expect(h.join('g', '', { sessionTimeoutMs: 1_800_001 })?.error).toBe('INVALID_SESSION_TIMEOUT');
    expect(h.join('g', '', { sessionTimeoutMs: 45_000 })?.error).toBe('MEMBER_ID_REQUIRED');
  });

  it('KIP-134: group.initial.rebalance.delay.ms waits for more members, extending while they keep coming', () => {
    const h = new GroupHarness();
    const a = h.newMember('g');
    h.advance(1000);
    const b = h.newMember('g');
    // The first delay ends at 3000 ms, but b arrived during it: wait another 3000 ms.
    h.runUntil(3000);
    expect(h.joinResponseFor(a)).toBeUndefined();
    h.runUntil(5999);
    expect(h.joinResponseFor(a)).toBeUndefined();
    h.runUntil(6000);
    const ja = h.joinResponseFor(a)!;
    const jb = h.joinResponseFor(b)!;
    expect(ja.generationId).toBe(1);
    expect(jb.generationId).toBe(1);
    expect(ja.leader).toBe(a);
    expect(ja.members.map((m) => m.memberId)).toEqual([a, b]);
    expect(jb.members).toEqual([]); // followers do not see the membership
    expect(h.coordinator.group('g')?.state).toBe('CompletingRebalance');
  });

  it('selects the protocol every member supports with the most first-choice votes; none in common is INCONSISTENT_GROUP_PROTOCOL', () => {
    const h = new GroupHarness({ groupInitialRebalanceDelayMs: 0 });
    const p = (...names: string[]) => names.map((name) => ({ name, metadata: bytes(name) }));
    h.newMember('g', { protocols: p('range', 'roundrobin') });
    h.newMember('g', { protocols: p('roundrobin', 'range') });
    const c = h.newMember('g', { protocols: p('roundrobin', 'sticky') });
    h.runUntil(1);
    expect(h.joinResponseFor(c)?.protocolName).toBe('roundrobin');
    expect(h.join('g', '', { protocols: p('cooperative-sticky') })?.error).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(h.join('g', '', { protocolType: 'connect', protocols: p('range') })?.error).toBe('INCONSISTENT_GROUP_PROTOCOL');
  });
});

describe('SyncGroup and Heartbeat', () => {
  it('holds followers until the leader sends the assignment, then the group is Stable', () => {
    const h = new GroupHarness();
    const a = h.newMember('g');
    const b = h.newMember('g');
    h.runUntil(10_000);
    expect(h.sync('g', b, 1)).toBeNull();
    const leader = h.sync('g', a, 1, { [a]: 'A', [b]: 'B' })!;
    expect(leader.error).toBe('NONE');
    expect(text(leader.assignment)).toBe('A');
    expect(text(h.syncResponseFor(b)!.assignment)).toBe('B');
    expect(h.coordinator.group('g')?.state).toBe('Stable');
    expect(h.log.filter((r) => r.key.type === 'GroupMetadataKey')).toHaveLength(1);
    // A member asking again in Stable gets its assignment straight away.
    expect(text(h.sync('g', b, 1)!.assignment)).toBe('B');
  });

  it('answers REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID as Kafka does', () => {
    const h = new GroupHarness();
    const { a, b, generationId } = stableGroup(h);
    expect(h.heartbeat('g', a, generationId)).toBe('NONE');
    expect(h.heartbeat('g', a, generationId - 1)).toBe('ILLEGAL_GENERATION');
    expect(h.heartbeat('g', 'ghost', generationId)).toBe('UNKNOWN_MEMBER_ID');
    expect(h.heartbeat('other', a, generationId)).toBe('UNKNOWN_MEMBER_ID');
    h.newMember('g');
    expect(h.heartbeat('g', b, generationId)).toBe('REBALANCE_IN_PROGRESS');
    expect(h.sync('g', b, generationId)?.error).toBe('REBALANCE_IN_PROGRESS');
  });

  it('a follower waiting in SyncGroup is told REBALANCE_IN_PROGRESS when a new member arrives first', () => {
    const h = new GroupHarness();
    const a = h.newMember('g');
    const b = h.newMember('g');
    h.runUntil(10_000);
    h.sync('g', b, 1);
    h.newMember('g');
    expect(h.syncResponseFor(b)?.error).toBe('REBALANCE_IN_PROGRESS');
    expect(h.coordinator.group('g')?.state).toBe('PreparingRebalance');
    expect(h.heartbeat('g', a, 1)).toBe('REBALANCE_IN_PROGRESS');
  });

  it('session.timeout.ms: a silent member is removed and the rest rebalance without it', () => {
    const h = new GroupHarness();
    const { a, b, generationId } = stableGroup(h);
    const errors: string[] = [];
    for (let t = 0; t < 4; t++) {
      h.runUntil(h.nowMs + 3000);
      errors.push(h.heartbeat('g', a, generationId));
    }
    // b never heartbeat after its SyncGroup, so its 10 s session ran out during the fourth interval.
    expect(errors).toEqual(['NONE', 'NONE', 'NONE', 'REBALANCE_IN_PROGRESS']);
    expect(h.coordinator.group('g')?.members.has(b)).toBe(false);
    expect(h.eventTypes()).toContain('group-heartbeat-expired');
    h.join('g', a);
    expect(h.coordinator.group('g')?.state).toBe('CompletingRebalance');
    expect(h.joinResponseFor(a)?.generationId).toBe(generationId + 1);
    expect(h.joinResponseFor(a)?.members.map((m) => m.memberId)).toEqual([a]);
  });

  it('rebalance timeout: a member that does not rejoin in time is dropped from the new generation', () => {
    const h = new GroupHarness();
    const { a, b, generationId } = stableGroup(h);
    h.join('g', a); // the leader asks for a rebalance
    expect(h.coordinator.group('g')?.state).toBe('PreparingRebalance');
    h.runUntil(h.nowMs + 8000);
    expect(h.heartbeat('g', b, generationId)).toBe('REBALANCE_IN_PROGRESS'); // alive, but never rejoins
    h.runUntil(h.nowMs + 30_000);
    const ja = h.joinResponseFor(a)!;
    expect(ja.generationId).toBe(generationId + 1);
    expect(ja.members.map((m) => m.memberId)).toEqual([a]);
    expect(h.coordinator.group('g')?.members.has(b)).toBe(false);
  });

  it('a group whose leader never sends SyncGroup rebalances once the rebalance timeout passes', () => {
    const h = new GroupHarness();
    const a = h.newMember('g', { sessionTimeoutMs: 45_000 });
    const b = h.newMember('g', { sessionTimeoutMs: 45_000 });
    h.runUntil(10_000);
    h.sync('g', b, 1);
    // The join completed at 6000 ms, so SyncGroup was due by 6000 + 30000 ms.
    h.runUntil(35_999);
    expect(h.coordinator.group('g')?.state).toBe('CompletingRebalance');
    h.runUntil(36_000);
    expect(h.coordinator.group('g')?.members.has(a)).toBe(false);
    expect(h.syncResponseFor(b)?.error).toBe('REBALANCE_IN_PROGRESS');
    expect(h.coordinator.group('g')?.state).toBe('PreparingRebalance');
  });
});

describe('LeaveGroup', () => {
  it('a leaving member triggers a rebalance; the last one leaves the group Empty with a new generation', () => {
    const h = new GroupHarness();
    const { a, b, generationId } = stableGroup(h);
    const r = h.take(h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: b, groupInstanceId: null }] }, h.nowMs))!;
    expect(r.members[0]?.error).toBe('NONE');
    expect(h.coordinator.group('g')?.state).toBe('PreparingRebalance');
    h.join('g', a);
    expect(h.joinResponseFor(a)?.generationId).toBe(generationId + 1); // completes at once: all rejoined
    const r2 = h.take(h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: a, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }] }, h.nowMs))!;
    expect(r2.members.map((m) => m.error)).toEqual(['NONE', 'UNKNOWN_MEMBER_ID']);
    expect(h.coordinator.group('g')?.state).toBe('Empty');
    expect(h.coordinator.group('g')?.generationId).toBe(generationId + 2);
  });
});

describe('static membership (KIP-345)', () => {
  it('a static member restarting with unchanged metadata replaces its old id without a rebalance', () => {
    const h = new GroupHarness();
    const a = h.join('g', '', { groupInstanceId: 'i-a', clientId: 'ca' }) ?? null;
    expect(a).toBeNull(); // static members skip MEMBER_ID_REQUIRED
    h.join('g', '', { groupInstanceId: 'i-b', clientId: 'cb' });
    h.runUntil(10_000);
    const [idA, idB] = [...h.coordinator.group('g')!.members.keys()] as [string, string];
    h.sync('g', idB, 1, {}, 'i-b');
    h.sync('g', idA, 1, { [idA]: 'A', [idB]: 'B' }, 'i-a');
    const rebalancesBefore = h.eventTypes().filter((t) => t === 'group-rebalance-started').length;

    // Process b restarts: same instance id, empty member id, same metadata.
    const rejoin = h.join('g', '', { groupInstanceId: 'i-b', clientId: 'cb', protocols: [{ name: 'range', metadata: bytes('meta-cb') }] });
    expect(rejoin?.error).toBe('NONE');
    expect(rejoin?.generationId).toBe(1);
    const newB = rejoin!.memberId;
    expect(newB).not.toBe(idB);
    expect(h.coordinator.group('g')?.state).toBe('Stable');
    expect(h.eventTypes().filter((t) => t === 'group-rebalance-started').length).toBe(rebalancesBefore);
    expect(text(h.sync('g', newB, 1, {}, 'i-b')!.assignment)).toBe('B');
    // The old incarnation is fenced.
    expect(h.heartbeat('g', idB, 1, 'i-b')).toBe('FENCED_INSTANCE_ID');
    expect(h.heartbeat('g', newB, 1, 'i-b')).toBe('NONE');
  });

  it('a static member rejoining with different metadata triggers a rebalance', () => {
    const h = new GroupHarness();
    h.join('g', '', { groupInstanceId: 'i-a', clientId: 'ca' });
    h.runUntil(10_000);
    const [idA] = [...h.coordinator.group('g')!.members.keys()] as [string];
    h.sync('g', idA, 1, { [idA]: 'A' }, 'i-a');
    const r = h.join('g', '', { groupInstanceId: 'i-a', clientId: 'ca', protocols: [{ name: 'range', metadata: bytes('new-topics') }] });
    // The only member rejoined, so the rebalance it caused completes at once with a new generation.
    expect(r?.generationId).toBe(2);
    expect(h.eventTypes()).toContain('group-rebalance-started');
    expect(h.coordinator.group('g')?.state).toBe('CompletingRebalance');
  });
});

describe('OffsetCommit and OffsetFetch', () => {
  it('checks the generation: stale members cannot commit, current ones can, also while the group prepares a rebalance', () => {
    const h = new GroupHarness();
    const { a, b, generationId } = stableGroup(h);
    expect(h.commit('g', a, generationId, { 't-0': 10 })).toEqual(['NONE']);
    expect(h.commit('g', a, generationId + 1, { 't-0': 5 })).toEqual(['ILLEGAL_GENERATION']);
    expect(h.commit('g', 'ghost', generationId, { 't-0': 5 })).toEqual(['UNKNOWN_MEMBER_ID']);
    expect(h.commit('g', '', -1, { 't-0': 5 })).toEqual(['UNKNOWN_MEMBER_ID']); // group has members
    h.join('g', a);
    // PreparingRebalance: an eager consumer commits before it rejoins (onPartitionsRevoked).
    expect(h.commit('g', b, generationId, { 't-1': 7 })).toEqual(['NONE']);
    h.join('g', b);
    expect(h.coordinator.group('g')?.state).toBe('CompletingRebalance');
    expect(h.commit('g', b, generationId + 1, { 't-1': 8 })).toEqual(['REBALANCE_IN_PROGRESS']);
    expect(h.committed('g', 't', 0)).toBe(10);
    expect(h.committed('g', 't', 1)).toBe(7);
    expect(h.committed('g', 't', 2)).toBe(-1);
  });

  it('accepts simple commits (generation -1) from consumers outside any group', () => {
    const h = new GroupHarness();
    expect(h.commit('standalone', '', -1, { 'orders-0': 42, 'orders-1': 7 })).toEqual(['NONE', 'NONE']);
    const all = h.coordinator.offsetFetch({ groupId: 'standalone', topics: null }, h.nowMs);
    expect(all.topics).toEqual([{ name: 'orders', partitions: [
      { partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: '', error: 'NONE' },
      { partitionIndex: 1, committedOffset: 7, committedLeaderEpoch: -1, metadata: '', error: 'NONE' },
    ] }]);
    expect(h.commit('never-seen', 'm', 3, { 'orders-0': 1 })).toEqual(['ILLEGAL_GENERATION']);
  });

  it('rejects metadata above offset.metadata.max.bytes', () => {
    const h = new GroupHarness({ offsetMetadataMaxBytes: 4 });
    const r = h.take(h.coordinator.offsetCommit({ groupId: 's', memberId: '', generationIdOrMemberEpoch: -1, groupInstanceId: null, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: 'too long' }] }] }, 0))!;
    expect(r.topics[0]?.partitions[0]?.error).toBe('OFFSET_METADATA_TOO_LARGE');
  });

  it('KIP-447: a pending transactional commit makes requireStable fetches UNSTABLE_OFFSET_COMMIT until its marker', () => {
    const h = new GroupHarness();
    h.commit('g', '', -1, { 't-0': 5 });
    const commitTxn = (producerId: number, offset: number) => h.take(h.coordinator.txnOffsetCommit({ transactionalId: 'tx', groupId: 'g', producerId, producerEpoch: 0, generationId: -1, memberId: '', groupInstanceId: null, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset }] }] }, h.nowMs));
    commitTxn(1000, 9);
    const fetch = (requireStable: boolean) => h.coordinator.offsetFetch({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable }, h.nowMs).topics[0]!.partitions[0]!;
    expect(fetch(true).error).toBe('UNSTABLE_OFFSET_COMMIT');
    expect(fetch(false).committedOffset).toBe(5);
    h.coordinator.replay({ key: { type: 'EndTxnMarker', producerId: 1000 }, value: { commit: false } });
    expect(fetch(true)).toMatchObject({ error: 'NONE', committedOffset: 5 });
    commitTxn(1000, 11);
    h.coordinator.replay({ key: { type: 'EndTxnMarker', producerId: 1000 }, value: { commit: true } });
    expect(fetch(true)).toMatchObject({ error: 'NONE', committedOffset: 11 });
  });

  it('KIP-211: offsets of an empty group expire offsets.retention.minutes after it became empty, then the group goes', () => {
    const h = new GroupHarness();
    const { a, generationId } = stableGroup(h);
    h.commit('g', a, generationId, { 't-0': 3 });
    h.take(h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: a, groupInstanceId: null }] }, h.nowMs));
    h.runUntil(h.nowMs + 40_000); // b times out too: the group is Empty
    expect(h.coordinator.group('g')?.state).toBe('Empty');
    const emptySince = h.nowMs;
    h.runUntil(emptySince + 7 * 24 * 3600_000 - 600_000);
    expect(h.committed('g', 't', 0)).toBe(3);
    h.runUntil(emptySince + 7 * 24 * 3600_000 + 600_000);
    expect(h.committed('g', 't', 0)).toBe(-1);
    expect(h.coordinator.group('g')).toBeUndefined();
    expect(h.log.some((r) => r.key.type === 'OffsetCommitKey' && r.value === null)).toBe(true);
  });
});

describe('DescribeGroups, ListGroups, DeleteGroups', () => {
  it('describes and lists groups with their state, and deletes only empty ones', () => {
    const h = new GroupHarness();
    const { a, generationId } = stableGroup(h);
    h.commit('g', a, generationId, { 't-0': 1 });
    h.commit('simple', '', -1, { 't-0': 1 });
    const [described] = h.coordinator.describeGroups(['g']);
    expect(described).toMatchObject({ groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described!.members.map((m) => text(m.memberAssignment)).sort()).toEqual(['p0', 'p1']);
    expect(h.coordinator.describeGroups(['missing'])[0]?.groupState).toBe('Dead');
    expect(h.coordinator.listGroups().map((g) => g.groupId)).toEqual(['g', 'simple']);
    expect(h.coordinator.listGroups(['Empty']).map((g) => g.groupId)).toEqual(['simple']);
    const del = h.take(h.coordinator.deleteGroups(['g', 'simple', 'missing'], h.nowMs))!;
    expect(del.map((r) => r.error)).toEqual(['NON_EMPTY_GROUP', 'NONE', 'GROUP_ID_NOT_FOUND']);
    expect(h.committed('simple', 't', 0)).toBe(-1);
    expect(h.committed('g', 't', 0)).toBe(1);
  });
});

describe('coordinator failover: state rebuilt by replaying __consumer_offsets', () => {
  it('a new coordinator replaying the log has the same offsets and a Stable group its members can keep using', () => {
    const h = new GroupHarness();
    const { a, b, generationId } = stableGroup(h);
    h.commit('g', a, generationId, { 't-0': 100 });
    h.commit('g', b, generationId, { 't-1': 200 });
    const next = h.failover();
    expect(h.committed('g', 't', 0, next)).toBe(100);
    expect(h.committed('g', 't', 1, next)).toBe(200);
    expect(next.group('g')).toMatchObject({ state: 'Stable', generationId, leaderId: a });
    expect(h.heartbeat('g', a, generationId)).toBe('NONE');
    expect(text(h.sync('g', b, generationId)!.assignment)).toBe('p1');
    expect(h.events.some((e) => e.type === 'group-loaded')).toBe(true);
  });

  it('a rebalance in flight is lost on failover; members rejoin and the group completes a new generation', () => {
    const h = new GroupHarness();
    const { a, b, generationId } = stableGroup(h);
    h.join('g', a); // rebalance started, then the coordinator's broker dies
    h.failover();
    expect(h.coordinator.group('g')?.state).toBe('Stable'); // last durable state
    h.join('g', a);
    h.join('g', b);
    expect(h.joinResponseFor(b)?.generationId).toBe(generationId + 1);
    expect(h.joinResponseFor(a)?.members).toHaveLength(2);
  });
});
