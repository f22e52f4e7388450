/**
 * Argument and result shapes of every client op: the contract between the client library
 * (learner side) and the lab's client host. Names follow Kafka's APIs and fields.
 */
import type { ClientErrorBody, ConsumerRecord, RecordHeader, TopicPartition } from './protocol';

export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface MetadataResult {
  readonly brokers: readonly { readonly id: number; readonly rack: string | null }[];
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly { readonly partition: number; readonly leader: number; readonly replicas: readonly number[]; readonly isr: readonly number[] }[];
  }[];
}

export interface NewTopicArgs {
  readonly name: string;
  readonly numPartitions?: number;
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface TopicErrorResult {
  readonly name: string;
  readonly error: ClientErrorBody | null;
}

export interface ProducedRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers?: readonly RecordHeader[];
  readonly timestampMs?: number;
}

export interface ProduceArgs {
  readonly topic: string;
  readonly partition: number;
  /** -1 (all), 0 or 1. */
  readonly acks: -1 | 0 | 1;
  readonly records: readonly ProducedRecord[];
  readonly transactionalId?: string | null;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
}

export interface ProduceResult {
  readonly baseOffset: number;
}

export interface FetchArgs {
  readonly partitions: readonly (TopicPartition & { readonly offset: number })[];
  readonly isolationLevel: IsolationLevel;
  readonly maxWaitMs: number;
  readonly maxRecords?: number;
}

export interface FetchPartitionResult extends TopicPartition {
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  readonly records: readonly ConsumerRecord[];
  readonly error: ClientErrorBody | null;
}

export interface FetchResult {
  readonly partitions: readonly FetchPartitionResult[];
}

export interface ListOffsetsArgs extends TopicPartition {
  /** -1 latest, -2 earliest, else a timestamp in ms. */
  readonly timestamp: number;
  readonly isolationLevel: IsolationLevel;
}

/** ConsumerProtocolSubscription, as JSON. */
export interface Subscription {
  readonly topics: readonly string[];
  readonly ownedPartitions: readonly TopicPartition[];
  readonly userData?: string | null;
}

/** ConsumerProtocolAssignment, as JSON. */
export interface Assignment {
  readonly partitions: readonly TopicPartition[];
  readonly userData?: string | null;
}

export interface JoinGroupArgs {
  readonly groupId: string;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocols: readonly { readonly name: string; readonly subscription: Subscription }[];
}

export interface JoinGroupResult {
  readonly generationId: number;
  readonly protocolName: string;
  readonly leader: string;
  readonly memberId: string;
  readonly skipAssignment: boolean;
  readonly members: readonly { readonly memberId: string; readonly groupInstanceId: string | null; readonly subscription: Subscription }[];
}

export interface GroupMemberArgs {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface SyncGroupArgs extends GroupMemberArgs {
  readonly protocolName: string;
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Assignment }[];
}

export interface SyncGroupResult {
  readonly assignment: Assignment;
}

export interface OffsetCommitArgs extends GroupMemberArgs {
  readonly offsets: readonly (TopicPartition & { readonly offset: number })[];
}

export interface OffsetFetchArgs {
  readonly groupId: string;
  readonly partitions: readonly TopicPartition[];
  readonly requireStable: boolean;
}

export interface OffsetFetchResult {
  /** -1 where the group has no committed offset. */
  readonly offsets: readonly (TopicPartition & { readonly offset: number })[];
}

export interface InitProducerIdArgs {
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
}

export interface ProducerIdentity {
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface TxnArgs extends ProducerIdentity {
  readonly transactionalId: string;
}

export interface AddPartitionsToTxnArgs extends TxnArgs {
  readonly partitions: readonly TopicPartition[];
}

export interface AddOffsetsToTxnArgs extends TxnArgs {
  readonly groupId: string;
}

export interface TxnOffsetCommitArgs extends TxnArgs {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly offsets: readonly (TopicPartition & { readonly offset: number })[];
}

export interface EndTxnArgs extends TxnArgs {
  readonly committed: boolean;
}
