/**
 * The facade's consumer-group and transaction surface, split out of api.ts to keep that
 * file readable: what brokers answer (for the wire adapter), what the admin client offers
 * (kafka-consumer-groups, kafka-transactions), and the in-lab producer and group consumer
 * (console tools, built-in lab clients, learner code). Request and response shapes of the
 * coordinator APIs are the version-free ones of `group/types.ts` and the transaction
 * coordinator; the wire layer maps protocol versions onto them.
 */
import type { ErrorName, KafkaError } from '../errors';
import type {
  DeleteGroupsResult, DescribedGroup, HeartbeatRequest, HeartbeatResponse, JoinGroupRequest, JoinGroupResponse, LeaveGroupRequest,
  LeaveGroupResponse, ListedGroup, OffsetCommitRequest, OffsetCommitResponse, OffsetDeleteRequest, OffsetDeleteResponse, OffsetFetchRequest,
  OffsetFetchResponse, SyncGroupRequest, SyncGroupResponse, TxnOffsetCommitRequest,
} from '../group/types';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '../group/consumer-group';
import type { AddPartitionsToTxnResponse, DescribedTransaction, InitProducerIdResponse, TxnRequestBase, TxnTopics } from '../txn/transaction-coordinator';
import type { TxnMarkerEntry, TxnMarkerResult } from '../broker/messages';
import type { FetchedRecord, ProduceRecord, ProduceResponse } from './api';

export type {
  DeleteGroupsResult, DescribedGroup, DescribedMember, HeartbeatRequest, HeartbeatResponse, JoinGroupRequest, JoinGroupResponse, LeaveGroupRequest,
  LeaveGroupResponse, ListedGroup, OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, SyncGroupRequest,
  SyncGroupResponse, TxnOffsetCommitRequest, OffsetFetchPartition, PartitionResult, OffsetDeleteRequest, OffsetDeleteResponse,
} from '../group/types';
export type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '../group/consumer-group';
export type { AddPartitionsToTxnResponse, DescribedTransaction, InitProducerIdResponse, TxnRequestBase, TxnTopics } from '../txn/transaction-coordinator';
export type { TxnMarkerEntry, TxnMarkerResult } from '../broker/messages';

/** FindCoordinator key types. */
export type CoordinatorKeyType = 'group' | 'transaction';

export interface FindCoordinatorResult {
  readonly key: string;
  /** COORDINATOR_NOT_AVAILABLE while the internal topic is created or has no leader. */
  readonly error: KafkaError | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface InitProducerIdRequest {
  /** null: an idempotent producer without transactions. */
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
}

export interface ProducerStateEntryView {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly lastSequence: number;
  readonly lastTimestamp: number;
  readonly coordinatorEpoch: number;
  /** First offset of the producer's open transaction on this partition, -1 if none. */
  readonly currentTxnStartOffset: number;
}

export interface PartitionProducers {
  readonly topic: string;
  readonly partition: number;
  /** NOT_LEADER_OR_FOLLOWER when asked of a broker that does not lead the partition. */
  readonly error: KafkaError | null;
  readonly activeProducers: readonly ProducerStateEntryView[];
}

export interface ListedTransaction {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly transactionState: string;
}

/** Group and transaction requests one broker answers (the wire adapter's entry points). */
export interface CoordinatorBrokerApi {
  /** FindCoordinator (10): key type 0 group, 1 transaction; creates the internal topic on first use. */
  findCoordinator(keyType: CoordinatorKeyType, key: string): Promise<FindCoordinatorResult>;
  /** JoinGroup (11): may be held until the rebalance completes. */
  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResponse>;
  /** SyncGroup (14): followers wait for the leader's assignment. */
  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResponse>;
  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse>;
  leaveGroup(request: LeaveGroupRequest): Promise<LeaveGroupResponse>;
  offsetCommit(request: OffsetCommitRequest): Promise<OffsetCommitResponse>;
  offsetFetch(request: OffsetFetchRequest): Promise<OffsetFetchResponse>;
  txnOffsetCommit(request: TxnOffsetCommitRequest): Promise<OffsetCommitResponse>;
  /** DescribeGroups (15); `generationId` is -1 for groups this shard does not know. */
  describeGroups(groupIds: readonly string[]): Promise<Array<DescribedGroup & { readonly generationId: number }>>;
  /** ListGroups (16): the groups of every `__consumer_offsets` partition this broker leads. */
  listGroups(options?: { readonly statesFilter?: readonly string[] }): Promise<ListedGroup[]>;
  deleteGroups(groupIds: readonly string[]): Promise<DeleteGroupsResult[]>;
  /** OffsetDelete (47, KIP-496): tombstones for offsets of topics the group does not subscribe to. */
  offsetDelete(request: OffsetDeleteRequest): Promise<OffsetDeleteResponse>;
  /** ConsumerGroupHeartbeat (68, KIP-848); topics are named, not ids. */
  consumerGroupHeartbeat(request: ConsumerGroupHeartbeatRequest): Promise<ConsumerGroupHeartbeatResponse>;
  /** InitProducerId (22): any broker serves it without a transactional id; with one, only its coordinator. */
  initProducerId(request: InitProducerIdRequest): Promise<InitProducerIdResponse>;
  addPartitionsToTxn(request: TxnRequestBase & TxnTopics): Promise<AddPartitionsToTxnResponse>;
  addOffsetsToTxn(request: TxnRequestBase & { readonly groupId: string }): Promise<{ readonly error: ErrorName }>;
  endTxn(request: TxnRequestBase & { readonly committed: boolean }): Promise<{ readonly error: ErrorName }>;
  /** DescribeTransactions (65): NOT_COORDINATOR for ids this broker does not own. */
  describeTransactions(transactionalIds: readonly string[]): Promise<DescribedTransaction[]>;
  /** ListTransactions (66): transactions of every `__transaction_state` partition this broker leads. */
  listTransactions(filters?: { readonly stateFilters?: readonly string[]; readonly producerIdFilters?: readonly number[] }): Promise<ListedTransaction[]>;
  /** DescribeProducers (61): producer state of partitions this broker leads. */
  describeProducers(partitions: readonly { readonly topic: string; readonly partition: number }[]): Promise<PartitionProducers[]>;
  /** WriteTxnMarkers (27): what Admin.abortTransaction sends to a partition leader. */
  writeTxnMarkers(markers: readonly TxnMarkerEntry[]): Promise<TxnMarkerResult[]>;
}

// ---- admin ----------------------------------------------------------------------------------

export interface GroupListing {
  readonly groupId: string;
  readonly protocolType: string;
  readonly state: string;
  /** 'classic' or 'consumer' (KIP-848). */
  readonly type: string;
  readonly coordinatorId: number;
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** Decoded from the consumer protocol assignment (empty while rebalancing). */
  readonly assignment: readonly { readonly topic: string; readonly partition: number }[];
}

export interface GroupDescription {
  readonly groupId: string;
  readonly error: KafkaError | null;
  /** Kafka's state names: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead (and KIP-848's). */
  readonly state: string;
  readonly protocolType: string;
  /** The assignor the group chose (e.g. range, cooperative-sticky), '' while rebalancing. */
  readonly protocol: string;
  readonly generationId: number;
  readonly coordinatorId: number;
  readonly members: readonly GroupMemberDescription[];
}

/** One row of kafka-consumer-groups --describe. */
export interface GroupPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** -1 when the group has no committed offset for the partition. */
  readonly committedOffset: number;
  /** The partition's high watermark (what a read_uncommitted consumer could reach). */
  readonly logEndOffset: number;
  /** logEndOffset - committedOffset, or null without a committed offset. */
  readonly lag: number | null;
  readonly metadata: string | null;
  readonly memberId: string | null;
  readonly clientId: string | null;
  readonly host: string | null;
}

