/**
 * KIP-848 consumer groups: the next-generation rebalance protocol driven by
 * ConsumerGroupHeartbeat, with server-side assignment.
 *
 * The group has a group epoch (bumped whenever membership or subscriptions change), a
 * target assignment computed for that epoch (assignment epoch), and per member a member
 * epoch plus its current assignment. Each member converges on its target on its own
 * heartbeats, with no global barrier:
 *   STABLE → (target moved) → UNREVOKED_PARTITIONS (must give up partitions first, keeps
 *   its epoch) → UNRELEASED_PARTITIONS (new epoch, waiting for others to release what it
 *   gets) → STABLE.
 * A member whose request epoch is neither its current nor (with a subset of its partitions)
 * its previous epoch gets FENCED_MEMBER_EPOCH; an unknown member id gets UNKNOWN_MEMBER_ID.
 *
 * Durable state (epochs, member metadata, target and current assignments) changes only in
 * `replay`; deadlines are soft state.
 *
 * Deviations from Kafka: topics are named, not identified by topic id (the wire layer maps
 * ids); the only server assignor is `uniform`, balanced for equal subscriptions and greedy
 * (least-loaded) otherwise; no regex subscriptions, no static-member leave epoch (-2 is a
 * plain leave), and a change in partition counts is detected in memory rather than stored
 * as ConsumerGroupPartitionMetadata.
 */
import type { ErrorName } from '../errors';
import { randomJavaUuid, type Emit, type RandomSource } from './common';
import { isRecord, type GroupCoordinatorRecord, type MemberState, type TopicPartitions } from './records';
import type { DescribedGroup, GroupCoordinatorConfig, ListedGroup } from './types';

/** Topic name → partition count, from the broker's metadata image. */
export type TopicMetadataView = ReadonlyMap<string, number>;

export interface ConsumerGroupHeartbeatRequest {
  readonly groupId: string;
  /** Empty on the first heartbeat: the coordinator assigns one (version 0 behaviour). */
  readonly memberId: string;
  /** 0 to join, -1 to leave, otherwise the epoch the member last received. */
  readonly memberEpoch: number;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  /** -1: unchanged. */
  readonly rebalanceTimeoutMs: number;
  /** null: unchanged since the last heartbeat. */
  readonly subscribedTopicNames: readonly string[] | null;
  readonly serverAssignor: string | null;
  /** The partitions the member owns now; null: unchanged. */
  readonly topicPartitions: TopicPartitions | null;
  readonly clientId: string;
  readonly clientHost: string;
}

export interface ConsumerGroupHeartbeatResponse {
  readonly error: ErrorName;
  readonly errorMessage: string | null;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  /** The partitions the member may own now (null with an error). */
  readonly assignment: TopicPartitions | null;
}

interface Member {
  readonly memberId: string;
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: readonly string[];
  serverAssignor: string | null;
  rebalanceTimeoutMs: number;
  memberEpoch: number;
  previousMemberEpoch: number;
  state: MemberState;
  assigned: TopicPartitions;
  pendingRevocation: TopicPartitions;
  sessionDeadlineMs: number;
  /** Set while the member must revoke partitions; missing it fences the member. */
  revocationDeadlineMs: number | null;
}

interface ConsumerGroup {
  readonly groupId: string;
  groupEpoch: number;
  assignmentEpoch: number;
  readonly members: Map<string, Member>;
  readonly target: Map<string, TopicPartitions>;
  /** Partition counts of subscribed topics the target was computed from (soft state). */
  metadataSignature: string;
}

type Append = (record: GroupCoordinatorRecord) => void;

export const UNIFORM_ASSIGNOR = 'uniform';

export class ConsumerGroups {
  private readonly groups = new Map<string, ConsumerGroup>();

  constructor(
    private readonly config: GroupCoordinatorConfig,
    private readonly emit: Emit,
    private readonly rng: RandomSource,
  ) {}

