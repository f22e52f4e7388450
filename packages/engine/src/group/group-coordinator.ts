/**
 * The group coordinator for one partition of `__consumer_offsets` (Kafka runs one such
 * shard per partition the broker leads; `groupCoordinatorPartition` says which one owns a
 * group).
 *
 * Classic groups move Empty → PreparingRebalance → CompletingRebalance → Stable, back to
 * PreparingRebalance whenever membership or subscriptions change, and to Dead when deleted.
 * KIP-848 consumer groups (ConsumerGroupHeartbeat) live beside them in `consumer-group.ts`.
 *
 * Shape: every command returns `{ records, response, deliver }`. Records are replayed
 * through `replay` (the only mutation of durable state) before the command returns, as in
 * Kafka's coordinator runtime; the host appends them to the partition and sends the
 * response once they are committed. Held JoinGroup/SyncGroup responses come back later in
 * `deliver`. Time enters as `nowMs`; the host polls `nextDeadlineMs()` and calls
 * `onTimer(nowMs)`.
 *
 * KIPs: KIP-62 (rebalance timeout separate from session timeout), KIP-134 (initial
 * rebalance delay), KIP-496 (OffsetDelete), KIP-211 (offset retention from when a group becomes empty), KIP-345
 * (static membership), KIP-394 (MEMBER_ID_REQUIRED), KIP-447 (requireStable, TxnOffsetCommit
 * generation checks), KIP-848 (consumer groups).
 *
 * Deviations from Kafka: the held JoinGroup of a member that sends JoinGroup again is
 * replaced without an answer; new members get no separate 5-minute join timeout (the
 * rebalance timeout bounds every join); offsets of unsubscribed topics in a non-empty group
 * do not expire; `group.max.size` counts members, not pending ids.
 */
import type { ErrorName } from '../errors';
import { assert } from '../assert';
import {
  groupMetadataValue, groupRebalanceTimeoutMs, hasAllMembersJoined, memberFromRecord, metadataFor,
  newClassicGroup, sameProtocols, selectProtocol, supportsProtocols, type ClassicGroup, type ClassicMember,
} from './classic-group';
import { randomJavaUuid, type Emit, type RandomSource } from './common';
import { ConsumerGroups } from './consumer-group';
import { OffsetStore, type StoredOffset } from './offsets';
import { isRecord, type GroupCoordinatorRecord, type GroupMetadataValue } from './records';
import {
  defaultGroupCoordinatorConfig, type DeleteGroupsResult, type Delivery, type DescribedGroup, type GroupCoordinatorConfig,
  type GroupResult, type HeartbeatRequest, type HeartbeatResponse, type JoinGroupRequest, type JoinGroupResponse,
  type LeaveGroupRequest, type LeaveGroupResponse, type ListedGroup, type OffsetCommitRequest, type OffsetCommitResponse,
  type OffsetDeleteRequest, type OffsetDeleteResponse, type OffsetFetchPartition, type OffsetFetchRequest, type OffsetFetchResponse,
  type SyncGroupRequest, type SyncGroupResponse, type TimerResult, type TxnOffsetCommitRequest, offsetDeleteError,
} from './types';
import { decodeSubscription } from '../clients/consumer-protocol';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse, TopicMetadataView } from './consumer-group';

export interface GroupCoordinatorOptions {
  readonly config?: Partial<GroupCoordinatorConfig>;
  readonly rng: RandomSource;
  readonly emit?: Emit;
  /** The `__consumer_offsets` partition this shard serves (for trace messages). */
  readonly partition?: number;
}

/** Collects what one command produces; records are replayed as they are added. */
class Step {
  readonly records: GroupCoordinatorRecord[] = [];
  readonly deliver: Delivery[] = [];
  /** Where a held response to the current request goes, once the member id is known. */
  ownReplyTo: string | null = null;
  constructor(private readonly coordinator: GroupCoordinator) {}
  append(record: GroupCoordinatorRecord): void {
    this.records.push(record);
    this.coordinator.replay(record);
  }
  result<R>(response: R | null): GroupResult<R> {
    return { records: this.records, response, deliver: this.deliver };
  }
}

const emptyBytes = new Uint8Array(0);

export class GroupCoordinator {
  readonly config: GroupCoordinatorConfig;
  readonly offsets = new OffsetStore();
  private readonly groups = new Map<string, ClassicGroup>();
  readonly consumerGroups: ConsumerGroups;
  private readonly rng: RandomSource;
  private readonly emit: Emit;
  private readonly partition: number;
  private nextRetentionCheckMs: number | null = null;
  /** Replay's notion of "now": the time of the command being processed. */
  private replayNowMs = 0;

  constructor(options: GroupCoordinatorOptions) {
    this.config = { ...defaultGroupCoordinatorConfig, ...options.config };
    this.rng = options.rng;
    this.emit = options.emit ?? (() => {});
    this.partition = options.partition ?? 0;
    this.consumerGroups = new ConsumerGroups(this.config, this.emit, this.rng);
  }

  // ---------------------------------------------------------------- replay

  /** Applies one record of `__consumer_offsets`: the only way durable state changes. */
  replay(record: GroupCoordinatorRecord): void {
    if (isRecord(record, 'OffsetCommitKey')) {
      this.offsets.replayCommit(record.key, record.value, record.producerId);
    } else if (isRecord(record, 'GroupMetadataKey')) {
      this.replayGroupMetadata(record.key.group, record.value);
    } else if (isRecord(record, 'EndTxnMarker')) {
      this.offsets.replayMarker(record.key.producerId, record.value.commit);
    } else {
      this.consumerGroups.replay(record);
    }
  }