export interface TransactionListing {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly state: string;
  readonly coordinatorId: number;
}

export interface TransactionDescription {
  readonly transactionalId: string;
  readonly error: KafkaError | null;
  readonly coordinatorId: number;
  readonly state: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  /** -1 when no transaction is open. */
  readonly transactionStartTimeMs: number;
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[];
}

/** An open transaction on a partition that its coordinator does not know (kafka-transactions find-hanging). */
export interface HangingTransaction {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
  readonly startOffset: number;
  readonly lastTimestamp: number;
  /** How long it has been open, in virtual ms. */
  readonly durationMs: number;
}

export interface AbortTransactionSpec {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
}

export interface GroupAdminApi {
  /** Every group, from every broker's coordinator shards. */
  listGroups(options?: { readonly states?: readonly string[] }): Promise<GroupListing[]>;
  describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]>;
  deleteGroups(groupIds: readonly string[]): Promise<Array<{ readonly groupId: string; readonly error: KafkaError | null }>>;
  /** Committed offsets with log-end offsets and lag, plus the member owning each partition. */
  listConsumerGroupOffsets(groupId: string): Promise<GroupPartitionOffset[]>;
  /** kafka-consumer-groups --reset-offsets --execute: the group must be empty (no active members). */
  alterConsumerGroupOffsets(groupId: string, offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: number }[]): Promise<Array<{ readonly topic: string; readonly partition: number; readonly error: KafkaError | null }>>;
  /**
   * kafka-consumer-groups --delete-offsets (Admin.deleteConsumerGroupOffsets, KIP-496): `error` is the
   * group-level one (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP); a partition of a topic the group
   * subscribes to fails with GROUP_SUBSCRIBED_TO_TOPIC and keeps its offset.
   */
  deleteConsumerGroupOffsets(groupId: string, partitions: readonly { readonly topic: string; readonly partition: number }[]): Promise<DeleteGroupOffsetsResult>;
}

export interface DeleteGroupOffsetsResult {
  readonly error: KafkaError | null;
  readonly partitions: ReadonlyArray<{ readonly topic: string; readonly partition: number; readonly error: KafkaError | null }>;
}