  has(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  isEmpty(groupId: string): boolean {
    return (this.groups.get(groupId)?.members.size ?? 0) === 0;
  }

  /** Every topic some member of the group subscribes to (what OffsetDelete must not touch). */
  subscribedTopics(groupId: string): Set<string> {
    const topics = new Set<string>();
    for (const member of this.groups.get(groupId)?.members.values() ?? []) for (const topic of member.subscribedTopicNames) topics.add(topic);
    return topics;
  }

  // ---------------------------------------------------------------- replay

  replay(record: GroupCoordinatorRecord): void {
    if (isRecord(record, 'ConsumerGroupMetadataKey')) {
      if (record.value === null) this.groups.delete(record.key.groupId);
      else this.group(record.key.groupId).groupEpoch = record.value.epoch;
    } else if (isRecord(record, 'ConsumerGroupMemberMetadataKey')) {
      const group = this.group(record.key.groupId);
      if (record.value === null) group.members.delete(record.key.memberId);
      else Object.assign(this.member(group, record.key.memberId), record.value);
    } else if (isRecord(record, 'ConsumerGroupTargetAssignmentMetadataKey')) {
      if (record.value !== null) this.group(record.key.groupId).assignmentEpoch = record.value.assignmentEpoch;
    } else if (isRecord(record, 'ConsumerGroupTargetAssignmentMemberKey')) {
      const group = this.group(record.key.groupId);
      if (record.value === null) group.target.delete(record.key.memberId);
      else group.target.set(record.key.memberId, record.value.topicPartitions);
    } else if (isRecord(record, 'ConsumerGroupCurrentMemberAssignmentKey')) {
      const member = this.groups.get(record.key.groupId)?.members.get(record.key.memberId);
      if (record.value === null || !member) return;
      member.memberEpoch = record.value.memberEpoch;
      member.previousMemberEpoch = record.value.previousMemberEpoch;
      member.state = record.value.state;
      member.assigned = record.value.assignedPartitions;
      member.pendingRevocation = record.value.partitionsPendingRevocation;
    }
  }

  private group(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { groupId, groupEpoch: 0, assignmentEpoch: 0, members: new Map(), target: new Map(), metadataSignature: '' };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private member(group: ConsumerGroup, memberId: string): Member {
    let member = group.members.get(memberId);
    if (!member) {
      member = {
        memberId, instanceId: null, rackId: null, clientId: '', clientHost: '', subscribedTopicNames: [], serverAssignor: null,
        rebalanceTimeoutMs: 0, memberEpoch: 0, previousMemberEpoch: -1, state: 'STABLE', assigned: [], pendingRevocation: [],
        sessionDeadlineMs: Number.POSITIVE_INFINITY, revocationDeadlineMs: null,
      };
      group.members.set(memberId, member);
    }
    return member;
  }

  completeLoad(nowMs: number): void {
    for (const group of this.groups.values()) {
      for (const m of group.members.values()) m.sessionDeadlineMs = nowMs + this.config.groupConsumerSessionTimeoutMs;
    }
  }

  // ---------------------------------------------------------------- heartbeat

  heartbeat(req: ConsumerGroupHeartbeatRequest, topics: TopicMetadataView, nowMs: number, append: Append): ConsumerGroupHeartbeatResponse {
    const invalid = this.validate(req);
    if (invalid) return this.error(req, 'INVALID_REQUEST', invalid);
    if (req.memberEpoch < 0) return this.leave(req, append);
    const existing = this.groups.get(req.groupId);
    if (req.memberEpoch > 0) {
      const member = existing?.members.get(req.memberId);
      if (!existing || !member) return this.error(req, 'UNKNOWN_MEMBER_ID', `Member ${req.memberId} is not in group ${req.groupId}.`);
      if (!this.epochAcceptable(member, req)) {
        this.emit({ type: 'consumer-group-member-fenced', message: `Group ${req.groupId}: member ${req.memberId} sent epoch ${req.memberEpoch} but is at ${member.memberEpoch}; it must rejoin with epoch 0 (FENCED_MEMBER_EPOCH).`, data: { groupId: req.groupId, memberId: req.memberId, requestEpoch: req.memberEpoch, memberEpoch: member.memberEpoch } });
        return this.error(req, 'FENCED_MEMBER_EPOCH', `Epoch ${req.memberEpoch} is stale; the member is at ${member.memberEpoch}.`);
      }
    }
    if (!existing) append({ key: { type: 'ConsumerGroupMetadataKey', groupId: req.groupId }, value: { epoch: 0 } });
    const group = this.group(req.groupId);
    const memberId = req.memberId !== '' ? req.memberId : randomJavaUuid(this.rng);
    this.updateMember(group, memberId, req, topics, append);
    const member = group.members.get(memberId)!;
    member.sessionDeadlineMs = nowMs + this.config.groupConsumerSessionTimeoutMs;
    this.maybeComputeTarget(group, topics, append);
    const owned = req.memberEpoch === 0 ? [] : req.topicPartitions;
    this.reconcile(group, member, owned, nowMs, append);
    return { error: 'NONE', errorMessage: null, memberId, memberEpoch: member.memberEpoch, heartbeatIntervalMs: this.config.groupConsumerHeartbeatIntervalMs, assignment: member.assigned };
  }

  private validate(req: ConsumerGroupHeartbeatRequest): string | null {
    if (req.groupId === '') return 'GroupId can not be empty.';
    if (req.memberEpoch === 0 && req.subscribedTopicNames === null) return 'SubscribedTopicNames must be set in the first request.';
    if (req.memberEpoch > 0 && req.memberId === '') return 'MemberId can not be empty.';
    if (req.serverAssignor !== null && req.serverAssignor !== UNIFORM_ASSIGNOR) return `ServerAssignor ${req.serverAssignor} is not supported; use ${UNIFORM_ASSIGNOR}.`;
    return null;
  }

  /** The current epoch, or the previous one when the member only lost our last response. */
  private epochAcceptable(member: Member, req: ConsumerGroupHeartbeatRequest): boolean {
    if (req.memberEpoch === member.memberEpoch) return true;
    if (req.memberEpoch !== member.previousMemberEpoch || req.topicPartitions === null) return false;
    return isSubset(req.topicPartitions, member.assigned);
  }

  private updateMember(group: ConsumerGroup, memberId: string, req: ConsumerGroupHeartbeatRequest, topics: TopicMetadataView, append: Append): void {
    const old = group.members.get(memberId);
    const rejoin = old !== undefined && req.memberEpoch === 0;
    if (rejoin) this.removeMember(group, old, 'rejoined with epoch 0', append);
    const prev = rejoin ? undefined : old;
    const value = {
      instanceId: req.instanceId ?? prev?.instanceId ?? null,
      rackId: req.rackId ?? prev?.rackId ?? null,
      clientId: req.clientId,
      clientHost: req.clientHost,
      subscribedTopicNames: [...(req.subscribedTopicNames ?? prev?.subscribedTopicNames ?? [])].sort(),
      serverAssignor: req.serverAssignor ?? prev?.serverAssignor ?? null,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs >= 0 ? req.rebalanceTimeoutMs : (prev?.rebalanceTimeoutMs ?? 300_000),
    };
    const subscriptionChanged = !prev || prev.subscribedTopicNames.join(',') !== value.subscribedTopicNames.join(',');
    const metadataChanged = subscriptionChanged || prev.instanceId !== value.instanceId || prev.rackId !== value.rackId || prev.rebalanceTimeoutMs !== value.rebalanceTimeoutMs || prev.serverAssignor !== value.serverAssignor;
    if (metadataChanged) append({ key: { type: 'ConsumerGroupMemberMetadataKey', groupId: group.groupId, memberId }, value });
    const signature = metadataSignature(group, topics);
    if (subscriptionChanged || signature !== group.metadataSignature) {
      group.metadataSignature = signature;
      this.bumpGroupEpoch(group, prev ? `member ${memberId} changed its subscription` : `member ${memberId} joined`, append);
    }
  }

  private bumpGroupEpoch(group: ConsumerGroup, reason: string, append: Append): void {
    append({ key: { type: 'ConsumerGroupMetadataKey', groupId: group.groupId }, value: { epoch: group.groupEpoch + 1 } });
    this.emit({ type: 'consumer-group-epoch-bumped', message: `Group ${group.groupId}: ${reason}, so the group epoch is now ${group.groupEpoch} and a new target assignment follows (KIP-848).`, data: { groupId: group.groupId, groupEpoch: group.groupEpoch, reason } });
  }

  /** When the group epoch moved past the target's epoch, compute a new target with the uniform assignor. */
  private maybeComputeTarget(group: ConsumerGroup, topics: TopicMetadataView, append: Append): void {
    if (group.groupEpoch <= group.assignmentEpoch) return;
    const target = uniformAssign(group, topics);
    for (const [memberId, partitions] of target) {
      const before = group.target.get(memberId) ?? [];
      if (!samePartitions(before, partitions)) append({ key: { type: 'ConsumerGroupTargetAssignmentMemberKey', groupId: group.groupId, memberId }, value: { topicPartitions: partitions } });
    }
    append({ key: { type: 'ConsumerGroupTargetAssignmentMetadataKey', groupId: group.groupId }, value: { assignmentEpoch: group.groupEpoch } });
    this.emit({ type: 'consumer-group-target-assignment', message: `Group ${group.groupId}: target assignment for epoch ${group.assignmentEpoch}: ${[...target].map(([m, tp]) => `${m.slice(0, 8)}=[${formatPartitions(tp)}]`).join(' ')}.`, data: { groupId: group.groupId, assignmentEpoch: group.assignmentEpoch, target: Object.fromEntries([...target].map(([m, tp]) => [m, formatPartitions(tp)])) } });
  }

  /** Moves one member a step towards its target (Kafka's CurrentAssignmentBuilder). */
  private reconcile(group: ConsumerGroup, member: Member, owned: TopicPartitions | null, nowMs: number, append: Append): void {
    if (member.state === 'UNREVOKED_PARTITIONS') {
      // The member keeps its epoch until it reports it no longer owns the revoked partitions.
      if (owned === null || intersects(owned, member.pendingRevocation)) return;
    } else if (member.state === 'STABLE' && member.memberEpoch === group.assignmentEpoch) {
      return;
    }
    const target = group.target.get(member.memberId) ?? [];
    const kept = intersect(member.assigned, target);
    const revoke = minus(member.assigned, target);
    if (revoke.length > 0) {
      this.writeAssignment(group, member, { memberEpoch: member.memberEpoch, previousMemberEpoch: member.previousMemberEpoch, state: 'UNREVOKED_PARTITIONS', assignedPartitions: kept, partitionsPendingRevocation: revoke }, append);
      member.revocationDeadlineMs = nowMs + member.rebalanceTimeoutMs;
      this.emit({ type: 'consumer-group-revoke', message: `Group ${group.groupId}: member ${member.memberId} must revoke ${formatPartitions(revoke)} before it moves to epoch ${group.assignmentEpoch}.`, data: { groupId: group.groupId, memberId: member.memberId, revoke: formatPartitions(revoke) } });
      return;
    }
    const toAdd = minus(target, member.assigned);
    const busy = this.ownedByOthers(group, member.memberId);
    const free = filterPartitions(toAdd, (t, p) => !busy.has(`${t}\u0000${p}`));
    const unreleased = minus(toAdd, free);
    const next = { memberEpoch: group.assignmentEpoch, previousMemberEpoch: member.memberEpoch, state: (unreleased.length > 0 ? 'UNRELEASED_PARTITIONS' : 'STABLE') as MemberState, assignedPartitions: union(kept, free), partitionsPendingRevocation: [] };
    if (next.memberEpoch === member.memberEpoch && next.state === member.state && samePartitions(next.assignedPartitions, member.assigned)) return;
    if (next.memberEpoch === member.memberEpoch) next.previousMemberEpoch = member.previousMemberEpoch;
    this.writeAssignment(group, member, next, append);
    member.revocationDeadlineMs = null;
    this.emit({ type: 'consumer-group-assignment', message: `Group ${group.groupId}: member ${member.memberId} is at epoch ${member.memberEpoch} owning [${formatPartitions(member.assigned)}]${unreleased.length ? `, waiting for ${formatPartitions(unreleased)} to be released` : ''}.`, data: { groupId: group.groupId, memberId: member.memberId, memberEpoch: member.memberEpoch, state: member.state, assigned: formatPartitions(member.assigned), unreleased: formatPartitions(unreleased) } });
  }

  private writeAssignment(group: ConsumerGroup, member: Member, value: { memberEpoch: number; previousMemberEpoch: number; state: MemberState; assignedPartitions: TopicPartitions; partitionsPendingRevocation: TopicPartitions }, append: Append): void {
    append({ key: { type: 'ConsumerGroupCurrentMemberAssignmentKey', groupId: group.groupId, memberId: member.memberId }, value });
  }

  /** Partitions some other member still owns or has yet to revoke. */
  private ownedByOthers(group: ConsumerGroup, memberId: string): Set<string> {
    const busy = new Set<string>();
    for (const m of group.members.values()) {
      if (m.memberId === memberId) continue;
      for (const tp of [...m.assigned, ...m.pendingRevocation]) for (const p of tp.partitions) busy.add(`${tp.topic}\u0000${p}`);
    }
    return busy;
  }

  private leave(req: ConsumerGroupHeartbeatRequest, append: Append): ConsumerGroupHeartbeatResponse {
    const group = this.groups.get(req.groupId);
    const member = group?.members.get(req.memberId);
    if (!group || !member) return this.error(req, 'UNKNOWN_MEMBER_ID', `Member ${req.memberId} is not in group ${req.groupId}.`);
    this.removeMember(group, member, 'left the group', append);
    this.bumpGroupEpoch(group, `member ${member.memberId} left`, append);
    return { error: 'NONE', errorMessage: null, memberId: req.memberId, memberEpoch: req.memberEpoch, heartbeatIntervalMs: 0, assignment: null };
  }

  /** Tombstones for everything the member owns in the log (Kafka writes them in this order). */
  private removeMember(group: ConsumerGroup, member: Member, why: string, append: Append): void {
    const base = { groupId: group.groupId, memberId: member.memberId };
    append({ key: { type: 'ConsumerGroupCurrentMemberAssignmentKey', ...base }, value: null });
    append({ key: { type: 'ConsumerGroupTargetAssignmentMemberKey', ...base }, value: null });
    append({ key: { type: 'ConsumerGroupMemberMetadataKey', ...base }, value: null });
    this.emit({ type: 'consumer-group-member-removed', message: `Group ${group.groupId}: member ${member.memberId} removed (${why}).`, data: { ...base, reason: why } });
  }

  private error(req: ConsumerGroupHeartbeatRequest, error: ErrorName, errorMessage: string): ConsumerGroupHeartbeatResponse {
    return { error, errorMessage, memberId: req.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
  }

  // ---------------------------------------------------------------- timers, offsets, admin

  nextDeadlineMs(): number | null {
    let next = Number.POSITIVE_INFINITY;
    for (const g of this.groups.values()) {
      for (const m of g.members.values()) next = Math.min(next, m.sessionDeadlineMs, m.revocationDeadlineMs ?? Number.POSITIVE_INFINITY);
    }
    return Number.isFinite(next) ? next : null;
  }

  onTimer(nowMs: number, append: Append): void {
    for (const group of this.groups.values()) {
      for (const m of [...group.members.values()]) {
        const session = nowMs >= m.sessionDeadlineMs;
        const revocation = m.revocationDeadlineMs !== null && nowMs >= m.revocationDeadlineMs;
        if (!session && !revocation) continue;
        const why = session ? `no heartbeat for ${this.config.groupConsumerSessionTimeoutMs} ms (group.consumer.session.timeout.ms)` : `did not revoke its partitions within ${m.rebalanceTimeoutMs} ms (rebalance timeout)`;
        this.removeMember(group, m, why, append);
        this.bumpGroupEpoch(group, `member ${m.memberId} was fenced`, append);
      }
    }
  }

  /** OffsetCommit from a KIP-848 member carries its member epoch instead of a generation. */
  validateOffsetCommit(groupId: string, memberId: string, memberEpoch: number): ErrorName {
    const group = this.groups.get(groupId)!;
    if (memberEpoch < 0 && memberId === '') return group.members.size === 0 ? 'NONE' : 'UNKNOWN_MEMBER_ID';
    const member = group.members.get(memberId);
    if (!member) return 'UNKNOWN_MEMBER_ID';
    return memberEpoch === member.memberEpoch ? 'NONE' : 'STALE_MEMBER_EPOCH';
  }

  delete(groupId: string, append: Append): ErrorName {
    const group = this.groups.get(groupId)!;
    if (group.members.size > 0) return 'NON_EMPTY_GROUP';
    append({ key: { type: 'ConsumerGroupTargetAssignmentMetadataKey', groupId }, value: null });
    append({ key: { type: 'ConsumerGroupMetadataKey', groupId }, value: null });
    return 'NONE';
  }

  /** Kafka's consumer group states: Empty, Assigning, Reconciling, Stable. */
  state(groupId: string): string {
    const group = this.groups.get(groupId);
    if (!group) return 'Dead';
    if (group.members.size === 0) return 'Empty';
    if (group.groupEpoch > group.assignmentEpoch) return 'Assigning';
    for (const m of group.members.values()) if (m.memberEpoch !== group.assignmentEpoch || m.state !== 'STABLE') return 'Reconciling';
    return 'Stable';
  }

  describe(groupId: string): DescribedGroup {
    const group = this.groups.get(groupId)!;
    return {
      error: 'NONE', groupId, groupState: this.state(groupId), protocolType: 'consumer', protocolData: UNIFORM_ASSIGNOR,
      members: [...group.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.instanceId, clientId: m.clientId, clientHost: m.clientHost, memberMetadata: new Uint8Array(0), memberAssignment: new Uint8Array(0) })),
    };
  }

  list(): ListedGroup[] {
    return [...this.groups.keys()].map((groupId) => ({ groupId, protocolType: 'consumer', groupState: this.state(groupId), groupType: 'consumer' }));
  }

  /** Read-only view for visualisations and tests. */
  view(groupId: string): { groupEpoch: number; assignmentEpoch: number; members: Array<{ memberId: string; memberEpoch: number; state: MemberState; assigned: TopicPartitions; pendingRevocation: TopicPartitions }> } | undefined {
    const group = this.groups.get(groupId);
    if (!group) return undefined;
    return {
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.assignmentEpoch,
      members: [...group.members.values()].map((m) => ({ memberId: m.memberId, memberEpoch: m.memberEpoch, state: m.state, assigned: m.assigned, pendingRevocation: m.pendingRevocation })),
    };
  }
}

// ------------------------------------------------------------------ the uniform assignor

/**
 * A sticky, balanced server-side assignment. Every member first keeps up to its quota of
 * the partitions it had in the previous target (floor(P/M), and ceil for `P mod M` of
 * them), then the remaining partitions go, in order, to the least-loaded subscribed member.
 */
export function uniformAssign(group: { members: ReadonlyMap<string, { subscribedTopicNames: readonly string[] }>; target: ReadonlyMap<string, TopicPartitions> }, topics: TopicMetadataView): Map<string, TopicPartitions> {
  const memberIds = [...group.members.keys()].sort();
  const subscribed = new Map(memberIds.map((id) => [id, new Set(group.members.get(id)!.subscribedTopicNames)]));
  const all: Array<[string, number]> = [];
  for (const topic of [...new Set(memberIds.flatMap((id) => [...subscribed.get(id)!]))].sort()) {
    for (let p = 0; p < (topics.get(topic) ?? 0); p++) all.push([topic, p]);
  }
  const owner = new Map<string, string>();
  const count = new Map(memberIds.map((id) => [id, 0]));
  const floor = memberIds.length ? Math.floor(all.length / memberIds.length) : 0;
  let extra = memberIds.length ? all.length % memberIds.length : 0;
  const previousOf = (id: string): Array<[string, number]> => (group.target.get(id) ?? []).flatMap((tp) => tp.partitions.map((p): [string, number] => [tp.topic, p]));
  for (const pass of [0, 1]) {
    for (const id of memberIds) {
      for (const [t, p] of previousOf(id)) {
        const key = `${t}\u0000${p}`;
        if (owner.has(key) || !subscribed.get(id)!.has(t) || p >= (topics.get(t) ?? 0)) continue;
        const c = count.get(id)!;
        if (pass === 0 && c >= floor) continue;
        if (pass === 1 && (c > floor || extra === 0)) continue;
        if (pass === 1) extra--;
        owner.set(key, id);
        count.set(id, c + 1);
      }
    }
  }
  for (const [t, p] of all) {
    const key = `${t}\u0000${p}`;
    if (owner.has(key)) continue;
    let best: string | null = null;
    for (const id of memberIds) if (subscribed.get(id)!.has(t) && (best === null || count.get(id)! < count.get(best)!)) best = id;
    if (best === null) continue;
    owner.set(key, best);
    count.set(best, count.get(best)! + 1);
  }
  const result = new Map<string, TopicPartitions>(memberIds.map((id) => [id, []]));
  for (const [t, p] of all) {
    const id = owner.get(`${t}\u0000${p}`);
    if (id !== undefined) result.set(id, union(result.get(id)!, [{ topic: t, partitions: [p] }]));
  }
  return result;
}

function metadataSignature(group: ConsumerGroup, topics: TopicMetadataView): string {
  const names = [...new Set([...group.members.values()].flatMap((m) => m.subscribedTopicNames))].sort();
  return names.map((n) => `${n}:${topics.get(n) ?? 0}`).join(',');
}

// ------------------------------------------------------------------ partition set helpers

function toSet(tps: TopicPartitions): Set<string> {
  const s = new Set<string>();
  for (const tp of tps) for (const p of tp.partitions) s.add(`${tp.topic}\u0000${p}`);
  return s;
}

function fromSet(s: Set<string>): TopicPartitions {
  const byTopic = new Map<string, number[]>();
  for (const key of s) {
    const [topic, p] = key.split('\u0000') as [string, string];
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), Number(p)]);
  }
  return [...byTopic.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
}