  private replayGroupMetadata(groupId: string, value: GroupMetadataValue | null): void {
    if (value === null) {
      const group = this.groups.get(groupId);
      if (group) group.state = 'Dead';
      this.groups.delete(groupId);
      return;
    }
    const group = this.groups.get(groupId) ?? newClassicGroup(groupId, value.currentStateTimestamp);
    this.groups.set(groupId, group);
    const previous = new Map(group.members);
    group.members.clear();
    group.staticMembers.clear();
    for (const m of value.members) {
      const member = memberFromRecord(m, value.protocolType, value.protocol, previous.get(m.memberId));
      group.members.set(m.memberId, member);
      if (m.groupInstanceId !== null) group.staticMembers.set(m.groupInstanceId, m.memberId);
    }
    group.protocolType = value.protocolType === '' ? group.protocolType : value.protocolType;
    group.generationId = value.generation;
    group.protocolName = value.protocol;
    group.leaderId = value.leader;
    group.currentStateTimestampMs = value.currentStateTimestamp;
    group.state = value.members.length > 0 ? 'Stable' : 'Empty';
    group.syncDeadlineMs = null;
  }

  /**
   * Called by the host after replaying a whole partition on becoming its leader
   * (coordinator failover): loaded members get a fresh session from now, as in Kafka.
   */
  completeLoad(nowMs: number): void {
    for (const group of this.groups.values()) {
      for (const m of group.members.values()) m.heartbeatDeadlineMs = nowMs + m.sessionTimeoutMs;
      this.emit({ type: 'group-loaded', message: `Group ${group.groupId} loaded from __consumer_offsets-${this.partition} in state ${group.state} at generation ${group.generationId}.`, data: { groupId: group.groupId, state: group.state, generationId: group.generationId, members: group.members.size } });
    }
    this.consumerGroups.completeLoad(nowMs);
    this.nextRetentionCheckMs = nowMs + this.config.offsetsRetentionCheckIntervalMs;
  }

  // ---------------------------------------------------------------- JoinGroup