export interface TransactionAdminApi {
  listTransactions(options?: { readonly states?: readonly string[]; readonly producerIds?: readonly number[] }): Promise<TransactionListing[]>;
  describeTransactions(transactionalIds: readonly string[]): Promise<TransactionDescription[]>;
  describeProducers(partitions: readonly { readonly topic: string; readonly partition: number }[]): Promise<PartitionProducers[]>;
  /** Open transactions older than `maxTransactionTimeoutMs` whose producer no coordinator has in a transaction. */
  findHangingTransactions(options: { readonly topic?: string; readonly partition?: number; readonly brokerId?: number; readonly maxTransactionTimeoutMs?: number }): Promise<HangingTransaction[]>;
  /** Writes an ABORT marker for a hanging transaction (kafka-transactions abort). */
  abortTransaction(spec: AbortTransactionSpec): Promise<void>;
}

// ---- in-lab producer and consumer -------------------------------------------------------------

export interface ProducerConfig {
  readonly clientId?: string;
  /** enable.idempotence: a producer id and sequence numbers, so retries never duplicate. Default true with a transactional id. */
  readonly idempotent?: boolean;
  /** transactional.id: enables transactions (and idempotence). */
  readonly transactionalId?: string;
  /** transaction.timeout.ms (default 60000). */
  readonly transactionTimeoutMs?: number;
  /** Default 'all' (idempotence requires it). */
  readonly acks?: 0 | 1 | -1 | 'all';
  /** delivery.timeout.ms (default 120000). */
  readonly deliveryTimeoutMs?: number;
  /** request.timeout.ms (default 30000). */
  readonly requestTimeoutMs?: number;
}

export type ProducerState = 'new' | 'ready' | 'in-transaction' | 'committing' | 'aborting' | 'fenced' | 'failed' | 'closed';

export interface ProducerApi {
  readonly clientId: string;
  readonly transactionalId: string | null;
  readonly state: ProducerState;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** InitProducerId (initTransactions for a transactional producer); sends call it on first use. */
  init(): Promise<void>;
  /** Sends one batch to a partition, retrying with the same sequence numbers until delivery.timeout.ms. */
  send(request: { readonly topic: string; readonly partition: number; readonly records: readonly ProduceRecord[] }): Promise<ProduceResponse>;
  beginTransaction(): void;
  /** AddOffsetsToTxn + TxnOffsetCommit: the consumer's progress commits with the transaction (KIP-98/447). */
  sendOffsetsToTransaction(offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: number }[], group: { readonly groupId: string; readonly generationId?: number; readonly memberId?: string; readonly groupInstanceId?: string | null }): Promise<void>;
  commitTransaction(): Promise<void>;
  abortTransaction(): Promise<void>;
  close(): void;
}

export interface GroupConsumerConfig {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly clientId?: string;
  /** partition.assignment.strategy; default range. */
  readonly assignor?: 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';
  /** group.instance.id (KIP-345 static membership). */
  readonly groupInstanceId?: string | null;
  readonly sessionTimeoutMs?: number;
  /** max.poll.interval.ms, sent as the rebalance timeout. */
  readonly rebalanceTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly isolationLevel?: 'read_uncommitted' | 'read_committed';
  /** auto.offset.reset when the group has no committed offset; default earliest. */
  readonly autoOffsetReset?: 'earliest' | 'latest';
  /** enable.auto.commit: commit positions every auto.commit.interval.ms and before revoking. Default true. */
  readonly autoCommit?: boolean;
  readonly autoCommitIntervalMs?: number;
}

export interface ConsumedRecord extends FetchedRecord {
  readonly topic: string;
  readonly partition: number;
}

export interface GroupConsumerStats {
  readonly rebalances: number;
  readonly assigned: number;
  readonly revoked: number;
  readonly lost: number;
}

export interface GroupConsumerApi {
  readonly clientId: string;
  readonly groupId: string;
  /** UNJOINED, JOINING, SYNCING, STABLE or CLOSED. */
  readonly state: string;
  readonly memberId: string;
  readonly generationId: number;
  readonly coordinatorId: number | null;
  /** Why the last FindCoordinator failed (for example COORDINATOR_NOT_AVAILABLE), null once one is found. */
  readonly coordinatorError: string | null;
  assignment(): Array<{ readonly topic: string; readonly partition: number }>;
  stats(): GroupConsumerStats;
  /** Starts the group protocol in the background: FindCoordinator, JoinGroup, SyncGroup, heartbeats. */
  start(): void;
  /** Fetches from the assigned partitions (up to maxWaitMs of virtual time) and advances positions. */
  poll(maxWaitMs?: number): Promise<ConsumedRecord[]>;
  /** The next offset to read per assigned partition. */
  positions(): Array<{ readonly topic: string; readonly partition: number; readonly offset: number }>;
  /** OffsetCommit of the current positions (or the given offsets) with this member's generation. */
  commit(offsets?: readonly { readonly topic: string; readonly partition: number; readonly offset: number }[]): Promise<void>;
  /** Leaves the group (dynamic members send LeaveGroup; static ones just go quiet). */
  close(): Promise<void>;
  /** Stops without a word to the coordinator, as a crashed process would. */
  crash(): void;
}

export interface CoordinatorClientApi {
  createProducer(config?: ProducerConfig): ProducerApi;
  createConsumer(config: GroupConsumerConfig): GroupConsumerApi;
}
