/**
 * A classic (JoinGroup/SyncGroup) group as the coordinator holds it in memory.
 *
 * States: Empty → PreparingRebalance → CompletingRebalance → Stable, and Dead once the
 * group is deleted. Durable fields (generation, protocol, leader, members' assignments)
 * come from `GroupMetadataValue` records; the rest (who is waiting for a JoinGroup or
 * SyncGroup answer, heartbeat deadlines, pending member ids) is soft state that lives only
 * in memory, exactly as in Kafka, so a coordinator failover loses an in-flight rebalance
 * and members simply rejoin.
 */
import type { ClassicGroupState, JoinGroupProtocol } from './types';
import type { GroupMetadataValue, MemberMetadataValue } from './records';

export interface ClassicMember {
  readonly memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: readonly JoinGroupProtocol[];
  assignment: Uint8Array;
  /** Set while the member's JoinGroup is held; the host delivers to `replyTo`. */
  awaitingJoin: { replyTo: string } | null;
  awaitingSync: { replyTo: string } | null;
  /** True until the member's first join completes (KIP-394 gives new members longer to rejoin). */
  isNew: boolean;
  heartbeatDeadlineMs: number;
}

export interface ClassicGroup {
  readonly groupId: string;
  state: ClassicGroupState;
  protocolType: string | null;
  protocolName: string | null;
  generationId: number;
  leaderId: string | null;
  /** Insertion order matters: the first member to join becomes leader when needed. */
  readonly members: Map<string, ClassicMember>;
  /** group.instance.id → member id (KIP-345). */
  readonly staticMembers: Map<string, string>;
  /** Member ids handed out with MEMBER_ID_REQUIRED, with the time they expire (KIP-394). */
  readonly pendingMembers: Map<string, number>;
  currentStateTimestampMs: number;
  /** When the held JoinGroups complete at the latest (rebalance timeout or initial delay). */
  joinDeadlineMs: number | null;
  /** group.initial.rebalance.delay.ms bookkeeping for a group that starts from Empty. */
  initialDelay: { delayMs: number; remainingMs: number; newMemberAdded: boolean } | null;
  /** Members must send SyncGroup before this time once the join phase has completed. */
  syncDeadlineMs: number | null;
}

export function newClassicGroup(groupId: string, nowMs: number): ClassicGroup {
  return {
    groupId,
    state: 'Empty',
    protocolType: null,
    protocolName: null,
    generationId: 0,
    leaderId: null,
    members: new Map(),
    staticMembers: new Map(),
    pendingMembers: new Map(),
    currentStateTimestampMs: nowMs,
    joinDeadlineMs: null,
    initialDelay: null,
    syncDeadlineMs: null,
  };
}

/** The rebalance timeout of the group: the largest any member asked for. */
export function groupRebalanceTimeoutMs(group: ClassicGroup): number {
  let max = 0;
  for (const m of group.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
  return max;
}

/** Protocols every member lists, in the order the first member prefers them. */
export function candidateProtocols(group: ClassicGroup): string[] {
  const members = [...group.members.values()];
  const first = members[0];
  if (!first) return [];
  return first.protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
}

/**
 * Kafka's `selectProtocol`: among protocols every member supports, each member votes for
 * the first one in its own preference order, and the most votes win. Ties go to the
 * protocol the first member prefers, so the choice is deterministic.
 */
export function selectProtocol(group: ClassicGroup): string | null {
  const candidates = candidateProtocols(group);
  if (candidates.length === 0) return null;
  const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
  for (const m of group.members.values()) {
    const choice = m.protocols.find((p) => votes.has(p.name));
    if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
  }
  let best = candidates[0]!;
  for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
  return best;
}

/** Whether a joining member can share a protocol with the group as it stands. */
export function supportsProtocols(group: ClassicGroup, protocolType: string, protocols: readonly JoinGroupProtocol[]): boolean {
  if (group.members.size === 0) return protocolType.length > 0 && protocols.length > 0;
  if (group.protocolType !== protocolType) return false;
  const candidates = candidateProtocols(group);
  return protocols.some((p) => candidates.includes(p.name));
}

export function metadataFor(member: ClassicMember, protocol: string | null): Uint8Array {
  return member.protocols.find((p) => p.name === protocol)?.metadata ?? new Uint8Array(0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when a rejoining member lists the same protocols with the same metadata. */
export function sameProtocols(a: readonly JoinGroupProtocol[], b: readonly JoinGroupProtocol[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && sameBytes(p.metadata, b[i]!.metadata));
}

export function hasAllMembersJoined(group: ClassicGroup): boolean {
  for (const m of group.members.values()) if (!m.awaitingJoin) return false;
  return group.pendingMembers.size === 0;
}

/** The durable snapshot Kafka writes as `GroupMetadataValue`. */
export function groupMetadataValue(group: ClassicGroup, nowMs: number): GroupMetadataValue {
  const members: MemberMetadataValue[] = [...group.members.values()].map((m) => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    clientId: m.clientId,
    clientHost: m.clientHost,
    rebalanceTimeout: m.rebalanceTimeoutMs,
    sessionTimeout: m.sessionTimeoutMs,
    subscription: metadataFor(m, group.protocolName),
    assignment: m.assignment,
  }));
  return {
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol: group.protocolName,
    leader: group.leaderId,
    currentStateTimestamp: nowMs,
    members,
  };
}

/** A member rebuilt from a `MemberMetadataValue`, keeping soft state if it is already known. */
export function memberFromRecord(value: MemberMetadataValue, protocolType: string, protocol: string | null, existing: ClassicMember | undefined): ClassicMember {
  if (existing) {
    existing.assignment = value.assignment;
    existing.groupInstanceId = value.groupInstanceId;
    return existing;
  }
  return {
    memberId: value.memberId,
    groupInstanceId: value.groupInstanceId,
    clientId: value.clientId,
    clientHost: value.clientHost,
    rebalanceTimeoutMs: value.rebalanceTimeout,
    sessionTimeoutMs: value.sessionTimeout,
    protocolType,
    protocols: protocol === null ? [] : [{ name: protocol, metadata: value.subscription }],
    assignment: value.assignment,
    awaitingJoin: null,
    awaitingSync: null,
    isNew: false,
    // A loaded member gets a full session from the moment the coordinator finishes loading.
    heartbeatDeadlineMs: Number.POSITIVE_INFINITY,
  };
}