  /**
   * JoinGroup. `replyTo` names the connection the host will send a held response to;
   * it defaults to the member id the member ends up with.
   */
  joinGroup(req: JoinGroupRequest, nowMs: number, replyTo?: string): GroupResult<JoinGroupResponse> {
    this.tick(nowMs);
    const step = new Step(this);
    const early = this.validateJoin(req);
    if (early) return step.result(joinError(req.memberId, early));
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.memberId !== '') return step.result(joinError(req.memberId, 'UNKNOWN_MEMBER_ID'));
      group = newClassicGroup(req.groupId, nowMs);
      this.groups.set(req.groupId, group);
    }
    if (!supportsProtocols(group, req.protocolType, req.protocols)) {
      return step.result(joinError(req.memberId, 'INCONSISTENT_GROUP_PROTOCOL'));
    }
    const response =
      req.memberId === '' ? this.joinUnknownMember(step, group, req, nowMs, replyTo) : this.joinKnownMember(step, group, req, nowMs, replyTo ?? req.memberId);
    return claimOwnDelivery<JoinGroupResponse>(step, response, 'JoinGroup', step.ownReplyTo ?? replyTo ?? req.memberId);
  }

  private validateJoin(req: JoinGroupRequest): ErrorName | null {
    if (req.groupId === '') return 'INVALID_GROUP_ID';
    if (req.sessionTimeoutMs < this.config.groupMinSessionTimeoutMs || req.sessionTimeoutMs > this.config.groupMaxSessionTimeoutMs) {
      return 'INVALID_SESSION_TIMEOUT';
    }
    if (this.consumerGroups.has(req.groupId)) return 'INCONSISTENT_GROUP_PROTOCOL';
    return null;
  }

  private joinUnknownMember(step: Step, group: ClassicGroup, req: JoinGroupRequest, nowMs: number, replyTo: string | undefined): JoinGroupResponse | null {
    if (group.state === 'Dead') return joinError('', 'COORDINATOR_NOT_AVAILABLE');
    if (group.members.size >= this.config.groupMaxSize) return joinError('', 'GROUP_MAX_SIZE_REACHED');
    const memberId = `${req.clientId}-${randomJavaUuid(this.rng)}`;
    step.ownReplyTo = replyTo ?? memberId;
    if (req.groupInstanceId !== null) {
      const oldMemberId = group.staticMembers.get(req.groupInstanceId);
      if (oldMemberId !== undefined) return this.replaceStaticMember(step, group, oldMemberId, memberId, req, nowMs, replyTo ?? memberId);
      return this.addMemberAndRebalance(step, group, memberId, req, nowMs, replyTo ?? memberId);
    }
    if (req.version >= 4) {
      // KIP-394: hand out an id first, so a client that times out and retries does not leave
      // an orphan member behind that the group must wait for.
      group.pendingMembers.set(memberId, nowMs + req.sessionTimeoutMs);
      this.emit({ type: 'group-member-id-required', message: `Group ${group.groupId}: gave new member the id ${memberId}; it must join again with it (MEMBER_ID_REQUIRED).`, data: { groupId: group.groupId, memberId } });
      return joinError(memberId, 'MEMBER_ID_REQUIRED');
    }
    return this.addMemberAndRebalance(step, group, memberId, req, nowMs, replyTo ?? memberId);
  }

  private joinKnownMember(step: Step, group: ClassicGroup, req: JoinGroupRequest, nowMs: number, replyTo: string): JoinGroupResponse | null {
    if (group.pendingMembers.has(req.memberId)) {
      group.pendingMembers.delete(req.memberId);
      return this.addMemberAndRebalance(step, group, req.memberId, req, nowMs, replyTo);
    }
    if (this.isStaticMemberFenced(group, req.groupInstanceId, req.memberId)) return joinError(req.memberId, 'FENCED_INSTANCE_ID');
    const member = group.members.get(req.memberId);
    if (!member || group.state === 'Empty' || group.state === 'Dead') return joinError(req.memberId, 'UNKNOWN_MEMBER_ID');
    const unchanged = sameProtocols(member.protocols, req.protocols);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(step, group, member, req, nowMs, replyTo);
      case 'CompletingRebalance':
        // A member that lost its JoinGroup response asks again: answer from the current generation.
        return unchanged ? joinResponseFor(group, member) : this.updateMemberAndRebalance(step, group, member, req, nowMs, replyTo);
      case 'Stable':
        // The leader rejoining always means "please reassign" (e.g. topic metadata changed).
        if (group.leaderId === member.memberId || !unchanged) return this.updateMemberAndRebalance(step, group, member, req, nowMs, replyTo);
        member.heartbeatDeadlineMs = nowMs + member.sessionTimeoutMs;
        return joinResponseFor(group, member);
    }
  }

  private addMemberAndRebalance(step: Step, group: ClassicGroup, memberId: string, req: JoinGroupRequest, nowMs: number, replyTo: string): null {
    const member: ClassicMember = {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      assignment: emptyBytes,
      awaitingJoin: { replyTo },
      awaitingSync: null,
      isNew: true,
      heartbeatDeadlineMs: nowMs + req.sessionTimeoutMs,
    };
    group.members.set(memberId, member);
    if (req.groupInstanceId !== null) group.staticMembers.set(req.groupInstanceId, memberId);
    if (group.leaderId === null) group.leaderId = memberId;
    if (group.protocolType === null) group.protocolType = req.protocolType;
    if (group.initialDelay) group.initialDelay.newMemberAdded = true;
    this.emit({ type: 'group-member-joined', message: `Group ${group.groupId}: member ${memberId}${req.groupInstanceId ? ` (static, ${req.groupInstanceId})` : ''} joined.`, data: { groupId: group.groupId, memberId, groupInstanceId: req.groupInstanceId } });
    this.maybePrepareRebalance(step, group, nowMs, `member ${memberId} joined`);
    this.tryCompleteJoin(step, group, nowMs);
    return null;
  }

  private updateMemberAndRebalance(step: Step, group: ClassicGroup, member: ClassicMember, req: JoinGroupRequest, nowMs: number, replyTo: string): null {
    member.protocols = req.protocols;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.awaitingJoin = { replyTo };
    member.heartbeatDeadlineMs = nowMs + member.sessionTimeoutMs;
    this.maybePrepareRebalance(step, group, nowMs, `member ${member.memberId} rejoined${req.reason ? ` (${req.reason})` : ''}`);
    this.tryCompleteJoin(step, group, nowMs);
    return null;
  }

  /**
   * KIP-345: a known group.instance.id joins with a new member id (the process restarted).
   * The new id takes the old one's place; the old id is fenced. In a Stable group whose
   * protocol metadata did not change this costs no rebalance: the member gets its old
   * assignment back through SyncGroup.
   */
  private replaceStaticMember(step: Step, group: ClassicGroup, oldMemberId: string, newMemberId: string, req: JoinGroupRequest, nowMs: number, replyTo: string): JoinGroupResponse | null {
    const old = group.members.get(oldMemberId);
    assert(old, 'a static member id maps to a member of the group');
    this.fenceHeldRequests(step, old);
    const unchanged = sameProtocols(old.protocols, req.protocols);
    const replacement: ClassicMember = {
      ...old,
      memberId: newMemberId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocols: req.protocols,
      awaitingJoin: null,
      awaitingSync: null,
      heartbeatDeadlineMs: nowMs + req.sessionTimeoutMs,
    };
    replaceInOrder(group.members, oldMemberId, replacement);
    group.staticMembers.set(req.groupInstanceId!, newMemberId);
    if (group.leaderId === oldMemberId) group.leaderId = newMemberId;
    this.emit({ type: 'group-static-member-replaced', message: `Group ${group.groupId}: static member ${req.groupInstanceId} came back as ${newMemberId}; the old id ${oldMemberId} is now fenced.`, data: { groupId: group.groupId, groupInstanceId: req.groupInstanceId, oldMemberId, newMemberId } });
    if (group.state === 'Stable' && unchanged && selectProtocol(group) === group.protocolName) {
      step.append({ key: { type: 'GroupMetadataKey', group: group.groupId }, value: groupMetadataValue(group, nowMs) });
      this.emit({ type: 'group-static-rejoin-no-rebalance', message: `Group ${group.groupId}: ${req.groupInstanceId} rejoined with unchanged metadata, so the group stays Stable at generation ${group.generationId} without a rebalance (KIP-345).`, data: { groupId: group.groupId, generationId: group.generationId } });
      return { ...joinResponseFor(group, replacement), skipAssignment: group.leaderId === newMemberId };
    }
    replacement.awaitingJoin = { replyTo };
    this.maybePrepareRebalance(step, group, nowMs, `static member ${req.groupInstanceId} rejoined with new metadata`);
    this.tryCompleteJoin(step, group, nowMs);
    return null;
  }

  private isStaticMemberFenced(group: ClassicGroup, groupInstanceId: string | null, memberId: string): boolean {
    if (groupInstanceId === null) return false;
    const current = group.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  /** Answers a replaced or removed member's held requests, so no connection waits forever. */
  private fenceHeldRequests(step: Step, member: ClassicMember, error: ErrorName = 'FENCED_INSTANCE_ID'): void {
    if (member.awaitingJoin) step.deliver.push({ api: 'JoinGroup', replyTo: member.awaitingJoin.replyTo, response: joinError(member.memberId, error) });
    if (member.awaitingSync) step.deliver.push({ api: 'SyncGroup', replyTo: member.awaitingSync.replyTo, response: syncError(error) });
    member.awaitingJoin = null;
    member.awaitingSync = null;
  }

  // ---------------------------------------------------------------- rebalance

  private maybePrepareRebalance(step: Step, group: ClassicGroup, nowMs: number, reason: string): void {
    if (group.state === 'Stable' || group.state === 'CompletingRebalance' || group.state === 'Empty') {
      this.prepareRebalance(step, group, nowMs, reason);
    }
  }

  private prepareRebalance(step: Step, group: ClassicGroup, nowMs: number, reason: string): void {
    if (group.state === 'CompletingRebalance') {
      // Members waiting for the old generation's assignment must rejoin instead.
      for (const m of group.members.values()) {
        m.assignment = emptyBytes;
        if (m.awaitingSync) step.deliver.push({ api: 'SyncGroup', replyTo: m.awaitingSync.replyTo, response: syncError('REBALANCE_IN_PROGRESS') });
        m.awaitingSync = null;
      }
    }
    const rebalanceTimeoutMs = groupRebalanceTimeoutMs(group);
    if (group.state === 'Empty') {
      // KIP-134: wait a little for more members, so a group starting up rebalances once, not N times.
      const delayMs = this.config.groupInitialRebalanceDelayMs;
      group.initialDelay = { delayMs, remainingMs: Math.max(rebalanceTimeoutMs - delayMs, 0), newMemberAdded: false };
      group.joinDeadlineMs = nowMs + delayMs;
    } else {
      group.initialDelay = null;
      group.joinDeadlineMs = nowMs + rebalanceTimeoutMs;
    }
    const from = group.state;
    group.state = 'PreparingRebalance';
    group.syncDeadlineMs = null;
    group.currentStateTimestampMs = nowMs;
    this.emit({ type: 'group-rebalance-started', message: `Group ${group.groupId} is rebalancing (${reason}): ${from} → PreparingRebalance; members have until ${group.joinDeadlineMs} ms to rejoin.`, data: { groupId: group.groupId, from, reason, generationId: group.generationId, joinDeadlineMs: group.joinDeadlineMs } });
  }

  /** Completes the join phase early once every known member has rejoined. */
  private tryCompleteJoin(step: Step, group: ClassicGroup, nowMs: number): void {
    if (group.state !== 'PreparingRebalance' || group.initialDelay !== null) return;
    if (hasAllMembersJoined(group)) this.completeJoin(step, group, nowMs);
  }

  private completeJoin(step: Step, group: ClassicGroup, nowMs: number): void {
    for (const m of [...group.members.values()]) {
      if (!m.awaitingJoin) this.removeMember(step, group, m, 'did not rejoin before the rebalance timeout');
    }
    group.initialDelay = null;
    group.joinDeadlineMs = null;
    group.generationId += 1;
    group.currentStateTimestampMs = nowMs;
    if (group.members.size === 0) {
      group.protocolName = null;
      group.leaderId = null;
      step.append({ key: { type: 'GroupMetadataKey', group: group.groupId }, value: groupMetadataValue(group, nowMs) });
      this.emit({ type: 'group-state-changed', message: `Group ${group.groupId} has no members left: Empty at generation ${group.generationId}.`, data: { groupId: group.groupId, state: 'Empty', generationId: group.generationId } });
      return;
    }
    group.protocolName = selectProtocol(group);
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value ?? null;
    group.state = 'CompletingRebalance';
    group.syncDeadlineMs = nowMs + groupRebalanceTimeoutMs(group);
    for (const m of group.members.values()) {
      const replyTo = m.awaitingJoin!.replyTo;
      m.awaitingJoin = null;
      m.isNew = false;
      m.heartbeatDeadlineMs = nowMs + m.sessionTimeoutMs;
      step.deliver.push({ api: 'JoinGroup', replyTo, response: joinResponseFor(group, m) });
    }
    this.emit({ type: 'group-join-completed', message: `Group ${group.groupId} generation ${group.generationId}: ${group.members.size} member(s), protocol ${group.protocolName}, leader ${group.leaderId}; waiting for the leader's assignment.`, data: { groupId: group.groupId, generationId: group.generationId, protocolName: group.protocolName, leaderId: group.leaderId, members: [...group.members.keys()] } });
  }

  private removeMember(step: Step, group: ClassicGroup, member: ClassicMember, why: string): void {
    this.fenceHeldRequests(step, member, 'UNKNOWN_MEMBER_ID');
    group.members.delete(member.memberId);
    if (member.groupInstanceId !== null && group.staticMembers.get(member.groupInstanceId) === member.memberId) {
      group.staticMembers.delete(member.groupInstanceId);
    }
    if (group.leaderId === member.memberId) group.leaderId = group.members.keys().next().value ?? null;
    this.emit({ type: 'group-member-removed', message: `Group ${group.groupId}: member ${member.memberId} removed (${why}).`, data: { groupId: group.groupId, memberId: member.memberId, reason: why } });
  }

  /** After members leave or expire: rebalance, or finish a join that was only waiting for them. */
  private onMembersLeft(step: Step, group: ClassicGroup, nowMs: number, reason: string): void {
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(step, group, nowMs, reason);
    this.tryCompleteJoin(step, group, nowMs);
  }

  // ---------------------------------------------------------------- SyncGroup

  syncGroup(req: SyncGroupRequest, nowMs: number, replyTo: string = req.memberId): GroupResult<SyncGroupResponse> {
    this.tick(nowMs);
    const step = new Step(this);
    const group = this.groups.get(req.groupId);
    if (!group) return step.result(syncError('UNKNOWN_MEMBER_ID'));
    if (this.isStaticMemberFenced(group, req.groupInstanceId, req.memberId)) return step.result(syncError('FENCED_INSTANCE_ID'));
    const member = group.members.get(req.memberId);
    if (!member) return step.result(syncError('UNKNOWN_MEMBER_ID'));
    if (req.generationId !== group.generationId) return step.result(syncError('ILLEGAL_GENERATION'));
    const typeMismatch = req.protocolType != null && req.protocolType !== group.protocolType;
    if (typeMismatch || (req.protocolName != null && req.protocolName !== group.protocolName)) {
      return step.result(syncError('INCONSISTENT_GROUP_PROTOCOL'));
    }
    member.heartbeatDeadlineMs = nowMs + member.sessionTimeoutMs;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return step.result(syncError('UNKNOWN_MEMBER_ID'));
      case 'PreparingRebalance':
        return step.result(syncError('REBALANCE_IN_PROGRESS'));
      case 'Stable':
        return step.result(syncResponse(group, member.assignment));
      case 'CompletingRebalance':
        member.awaitingSync = { replyTo };
        if (group.leaderId === member.memberId) this.completeSync(step, group, req, nowMs);
        return claimOwnDelivery<SyncGroupResponse>(step, null, 'SyncGroup', replyTo);
    }
  }

  /** The leader's assignment arrived: persist it (replay makes the group Stable) and answer everyone waiting. */
  private completeSync(step: Step, group: ClassicGroup, req: SyncGroupRequest, nowMs: number): void {
    const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of group.members.values()) m.assignment = given.get(m.memberId) ?? emptyBytes;
    step.append({ key: { type: 'GroupMetadataKey', group: group.groupId }, value: groupMetadataValue(group, nowMs) });
    assert(group.state === 'Stable', 'replaying the group metadata of a group with members makes it Stable');
    for (const m of group.members.values()) {
      if (!m.awaitingSync) continue;
      step.deliver.push({ api: 'SyncGroup', replyTo: m.awaitingSync.replyTo, response: syncResponse(group, m.assignment) });
      m.awaitingSync = null;
    }
    this.emit({ type: 'group-assignment-completed', message: `Group ${group.groupId} generation ${group.generationId} is Stable: the leader's assignment went to ${group.members.size} member(s).`, data: { groupId: group.groupId, generationId: group.generationId, assignmentBytes: Object.fromEntries([...group.members.values()].map((m) => [m.memberId, m.assignment.length])) } });
  }

  // ---------------------------------------------------------------- Heartbeat / LeaveGroup

  heartbeat(req: HeartbeatRequest, nowMs: number): GroupResult<HeartbeatResponse> {
    this.tick(nowMs);
    const step = new Step(this);
    const group = this.groups.get(req.groupId);
    if (!group) return step.result({ error: 'UNKNOWN_MEMBER_ID' });
    if (this.isStaticMemberFenced(group, req.groupInstanceId, req.memberId)) return step.result({ error: 'FENCED_INSTANCE_ID' });
    const member = group.members.get(req.memberId);
    if (!member || group.state === 'Empty' || group.state === 'Dead') return step.result({ error: 'UNKNOWN_MEMBER_ID' });
    if (req.generationId !== group.generationId) return step.result({ error: 'ILLEGAL_GENERATION' });
    member.heartbeatDeadlineMs = nowMs + member.sessionTimeoutMs;
    return step.result({ error: group.state === 'PreparingRebalance' ? 'REBALANCE_IN_PROGRESS' : 'NONE' });
  }

  leaveGroup(req: LeaveGroupRequest, nowMs: number): GroupResult<LeaveGroupResponse> {
    this.tick(nowMs);
    const step = new Step(this);
    const group = this.groups.get(req.groupId);
    if (!group) return step.result({ error: 'UNKNOWN_MEMBER_ID', members: [] });
    let removed = 0;
    const members = req.members.map((identity) => {
      const error = this.leaveOne(step, group, identity.memberId, identity.groupInstanceId, identity.reason);
      if (error === 'NONE') removed++;
      return { memberId: identity.memberId, groupInstanceId: identity.groupInstanceId, error };
    });
    if (removed > 0) this.onMembersLeft(step, group, nowMs, `${removed} member(s) left`);
    return step.result({ error: 'NONE', members });
  }

  private leaveOne(step: Step, group: ClassicGroup, memberId: string, groupInstanceId: string | null, reason: string | undefined): ErrorName {
    let id = memberId;
    if (groupInstanceId !== null) {
      const current = group.staticMembers.get(groupInstanceId);
      if (current === undefined) return 'UNKNOWN_MEMBER_ID';
      if (memberId !== '' && memberId !== current) return 'FENCED_INSTANCE_ID';
      id = current;
    } else if (group.pendingMembers.delete(memberId)) {
      return 'NONE';
    }
    const member = group.members.get(id);
    if (!member) return 'UNKNOWN_MEMBER_ID';
    this.removeMember(step, group, member, `left the group${reason ? `: ${reason}` : ''}`);
    return 'NONE';
  }

  // ---------------------------------------------------------------- offsets

  offsetCommit(req: OffsetCommitRequest, nowMs: number): GroupResult<OffsetCommitResponse> {
    this.tick(nowMs);
    const step = new Step(this);
    const groupError = this.validateOffsetCommit(req, nowMs);
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (groupError !== 'NONE') return { partitionIndex: p.partitionIndex, error: groupError };
        const metadata = p.committedMetadata ?? '';
        if (metadata.length > this.config.offsetMetadataMaxBytes) return { partitionIndex: p.partitionIndex, error: 'OFFSET_METADATA_TOO_LARGE' as ErrorName };
        step.append({
          key: { type: 'OffsetCommitKey', group: req.groupId, topic: t.name, partition: p.partitionIndex },
          value: { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch ?? -1, metadata, commitTimestamp: nowMs, expireTimestamp: -1 },
        });
        return { partitionIndex: p.partitionIndex, error: 'NONE' as ErrorName };
      }),
    }));
    if (groupError === 'NONE' && step.records.length > 0) {
      this.emit({ type: 'offset-committed', message: `Group ${req.groupId} committed ${step.records.length} offset(s): ${req.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}@${p.committedOffset}`)).join(', ')}.`, data: { groupId: req.groupId, memberId: req.memberId, generationId: req.generationIdOrMemberEpoch, offsets: req.topics } });
    } else if (groupError !== 'NONE') {
      this.emit({ type: 'offset-commit-rejected', message: `Group ${req.groupId}: commit from ${req.memberId || 'a groupless consumer'} (generation ${req.generationIdOrMemberEpoch}) rejected with ${groupError}.`, data: { groupId: req.groupId, memberId: req.memberId, error: groupError } });
    }
    return step.result({ topics });
  }

  /** Kafka's commit validation: simple commits need an empty group; members need the current generation. */
  private validateOffsetCommit(req: { groupId: string; generationIdOrMemberEpoch: number; memberId: string; groupInstanceId: string | null }, nowMs: number): ErrorName {
    if (req.groupId === '') return 'INVALID_GROUP_ID';
    if (this.consumerGroups.has(req.groupId)) return this.consumerGroups.validateOffsetCommit(req.groupId, req.memberId, req.generationIdOrMemberEpoch);
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.generationIdOrMemberEpoch >= 0) return 'ILLEGAL_GENERATION';
      group = newClassicGroup(req.groupId, nowMs);
      this.groups.set(req.groupId, group);
    }
    if (req.generationIdOrMemberEpoch < 0 && group.state === 'Empty') return 'NONE';
    if (this.isStaticMemberFenced(group, req.groupInstanceId, req.memberId)) return 'FENCED_INSTANCE_ID';
    const member = group.members.get(req.memberId);
    if (!member || group.state === 'Dead') return 'UNKNOWN_MEMBER_ID';
    if (req.generationIdOrMemberEpoch !== group.generationId) return 'ILLEGAL_GENERATION';
    // Between JoinGroup and SyncGroup the member does not know its assignment yet.
    if (group.state === 'CompletingRebalance') return 'REBALANCE_IN_PROGRESS';
    member.heartbeatDeadlineMs = nowMs + member.sessionTimeoutMs;
    return 'NONE';
  }

  /**
   * TxnOffsetCommit (KIP-98; generation checks from KIP-447). The offsets are written in the
   * producer's transaction and stay pending until the marker for `producerId` arrives. The
   * producer epoch is checked by the partition's ProducerStateManager when the host appends
   * the transactional batch, as in Kafka.
   */
  txnOffsetCommit(req: TxnOffsetCommitRequest, nowMs: number): GroupResult<OffsetCommitResponse> {
    this.tick(nowMs);
    const step = new Step(this);
    const member = req.memberId === '' && req.generationId < 0 ? 'NONE' : this.validateOffsetCommit({ ...req, generationIdOrMemberEpoch: req.generationId }, nowMs);
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (member !== 'NONE') return { partitionIndex: p.partitionIndex, error: member };
        step.append({
          key: { type: 'OffsetCommitKey', group: req.groupId, topic: t.name, partition: p.partitionIndex },
          value: { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch ?? -1, metadata: p.committedMetadata ?? '', commitTimestamp: nowMs, expireTimestamp: -1 },
          producerId: req.producerId,
        });
        return { partitionIndex: p.partitionIndex, error: 'NONE' as ErrorName };
      }),
    }));
    if (member === 'NONE') this.emit({ type: 'txn-offset-commit-pending', message: `Group ${req.groupId}: offsets from transaction ${req.transactionalId} (producer ${req.producerId}) are pending until its marker arrives.`, data: { groupId: req.groupId, transactionalId: req.transactionalId, producerId: req.producerId } });
    return step.result({ topics });
  }

  offsetFetch(req: OffsetFetchRequest, nowMs: number): OffsetFetchResponse {
    this.tick(nowMs);
    const requested = req.topics ?? groupTopics(this.offsets.all(req.groupId));
    const topics = requested.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p): OffsetFetchPartition => {
        if (req.requireStable && this.offsets.hasPending(req.groupId, t.name, p)) {
          return { partitionIndex: p, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, error: 'UNSTABLE_OFFSET_COMMIT' };
        }
        const o = this.offsets.get(req.groupId, t.name, p);
        return { partitionIndex: p, committedOffset: o?.value.offset ?? -1, committedLeaderEpoch: o?.value.leaderEpoch ?? -1, metadata: o ? o.value.metadata : '', error: 'NONE' };
      }),
    }));
    return { error: 'NONE', topics };
  }

  // ---------------------------------------------------------------- admin

  describeGroups(groupIds: readonly string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      if (this.consumerGroups.has(groupId)) return this.consumerGroups.describe(groupId);
      const group = this.groups.get(groupId);
      if (!group) return { error: 'NONE', groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
      // Kafka shows member metadata and assignments only once a protocol is chosen and stable.
      const showDetails = group.state === 'Stable';
      return {
        error: 'NONE',
        groupId,
        groupState: group.state,
        protocolType: group.protocolType ?? '',
        protocolData: group.state === 'Stable' ? group.protocolName ?? '' : '',
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: showDetails ? metadataFor(m, group.protocolName) : emptyBytes,
          memberAssignment: showDetails ? m.assignment : emptyBytes,
        })),
      };
    });
  }

  listGroups(statesFilter: readonly string[] = []): ListedGroup[] {
    const filter = new Set(statesFilter.map((s) => s.toLowerCase()));
    const all: ListedGroup[] = [
      ...[...this.groups.values()].map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state, groupType: 'classic' })),
      ...this.consumerGroups.list(),
    ];
    return all.filter((g) => filter.size === 0 || filter.has(g.groupState.toLowerCase())).sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  }

  /** DeleteGroups: only empty groups; writes tombstones for the group and all its offsets. */
  deleteGroups(groupIds: readonly string[], nowMs: number): GroupResult<DeleteGroupsResult[]> {
    this.tick(nowMs);
    const step = new Step(this);
    const results = groupIds.map((groupId): DeleteGroupsResult => {
      if (this.consumerGroups.has(groupId)) {
        const error = this.consumerGroups.delete(groupId, (r) => step.append(r));
        if (error === 'NONE') this.deleteOffsets(step, groupId);
        return { groupId, error };
      }
      const group = this.groups.get(groupId);
      if (!group && this.offsets.all(groupId).length === 0) return { groupId, error: 'GROUP_ID_NOT_FOUND' };
      if (group && group.state !== 'Empty' && group.state !== 'Dead') return { groupId, error: 'NON_EMPTY_GROUP' };
      this.deleteOffsets(step, groupId);
      step.append({ key: { type: 'GroupMetadataKey', group: groupId }, value: null });
      this.emit({ type: 'group-deleted', message: `Group ${groupId} deleted with its committed offsets.`, data: { groupId } });
      return { groupId, error: 'NONE' };
    });
    return step.result(results);
  }

  /**
   * OffsetDelete (KIP-496): tombstones for the asked partitions' committed offsets, except
   * those of topics the group's members subscribe to (GROUP_SUBSCRIBED_TO_TOPIC). An unknown
   * or Dead group is GROUP_ID_NOT_FOUND; a classic group of another protocol type may lose
   * offsets only while Empty (NON_EMPTY_GROUP), as in Kafka's OffsetMetadataManager.
   */
  offsetDelete(req: OffsetDeleteRequest, nowMs: number): GroupResult<OffsetDeleteResponse> {
    this.tick(nowMs);
    const step = new Step(this);
    const subscribed = this.subscribedTopics(req.groupId);
    if (typeof subscribed === 'string') return step.result(offsetDeleteError(req, subscribed));
    const deleted: string[] = [];
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        if (subscribed.has(t.name)) return { partitionIndex, error: 'GROUP_SUBSCRIBED_TO_TOPIC' as ErrorName };
        if (this.offsets.get(req.groupId, t.name, partitionIndex) !== undefined) {
          step.append({ key: { type: 'OffsetCommitKey', group: req.groupId, topic: t.name, partition: partitionIndex }, value: null });
          deleted.push(`${t.name}-${partitionIndex}`);
        }
        return { partitionIndex, error: 'NONE' as ErrorName };
      }),
    }));
    if (deleted.length > 0) this.emit({ type: 'group-offsets-deleted', message: `Group ${req.groupId}: committed offsets of ${deleted.join(', ')} deleted.`, data: { groupId: req.groupId, partitions: deleted.join(',') } });
    return step.result({ error: 'NONE', topics });
  }

  /** The topics a group's members subscribe to, or the error that refuses OffsetDelete for the whole group. */
  private subscribedTopics(groupId: string): Set<string> | ErrorName {
    if (this.consumerGroups.has(groupId)) return this.consumerGroups.subscribedTopics(groupId);
    const group = this.groups.get(groupId);
    if (!group || group.state === 'Dead') return this.offsets.all(groupId).length > 0 ? new Set() : 'GROUP_ID_NOT_FOUND';
    if (group.protocolType !== 'consumer') return group.state === 'Empty' ? new Set() : 'NON_EMPTY_GROUP';
    const topics = new Set<string>();
    for (const member of group.members.values()) {
      for (const protocol of member.protocols) {
        try {
          for (const topic of decodeSubscription(protocol.metadata).topics) topics.add(topic);
        } catch {
          // Metadata that is not a consumer subscription names no topic.
        }
      }
    }
    return topics;
  }

  private deleteOffsets(step: Step, groupId: string): void {
    for (const o of this.offsets.all(groupId)) {
      step.append({ key: { type: 'OffsetCommitKey', group: groupId, topic: o.topic, partition: o.partition }, value: null });
    }
  }

  // ---------------------------------------------------------------- KIP-848

  consumerGroupHeartbeat(req: ConsumerGroupHeartbeatRequest, topics: TopicMetadataView, nowMs: number): GroupResult<ConsumerGroupHeartbeatResponse> {
    this.tick(nowMs);
    const step = new Step(this);
    if (this.groups.get(req.groupId)?.members.size) {
      return step.result({ error: 'GROUP_ID_NOT_FOUND', errorMessage: `Group ${req.groupId} is a classic group with members.`, memberId: req.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null });
    }
    const response = this.consumerGroups.heartbeat(req, topics, nowMs, (r) => step.append(r));
    return step.result(response);
  }

  // ---------------------------------------------------------------- timers

  /** The earliest time `onTimer` has work to do, or null. */
  nextDeadlineMs(): number | null {
    let next = this.nextRetentionCheckMs ?? Number.POSITIVE_INFINITY;
    for (const g of this.groups.values()) {
      if (g.joinDeadlineMs !== null) next = Math.min(next, g.joinDeadlineMs);
      if (g.syncDeadlineMs !== null) next = Math.min(next, g.syncDeadlineMs);
      for (const d of g.pendingMembers.values()) next = Math.min(next, d);
      for (const m of g.members.values()) if (!m.awaitingJoin && !m.awaitingSync) next = Math.min(next, m.heartbeatDeadlineMs);
    }
    next = Math.min(next, this.consumerGroups.nextDeadlineMs() ?? Number.POSITIVE_INFINITY);
    return Number.isFinite(next) ? next : null;
  }

  /** Fires every deadline due at `nowMs`: session expiry, join and sync timeouts, offset retention. */
  onTimer(nowMs: number): TimerResult {
    this.tick(nowMs);
    const step = new Step(this);
    for (const group of [...this.groups.values()]) {
      this.expirePendingMembers(step, group, nowMs);
      this.expireSessions(step, group, nowMs);
      if (group.joinDeadlineMs !== null && nowMs >= group.joinDeadlineMs) this.onJoinDeadline(step, group, nowMs);
      if (group.syncDeadlineMs !== null && nowMs >= group.syncDeadlineMs && group.state === 'CompletingRebalance') this.onSyncDeadline(step, group, nowMs);
    }
    this.consumerGroups.onTimer(nowMs, (r) => step.append(r));
    if (this.nextRetentionCheckMs === null) this.nextRetentionCheckMs = nowMs + this.config.offsetsRetentionCheckIntervalMs;
    if (nowMs >= this.nextRetentionCheckMs) {
      this.expireOffsets(step, nowMs);
      this.nextRetentionCheckMs = nowMs + this.config.offsetsRetentionCheckIntervalMs;
    }
    return { records: step.records, deliver: step.deliver };
  }

  private expirePendingMembers(step: Step, group: ClassicGroup, nowMs: number): void {
    let expired = false;
    for (const [memberId, deadline] of group.pendingMembers) {
      if (nowMs >= deadline) {
        group.pendingMembers.delete(memberId);
        expired = true;
      }
    }
    if (expired) this.tryCompleteJoin(step, group, nowMs);
  }

  private expireSessions(step: Step, group: ClassicGroup, nowMs: number): void {
    const expired = [...group.members.values()].filter((m) => !m.awaitingJoin && !m.awaitingSync && nowMs >= m.heartbeatDeadlineMs);
    for (const m of expired) {
      this.emit({ type: 'group-heartbeat-expired', message: `Group ${group.groupId}: no heartbeat from ${m.memberId} for ${m.sessionTimeoutMs} ms (session.timeout.ms); removing it.`, data: { groupId: group.groupId, memberId: m.memberId, sessionTimeoutMs: m.sessionTimeoutMs } });
      this.removeMember(step, group, m, 'session timeout expired');
    }
    if (expired.length > 0) this.onMembersLeft(step, group, nowMs, `${expired.length} member(s) timed out`);
  }

  private onJoinDeadline(step: Step, group: ClassicGroup, nowMs: number): void {
    const delay = group.initialDelay;
    if (delay && delay.newMemberAdded && delay.remainingMs > 0) {
      // KIP-134: members are still arriving; wait another slice, up to the rebalance timeout.
      const nextDelayMs = Math.min(delay.delayMs, delay.remainingMs);
      group.initialDelay = { delayMs: delay.delayMs, remainingMs: Math.max(delay.remainingMs - nextDelayMs, 0), newMemberAdded: false };
      group.joinDeadlineMs = nowMs + nextDelayMs;
      return;
    }
    this.completeJoin(step, group, nowMs);
  }

  private onSyncDeadline(step: Step, group: ClassicGroup, nowMs: number): void {
    for (const m of [...group.members.values()]) {
      if (!m.awaitingSync) this.removeMember(step, group, m, 'did not send SyncGroup before the rebalance timeout');
    }
    this.prepareRebalance(step, group, nowMs, 'members missed the SyncGroup deadline');
    this.tryCompleteJoin(step, group, nowMs);
  }

  /** KIP-211: offsets expire after offsets.retention.minutes counted from when the group became empty. */
  private expireOffsets(step: Step, nowMs: number): void {
    for (const groupId of this.offsets.groups()) {
      if (this.consumerGroups.has(groupId) && !this.consumerGroups.isEmpty(groupId)) continue;
      const group = this.groups.get(groupId);
      if (group && group.state !== 'Empty') continue;
      const base = (o: StoredOffset): number => (group?.protocolType ? group.currentStateTimestampMs : o.value.commitTimestamp);
      const expired = this.offsets.expired(groupId, nowMs, this.config.offsetsRetentionMs, base);
      for (const o of expired) step.append({ key: { type: 'OffsetCommitKey', group: groupId, topic: o.topic, partition: o.partition }, value: null });
      if (expired.length > 0) this.emit({ type: 'offsets-expired', message: `Group ${groupId}: ${expired.length} committed offset(s) expired after offsets.retention.minutes.`, data: { groupId, partitions: expired.map((o) => `${o.topic}-${o.partition}`) } });
    }
    for (const group of [...this.groups.values()]) {
      if (group.state === 'Empty' && this.offsets.all(group.groupId).length === 0 && !this.offsets.hasAnyPending(group.groupId)) {
        step.append({ key: { type: 'GroupMetadataKey', group: group.groupId }, value: null });
        this.emit({ type: 'group-deleted', message: `Group ${group.groupId} is empty and has no offsets left, so it is removed.`, data: { groupId: group.groupId } });
      }
    }
  }

  // ---------------------------------------------------------------- views

  /** Read-only view of a classic group, for visualisations and tests. */
  group(groupId: string): Readonly<ClassicGroup> | undefined {
    return this.groups.get(groupId);
  }

  groupIds(): string[] {
    return [...this.groups.keys()].sort();
  }

  private tick(nowMs: number): void {
    assert(nowMs >= this.replayNowMs, 'time never moves backwards for a coordinator');
    this.replayNowMs = nowMs;
  }
}

function joinError(memberId: string, error: ErrorName): JoinGroupResponse {
  return { error, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}

function syncError(error: ErrorName): SyncGroupResponse {
  return { error, protocolType: null, protocolName: null, assignment: emptyBytes };
}

function syncResponse(group: ClassicGroup, assignment: Uint8Array): SyncGroupResponse {
  return { error: 'NONE', protocolType: group.protocolType, protocolName: group.protocolName, assignment };
}

/** The JoinGroup answer for the current generation: the leader gets everyone's metadata. */
function joinResponseFor(group: ClassicGroup, member: ClassicMember): JoinGroupResponse {
  const isLeader = group.leaderId === member.memberId;
  return {
    error: 'NONE',
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leader: group.leaderId ?? '',
    skipAssignment: false,
    memberId: member.memberId,
    members: isLeader
      ? [...group.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: metadataFor(m, group.protocolName) }))
      : [],
  };
}

/** When the caller's own held request completed within the same step, answer it directly. */
function claimOwnDelivery<R extends JoinGroupResponse | SyncGroupResponse>(step: Step, response: R | null, api: Delivery['api'], replyTo: string): GroupResult<R> {
  if (response !== null) return step.result(response);
  const index = step.deliver.findIndex((d) => d.api === api && d.replyTo === replyTo);
  if (index < 0) return step.result<R>(null);
  const [own] = step.deliver.splice(index, 1);
  return step.result(own!.response as R);
}

function replaceInOrder<V>(map: Map<string, V>, oldKey: string, value: V & { memberId: string }): void {
  const entries = [...map.entries()].map(([k, v]): [string, V] => (k === oldKey ? [value.memberId, value] : [k, v]));
  map.clear();
  for (const [k, v] of entries) map.set(k, v);
}

function groupTopics(offsets: readonly StoredOffset[]): Array<{ name: string; partitionIndexes: number[] }> {
  const byTopic = new Map<string, number[]>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o.partition]);
  return [...byTopic.entries()].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
}

