/**
 * Request and response shapes of the group APIs the coordinator serves, written from
 * Kafka's message specs (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
 * OffsetFetch, DescribeGroups, ListGroups, DeleteGroups, ConsumerGroupHeartbeat) but
 * version-free: the wire layer maps versions onto these. Errors are Kafka error names;
 * the wire layer turns them into codes with `ErrorCode[name]`.
 */
import type { ErrorName } from '../errors';
import type { GroupCoordinatorRecord } from './records';

export type ClassicGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinGroupProtocol {
  readonly name: string;
  readonly metadata: Uint8Array;
}

export interface JoinGroupRequest {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  /** v0 has none: the wire layer passes sessionTimeoutMs, as Kafka does. */
  readonly rebalanceTimeoutMs: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  readonly protocols: readonly JoinGroupProtocol[];
  readonly clientId: string;
  readonly clientHost: string;
  /** The request's API version: v4+ makes an unknown member fetch an id first (MEMBER_ID_REQUIRED). */
  readonly version: number;
  readonly reason?: string;
}

export interface JoinGroupResponseMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Uint8Array;
}

export interface JoinGroupResponse {
  readonly error: ErrorName;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly skipAssignment: boolean;
  readonly memberId: string;
  /** Only the leader gets the members and their metadata; followers get an empty list. */
  readonly members: readonly JoinGroupResponseMember[];
}

export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType?: string | null;
  readonly protocolName?: string | null;
  /** Only the leader sends assignments. */
  readonly assignments: ReadonlyArray<{ readonly memberId: string; readonly assignment: Uint8Array }>;
}

export interface SyncGroupResponse {
  readonly error: ErrorName;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Uint8Array;
}

export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  readonly error: ErrorName;
}

export interface LeaveGroupRequest {
  readonly groupId: string;
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly groupInstanceId: string | null; readonly reason?: string }>;
}

export interface LeaveGroupResponse {
  readonly error: ErrorName;
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly groupInstanceId: string | null; readonly error: ErrorName }>;
}

export interface OffsetCommitRequest {
  readonly groupId: string;
  /** -1 for a consumer outside any group (a "simple" commit). KIP-848 groups pass the member epoch. */
  readonly generationIdOrMemberEpoch: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: ReadonlyArray<{
    readonly name: string;
    readonly partitions: ReadonlyArray<{
      readonly partitionIndex: number;
      readonly committedOffset: number;
      readonly committedLeaderEpoch?: number;
      readonly committedMetadata?: string | null;
    }>;
  }>;
}

export interface PartitionResult {
  readonly partitionIndex: number;
  readonly error: ErrorName;
}

export interface OffsetCommitResponse {
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly PartitionResult[] }>;
}

export interface OffsetFetchRequest {
  readonly groupId: string;
  /** null: every partition the group has an offset for. */
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitionIndexes: readonly number[] }> | null;
  /** KIP-447: answer UNSTABLE_OFFSET_COMMIT while a transactional commit is pending. */
  readonly requireStable?: boolean;
}

export interface OffsetFetchPartition {
  readonly partitionIndex: number;
  /** -1 when the group has no committed offset for the partition. */
  readonly committedOffset: number;
  readonly committedLeaderEpoch: number;
  readonly metadata: string | null;
  readonly error: ErrorName;
}

export interface OffsetFetchResponse {
  readonly error: ErrorName;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly OffsetFetchPartition[] }>;
}

export interface DescribedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberMetadata: Uint8Array;
  readonly memberAssignment: Uint8Array;
}

export interface DescribedGroup {
  readonly error: ErrorName;
  readonly groupId: string;
  /** Kafka's state names, plus KIP-848's for consumer groups (Assigning, Reconciling). */
  readonly groupState: string;
  readonly protocolType: string;
  readonly protocolData: string;
  readonly members: readonly DescribedMember[];
}

export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
  readonly groupState: string;
  /** 'classic' or 'consumer' (KIP-848). */
  readonly groupType: string;
}

export interface TxnOffsetCommitRequest {
  readonly transactionalId: string;
  readonly groupId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** -1 with an empty member id: the producer sent no group metadata (pre-KIP-447 clients). */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: OffsetCommitRequest['topics'];
}

export interface DeleteGroupsResult {
  readonly groupId: string;
  readonly error: ErrorName;
}