export function union(a: TopicPartitions, b: TopicPartitions): TopicPartitions {
  return fromSet(new Set([...toSet(a), ...toSet(b)]));
}

export function intersect(a: TopicPartitions, b: TopicPartitions): TopicPartitions {
  const sb = toSet(b);
  return fromSet(new Set([...toSet(a)].filter((k) => sb.has(k))));
}

export function minus(a: TopicPartitions, b: TopicPartitions): TopicPartitions {
  const sb = toSet(b);
  return fromSet(new Set([...toSet(a)].filter((k) => !sb.has(k))));
}

function filterPartitions(a: TopicPartitions, keep: (topic: string, partition: number) => boolean): TopicPartitions {
  return a.map((tp) => ({ topic: tp.topic, partitions: tp.partitions.filter((p) => keep(tp.topic, p)) })).filter((tp) => tp.partitions.length > 0);
}

function intersects(a: TopicPartitions, b: TopicPartitions): boolean {
  return intersect(a, b).length > 0;
}

function isSubset(a: TopicPartitions, b: TopicPartitions): boolean {
  return minus(a, b).length === 0;
}

export function samePartitions(a: TopicPartitions, b: TopicPartitions): boolean {
  return isSubset(a, b) && isSubset(b, a);
}

export function formatPartitions(tps: TopicPartitions): string {
  return tps.flatMap((tp) => tp.partitions.map((p) => `${tp.topic}-${p}`)).join(', ');
}
