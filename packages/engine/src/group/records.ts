/**
 * The records the group coordinator writes to `__consumer_offsets`, named as Kafka names
 * them (`OffsetCommitKey`/`OffsetCommitValue`, `GroupMetadataKey`/`GroupMetadataValue`,
 * and the KIP-848 `ConsumerGroup*` records). A `null` value is a tombstone, which deletes
 * the key once the topic is compacted. Field names follow Kafka's generated classes.
 *
 * Deviation: records are typed objects, not Kafka's versioned binary key/value encoding.
 * The lab's `__consumer_offsets` stores these objects; a binary form can be added behind
 * the same types when real tools need to read the topic.
 */

export interface OffsetCommitKey {
  readonly type: 'OffsetCommitKey';
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}

export interface OffsetCommitValue {
  readonly offset: number;
  /** -1 when the client did not say which leader epoch the offset belongs to. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** -1: expiry follows offsets.retention.minutes (KIP-211), not a per-commit time. */
  readonly expireTimestamp: number;
}

export interface GroupMetadataKey {
  readonly type: 'GroupMetadataKey';
  readonly group: string;
}

export interface MemberMetadataValue {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeout: number;
  readonly sessionTimeout: number;
  /** The member's metadata for the selected protocol (opaque bytes). */
  readonly subscription: Uint8Array;
  /** What the leader assigned this member (opaque bytes). */
  readonly assignment: Uint8Array;
}

export interface GroupMetadataValue {
  readonly protocolType: string;
  readonly generation: number;
  readonly protocol: string | null;
  readonly leader: string | null;
  readonly currentStateTimestamp: number;
  readonly members: readonly MemberMetadataValue[];
}

/** KIP-848 records: one group epoch, one record per member and two for the assignment. */
export interface ConsumerGroupMetadataKey {
  readonly type: 'ConsumerGroupMetadataKey';
  readonly groupId: string;
}
export interface ConsumerGroupMetadataValue {
  readonly epoch: number;
}

export interface ConsumerGroupMemberMetadataKey {
  readonly type: 'ConsumerGroupMemberMetadataKey';
  readonly groupId: string;
  readonly memberId: string;
}
export interface ConsumerGroupMemberMetadataValue {
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: readonly string[];
  readonly serverAssignor: string | null;
  readonly rebalanceTimeoutMs: number;
}

/** A member's partitions, topic by topic (Kafka keys them by topic id; we by name). */
export type TopicPartitions = ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>;

export interface ConsumerGroupTargetAssignmentMetadataKey {
  readonly type: 'ConsumerGroupTargetAssignmentMetadataKey';
  readonly groupId: string;
}
export interface ConsumerGroupTargetAssignmentMetadataValue {
  readonly assignmentEpoch: number;
}

export interface ConsumerGroupTargetAssignmentMemberKey {
  readonly type: 'ConsumerGroupTargetAssignmentMemberKey';
  readonly groupId: string;
  readonly memberId: string;
}
export interface ConsumerGroupTargetAssignmentMemberValue {
  readonly topicPartitions: TopicPartitions;
}

export type MemberState = 'STABLE' | 'UNREVOKED_PARTITIONS' | 'UNRELEASED_PARTITIONS';

export interface ConsumerGroupCurrentMemberAssignmentKey {
  readonly type: 'ConsumerGroupCurrentMemberAssignmentKey';
  readonly groupId: string;
  readonly memberId: string;
}
export interface ConsumerGroupCurrentMemberAssignmentValue {
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: MemberState;
  readonly assignedPartitions: TopicPartitions;
  readonly partitionsPendingRevocation: TopicPartitions;
}

/**
 * A transaction marker as the group coordinator sees it in its partition of
 * `__consumer_offsets` (a control batch written by the transaction coordinator): it
 * makes a producer's pending transactional offset commits visible, or drops them.
 */
export interface EndTxnMarkerKey {
  readonly type: 'EndTxnMarker';
  readonly producerId: number;
}
export interface EndTxnMarkerValue {
  readonly commit: boolean;
}

export type GroupCoordinatorRecord =
  /** `producerId` is set when the commit came in a transaction (TxnOffsetCommit, KIP-98/447). */
  | { readonly key: OffsetCommitKey; readonly value: OffsetCommitValue | null; readonly producerId?: number }
  | { readonly key: GroupMetadataKey; readonly value: GroupMetadataValue | null }
  | { readonly key: ConsumerGroupMetadataKey; readonly value: ConsumerGroupMetadataValue | null }
  | { readonly key: ConsumerGroupMemberMetadataKey; readonly value: ConsumerGroupMemberMetadataValue | null }
  | { readonly key: ConsumerGroupTargetAssignmentMetadataKey; readonly value: ConsumerGroupTargetAssignmentMetadataValue | null }
  | { readonly key: ConsumerGroupTargetAssignmentMemberKey; readonly value: ConsumerGroupTargetAssignmentMemberValue | null }
  | { readonly key: ConsumerGroupCurrentMemberAssignmentKey; readonly value: ConsumerGroupCurrentMemberAssignmentValue | null }
  | { readonly key: EndTxnMarkerKey; readonly value: EndTxnMarkerValue };

/** The group a record belongs to (markers belong to no single group). */
export function recordGroupId(record: GroupCoordinatorRecord): string | null {
  const key = record.key;
  switch (key.type) {
    case 'OffsetCommitKey':
    case 'GroupMetadataKey':
      return key.group;
    case 'EndTxnMarker':
      return null;
    default:
      return key.groupId;
  }
}

/** Narrows a record by its key type (the key, not the record, carries the discriminant). */
export function isRecord<T extends GroupCoordinatorRecord['key']['type']>(
  record: GroupCoordinatorRecord,
  type: T,
): record is Extract<GroupCoordinatorRecord, { readonly key: { readonly type: T } }> {
  return record.key.type === type;
}