/** OffsetDelete (API key 47, KIP-496): drop a group's committed offsets for some partitions. */
export interface OffsetDeleteRequest {
  readonly groupId: string;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitionIndexes: readonly number[] }>;
}

export interface OffsetDeleteResponse {
  /** Group-level error; partition errors are in `topics`. */
  readonly error: ErrorName;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly error: ErrorName }> }>;
}

/** The answer when the whole request fails (wrong coordinator, unknown group, ...): every partition carries the error. */
export function offsetDeleteError(req: OffsetDeleteRequest, error: ErrorName): OffsetDeleteResponse {
  return { error, topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, error })) })) };
}

/** A response that had to wait (a held JoinGroup or SyncGroup), to be sent by the host. */
export type Delivery =
  | { readonly api: 'JoinGroup'; readonly replyTo: string; readonly response: JoinGroupResponse }
  | { readonly api: 'SyncGroup'; readonly replyTo: string; readonly response: SyncGroupResponse };

/**
 * What every command returns. `records` go to this coordinator's `__consumer_offsets`
 * partition (the coordinator has already replayed them, as Kafka's coordinator runtime
 * does); `response` is null when the request is held, and `deliver` carries responses of
 * earlier held requests that this step completed. The host sends responses only once
 * the records are committed.
 */
export interface GroupResult<R> {
  readonly records: readonly GroupCoordinatorRecord[];
  readonly response: R | null;
  readonly deliver: readonly Delivery[];
}

export interface TimerResult {
  readonly records: readonly GroupCoordinatorRecord[];
  readonly deliver: readonly Delivery[];
}

/** The broker settings the group coordinator reads, with Kafka's defaults. */
export interface GroupCoordinatorConfig {
  /** group.min.session.timeout.ms */
  readonly groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  readonly groupMaxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms */
  readonly groupInitialRebalanceDelayMs: number;
  /** group.max.size */
  readonly groupMaxSize: number;
  /** offsets.retention.minutes, in ms */
  readonly offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  readonly offsetsRetentionCheckIntervalMs: number;
  /** offset.metadata.max.bytes */
  readonly offsetMetadataMaxBytes: number;
  /** group.consumer.session.timeout.ms (KIP-848) */
  readonly groupConsumerSessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms (KIP-848) */
  readonly groupConsumerHeartbeatIntervalMs: number;
}

export const defaultGroupCoordinatorConfig: GroupCoordinatorConfig = Object.freeze({
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 3000,
  groupMaxSize: 2_147_483_647,
  offsetsRetentionMs: 10_080 * 60_000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetMetadataMaxBytes: 4096,
  groupConsumerSessionTimeoutMs: 45_000,
  groupConsumerHeartbeatIntervalMs: 5000,
});

/** Reads the coordinator settings from server.properties-style keys. */
export function groupCoordinatorConfigFrom(props: Readonly<Record<string, string | undefined>>): GroupCoordinatorConfig {
  const d = defaultGroupCoordinatorConfig;
  const num = (key: string, fallback: number): number => {
    const raw = props[key];
    const n = raw === undefined ? NaN : Number(raw);
    return Number.isFinite(n) ? n : fallback;
  };
  return {
    groupMinSessionTimeoutMs: num('group.min.session.timeout.ms', d.groupMinSessionTimeoutMs),
    groupMaxSessionTimeoutMs: num('group.max.session.timeout.ms', d.groupMaxSessionTimeoutMs),
    groupInitialRebalanceDelayMs: num('group.initial.rebalance.delay.ms', d.groupInitialRebalanceDelayMs),
    groupMaxSize: num('group.max.size', d.groupMaxSize),
    offsetsRetentionMs: num('offsets.retention.minutes', d.offsetsRetentionMs / 60_000) * 60_000,
    offsetsRetentionCheckIntervalMs: num('offsets.retention.check.interval.ms', d.offsetsRetentionCheckIntervalMs),
    offsetMetadataMaxBytes: num('offset.metadata.max.bytes', d.offsetMetadataMaxBytes),
    groupConsumerSessionTimeoutMs: num('group.consumer.session.timeout.ms', d.groupConsumerSessionTimeoutMs),
    groupConsumerHeartbeatIntervalMs: num('group.consumer.heartbeat.interval.ms', d.groupConsumerHeartbeatIntervalMs),
  };
}
