/**
 * The narrow, stable interface that the shell, the lab gateway, the wire adapter and the
 * visualisations use to drive and observe a cluster. Everything behind it (simulator,
 * KRaft quorum, brokers, replication) may change; these shapes change only on purpose.
 *
 * Time: the cluster is a discrete-event simulation. Nothing happens until a scheduler
 * calls `advanceTo`/`advanceBy`. Asynchronous operations return Promises that settle
 * while the scheduler advances virtual time (a request crosses the simulated network,
 * the controller commits records, brokers apply them).
 */
import type { KafkaError } from '../errors';
import type { CoordinatorBrokerApi, CoordinatorClientApi, GroupAdminApi, TransactionAdminApi } from './coordinator-api';
import type { TopicPartition } from '../ids';
import type { LogStore } from '../storage';
import type { RaftLogState } from '../raft/raft-log-state';

export interface ClusterOptions {
  /** Seed of the PRNG; the same seed, options and inputs replay the same run. */
  readonly seed?: number;
  /** Number of brokers, ids 1..N (Kafka's convention in KRaft examples). Default 3. */
  readonly brokers?: number;
  /** Number of KRaft controllers, ids 101..100+N. Default 3. */
  readonly controllers?: number;
  /** Rack per broker (broker.rack), index 0 = broker 1. */
  readonly racks?: readonly (string | null)[];
  /** server.properties-style overrides applied to every broker and controller. */
  readonly config?: Readonly<Record<string, string>>;
  readonly clusterId?: string;
  /** Host and first port brokers advertise (broker N advertises port + N - 1). */
  readonly advertisedHost?: string;
  readonly advertisedPortBase?: number;
  /**
   * Stretched cluster: extra one-way latency (virtual ms) on every link between nodes whose
   * racks lie in different regions. A rack `us-east-a` is in region `us-east`; a rack
   * without such a suffix is its own region. Default 0.
   */
  readonly interRegionLatencyMs?: number;
  /** Explicit rack → region map, overriding the naming rule above. */
  readonly regions?: Readonly<Record<string, string>>;
  /**
   * A broker's log directory (log.dirs): the LogStore its partition logs live in. Default: an
   * in-memory store. An adapter passes a store on a real disk to keep logs across processes.
   */
  readonly logStoreFor?: (brokerId: number) => LogStore;
  /**
   * A node's saved `__cluster_metadata` replica and quorum state (see `metadataLogState`), to
   * start from instead of an empty log; null for a node without one. Together with
   * `logStoreFor` and the same `clusterId`, a new Cluster resumes where a stopped one ended.
   */
  readonly metadataLogFor?: (nodeId: number) => RaftLogState | null;
}

export type NodeState = 'running' | 'fenced' | 'stopped' | 'crashed' | 'starting';
export type QuorumRole = 'leader' | 'follower' | 'candidate' | 'unattached' | 'resigned';

export interface BrokerSnapshot {
  readonly id: number;
  readonly rack: string | null;
  readonly state: NodeState;
  readonly host: string;
  readonly port: number;
  /** Epoch the controller gave this broker when it registered. */
  readonly brokerEpoch: number;
  /** Offset of the metadata log this broker has applied. */
  readonly metadataOffset: number;
}

export interface ControllerSnapshot {
  readonly id: number;
  readonly state: NodeState;
  readonly role: QuorumRole;
  readonly epoch: number;
  readonly leaderId: number | null;
  readonly votedFor: number | null;
  readonly logEndOffset: number;
  readonly highWatermark: number;
}

export interface ReplicaSnapshot {
  readonly brokerId: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  /** Last time (virtual ms) this follower was caught up to the leader's LEO, as the leader sees it. */
  readonly lastCaughtUpTimeMs: number | null;
  readonly online: boolean;
}

export interface PartitionSnapshot {
  readonly topic: string;
  readonly partition: number;
  /** -1 when the partition has no leader (offline). */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  /** Per-replica log state as stored on each broker. */
  readonly replicaStates: readonly ReplicaSnapshot[];
}

export interface TopicSnapshot {
  readonly name: string;
  readonly topicId: string;
  readonly internal: boolean;
  readonly partitions: readonly PartitionSnapshot[];
  /** Only the topic-level overrides (kafka-topics --describe shows these as Configs:). */
  readonly configs: Readonly<Record<string, string>>;
}

export interface ClusterSnapshot {
  readonly timeMs: number;
  readonly clusterId: string;
  readonly activeControllerId: number | null;
  readonly brokers: readonly BrokerSnapshot[];
  readonly controllers: readonly ControllerSnapshot[];
  readonly topics: readonly TopicSnapshot[];
  /** Reassignments in progress and recently finished, with bytes moved (KIP-455 view). */
  readonly reassignments?: readonly ReassignmentProgress[];
}

export interface NewTopic {
  readonly name: string;
  /** -1 or absent: num.partitions. */
  readonly numPartitions?: number;
  /** -1 or absent: default.replication.factor. */
  readonly replicationFactor?: number;
  /** Explicit assignment: partition -> broker ids (first is the preferred leader). */
  readonly replicaAssignment?: readonly (readonly number[])[];
  readonly configs?: Readonly<Record<string, string>>;
}

export interface TopicResult {
  readonly name: string;
  readonly error: KafkaError | null;
}

export interface CreateTopicResult extends TopicResult {
  readonly topicId: string | null;
  readonly numPartitions: number;
  readonly replicationFactor: number;
}

/** Administrative operations, as Kafka's Admin client offers them. */
/**
 * The administrative requests a broker accepts and forwards to the controller; the Admin
 * facade and each broker's entry point (for the wire adapter) both offer them.
 */
export interface TopicAdminOperations {
  createTopics(topics: readonly NewTopic[], options?: { validateOnly?: boolean }): Promise<CreateTopicResult[]>;
  deleteTopics(names: readonly string[]): Promise<TopicResult[]>;
  describeConfigs(resource: ConfigResource): Promise<ConfigEntry[]>;
  /** Rejects with the KafkaError the controller returned. */
  incrementalAlterConfigs(resource: ConfigResource, ops: readonly AlterConfigOp[], options?: { validateOnly?: boolean }): Promise<void>;
  electLeaders(type: 'preferred' | 'unclean', partitions: readonly { topic: string; partition: number }[] | null): Promise<ElectionResult[]>;
  describeQuorum(): Promise<QuorumDescription>;
  /** KIP-455 (api key 45): start (replicas) or cancel (replicas null) reassignments; one result per partition. */
  alterPartitionReassignments(reassignments: readonly ReassignmentTarget[]): Promise<ReassignmentResult[]>;
  /** KIP-455 (api key 46): reassignments in progress (all, or only the given partitions). */
  listPartitionReassignments(partitions?: readonly TopicPartition[] | null): Promise<PartitionReassignment[]>;
  /** KIP-195 (api key 37): raise partition counts. */
  createPartitions(topics: readonly NewPartitions[], options?: { validateOnly?: boolean }): Promise<TopicResult[]>;
}

export interface AdminApi extends GroupAdminApi, TransactionAdminApi, TopicAdminOperations {
  /** Topic names from a broker's metadata image. */
  listTopics(options?: { includeInternal?: boolean }): Promise<string[]>;
  /** Starts a new broker (next free id) and resolves with its id once it is registered and unfenced. */
  addBroker(options?: AddBrokerOptions): Promise<number>;
  /**
   * Decommissions a broker safely: reassigns each of its replicas to another broker (same
   * rack first, then the least loaded), optionally throttled, waits for completion, clears
   * the throttles, stops the broker and unregisters it.
   */
  removeBroker(id: number, options?: RemoveBrokerOptions): Promise<DecommissionResult>;
  /** KIP-631 UnregisterBroker (kafka-cluster unregister --id N); the cluster forgets a stopped broker. */
  unregisterBroker(id: number): Promise<void>;
}

export interface ReassignmentTarget extends TopicPartition {
  /** Target replicas, the first being the preferred leader; null cancels the reassignment. */
  readonly replicas: readonly number[] | null;
}

export interface ReassignmentResult extends TopicPartition {
  /** e.g. NO_REASSIGNMENT_IN_PROGRESS, INVALID_REPLICA_ASSIGNMENT, UNKNOWN_TOPIC_OR_PARTITION. */
  readonly error: KafkaError | null;
}

export interface PartitionReassignment extends TopicPartition {
  /** Target replicas followed by the replicas being removed. */
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

export interface NewPartitions {
  readonly topic: string;
  /** The new total number of partitions. */
  readonly totalCount: number;
  /** Replicas of each new partition; absent lets the controller place them. */
  readonly assignments?: readonly (readonly number[])[];
}

export interface AddBrokerOptions {
  readonly rack?: string | null;
}

export interface RemoveBrokerOptions {
  /** Replication throttle (bytes/s) while the replicas move, as --throttle sets it. */
  readonly throttleBytesPerSec?: number;
  /** How long (virtual ms) to wait for the moves; default 600000. */
  readonly timeoutMs?: number;
}

export interface DecommissionResult {
  readonly brokerId: number;
  readonly moves: readonly { readonly topic: string; readonly partition: number; readonly from: readonly number[]; readonly to: readonly number[] }[];
  /** Bytes the new replicas copied. */
  readonly bytesMoved: number;
}

/** One reassignment as the reassignment view shows it. */
export interface ReassignmentProgress extends TopicPartition {
  readonly state: 'in-progress' | 'completed' | 'cancelled';
  readonly previousReplicas: readonly number[];
  readonly targetReplicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
  /** Bytes the adding replicas must copy in all: moved so far plus what the leader's local log still holds beyond them. */
  readonly bytesToMove: number;
  /** Bytes the adding replicas have copied so far. */
  readonly bytesMoved: number;
  readonly startedAtMs: number;
  readonly finishedAtMs: number | null;
}

/** A config entry as kafka-configs --describe shows it. */
export interface ConfigEntry {
  readonly name: string;
  readonly value: string | null;
  /** Kafka's ConfigSource names. */
  readonly source: 'DYNAMIC_TOPIC_CONFIG' | 'DYNAMIC_BROKER_CONFIG' | 'DYNAMIC_DEFAULT_BROKER_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG';
  readonly isDefault: boolean;
}

export interface ConfigResource {
  readonly type: 'topic' | 'broker';
  /** Topic name, or broker id as a string ('' for the cluster-wide broker default). */
  readonly name: string;
}

export interface AlterConfigOp {
  readonly name: string;
  /** null deletes the override (kafka-configs --delete-config). */
  readonly value: string | null;
}

export interface ElectionResult {
  readonly topic: string;
  readonly partition: number;
  readonly error: KafkaError | null;
}

/** One replica of the metadata quorum as kafka-metadata-quorum describe --replication shows it. */
export interface QuorumReplicaState {
  readonly replicaId: number;
  readonly logEndOffset: number;
  readonly lastFetchTimestamp: number;
  readonly lastCaughtUpTimestamp: number;
  readonly status: 'Leader' | 'Follower' | 'Observer';
}

export interface QuorumDescription {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  readonly voters: readonly QuorumReplicaState[];
  readonly observers: readonly QuorumReplicaState[];
}

/** A record for produce(); strings are encoded as UTF-8. */
export interface ProduceRecord {
  readonly key?: string | Uint8Array | null;
  readonly value?: string | Uint8Array | null;
  readonly headers?: readonly { readonly key: string; readonly value: string | Uint8Array | null }[];
  /** CreateTime in virtual ms; defaults to the cluster's current time. */
  readonly timestamp?: number;
}

export interface ProduceRequest {
  readonly topic: string;
  readonly partition: number;
  /** Records to encode as one uncompressed batch, or `batch` already encoded (record batch v2). */
  readonly records?: readonly ProduceRecord[];
  readonly batch?: Uint8Array;
  /** 0, 1 or -1/'all'. Default 'all' as in Kafka 3.0+. */
  readonly acks?: 0 | 1 | -1 | 'all';
  /** How long acks=all may wait for the ISR (request.timeout.ms). Default 30000. */
  readonly timeoutMs?: number;
}

export interface ProduceResponse {
  readonly topic: string;
  readonly partition: number;
  readonly error: KafkaError | null;
  readonly baseOffset: number;
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
  /** Broker that answered. */
  readonly brokerId: number;
}

export interface FetchRequest {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
  /** fetch.max.wait.ms (default 500). */
  readonly maxWaitMs?: number;
  /** fetch.min.bytes (default 1). */
  readonly minBytes?: number;
  /** max.partition.fetch.bytes (default 1 MiB). */
  readonly maxBytes?: number;
  readonly isolationLevel?: 'read_uncommitted' | 'read_committed';
  /**
   * client.rack (KIP-392). When set, followers serve the fetch up to their own high
   * watermark, and a leader with replica.selector.class=RackAwareReplicaSelector may name a
   * preferred read replica in this rack. The in-lab client then fetches from it.
   */
  readonly clientRack?: string;
}

export interface FetchedRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly { readonly key: string; readonly value: Uint8Array | null }[];
  readonly leaderEpoch: number;
}

export interface FetchResponse {
  readonly topic: string;
  readonly partition: number;
  readonly error: KafkaError | null;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /** The record batches as stored (v2 format). */
  readonly batches: Uint8Array;
  /** The same records decoded (uncompressed batches only; compressed ones are skipped). */
  readonly records: readonly FetchedRecord[];
  readonly brokerId: number;
  /** read_committed: transactions aborted within the returned range; their records are left out of `records`. */
  readonly abortedTransactions?: readonly { readonly producerId: number; readonly firstOffset: number }[];
  /** KIP-392: the replica to fetch from instead (the response then has no records). */
  readonly preferredReadReplica?: number;
}

export interface ListOffsetsRequest {
  readonly topic: string;
  readonly partition: number;
  /** -1 latest (high watermark; the last stable offset under read_committed), -2 earliest, -3 max timestamp, or a timestamp in ms. */
  readonly timestamp: number;
  readonly isolationLevel?: 'read_uncommitted' | 'read_committed';
}

export interface ListOffsetsResponse {
  readonly topic: string;
  readonly partition: number;
  readonly error: KafkaError | null;
  readonly offset: number;
  readonly timestamp: number;
  readonly leaderEpoch: number;
}

export interface MetadataPartition {
  readonly partition: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
  /** LEADER_NOT_AVAILABLE when there is no leader. */
  readonly error: KafkaError | null;
}

export interface MetadataTopic {
  readonly name: string;
  readonly topicId: string | null;
  readonly internal: boolean;
  readonly error: KafkaError | null;
  readonly partitions: readonly MetadataPartition[];
}

export interface MetadataResponse {
  readonly clusterId: string;
  readonly controllerId: number;
  /** Unfenced brokers, as Kafka's Metadata response lists them. */
  readonly brokers: readonly { readonly id: number; readonly host: string; readonly port: number; readonly rack: string | null }[];
  readonly topics: readonly MetadataTopic[];
}

/**
 * Requests as one broker answers them: the entry point for the wire adapter. A request to
 * a broker that does not lead the partition gets NOT_LEADER_OR_FOLLOWER, as in Kafka; a
 * request to a stopped broker rejects with NETWORK_EXCEPTION (connection refused).
 */
export interface BrokerApi extends CoordinatorBrokerApi, TopicAdminOperations {
  readonly id: number;
  produce(request: ProduceRequest): Promise<ProduceResponse>;
  fetch(request: FetchRequest): Promise<FetchResponse>;
  listOffsets(request: ListOffsetsRequest): Promise<ListOffsetsResponse>;
  /** null: all topics. With autoCreate, unknown topics are created (auto.create.topics.enable). */
  metadata(topics: readonly string[] | null, options?: { autoCreate?: boolean }): Promise<MetadataResponse>;
  /** UnregisterBroker (api key 64). Rejects with BROKER_ID_NOT_REGISTERED for an unknown id. */
  unregisterBroker(brokerId: number): Promise<void>;
}

/**
 * A Kafka-like client inside the simulation: it finds the partition leader from metadata
 * and retries retriable errors (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, ...) with
 * retry.backoff.ms until its timeout, as Kafka's producer and consumer do.
 */
export interface ClientApi extends CoordinatorClientApi {
  produce(request: ProduceRequest & { readonly deliveryTimeoutMs?: number }): Promise<ProduceResponse>;
  fetch(request: FetchRequest): Promise<FetchResponse>;
  listOffsets(request: ListOffsetsRequest): Promise<ListOffsetsResponse>;
}

export interface FaultApi {
  /** Controlled shutdown: the broker tells the controller, leadership moves first. */
  stopNode(id: number): void;
  /** Hard kill: no goodbye; unflushed log data is lost. */
  crashNode(id: number): void;
  startNode(id: number): void;
  /** Cut the network between every node in `a` and every node in `b` (both directions unless oneWay). */
  partition(a: readonly number[], b: readonly number[], options?: { oneWay?: boolean }): void;
  heal(): void;
  /** Extra one-way latency, drop probability (0..1) and duplication between two nodes. */
  setLink(from: number, to: number, link: { delayMs?: number; dropRate?: number; duplicateRate?: number }): void;
  slowDisk(id: number, delayMs: number): void;
  /** Starts a new broker process (default id: highest broker id + 1) and returns its id; it registers on its own. */
  addBroker(options?: AddBrokerOptions & { readonly id?: number }): number;
  /** Stretched cluster: extra one-way latency between racks of different regions (0 removes it). */
  setInterRegionLatency(ms: number): void;
}

export interface TraceEvent {
  /** Monotonic sequence number within the run. */
  readonly seq: number;
  readonly timeMs: number;
  /** e.g. 'topic-created', 'broker-fenced', 'leader-elected', 'isr-shrunk', 'hw-advanced'. */
  readonly type: string;
  /** Node the event happened on, when it has one. */
  readonly node?: number;
  readonly topic?: string;
  readonly partition?: number;
  /** A sentence for a learner. */
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * Read-only access to one broker's log directory, the files `kafka-dump-log` reads
 * (`orders-0/00000000000000000000.log`, `.index`, `.timeindex`, checkpoints). Like reading
 * a disk, it works while the broker is stopped or crashed, and then shows what survived.
 */
export interface LogDirView {
  readonly brokerId: number;
  /** File names inside `dir` (a partition directory such as `orders-0`; '' is the root), sorted. */
  list(dir: string): string[];
  /** The whole file as it is now (flushed or not), or null when there is no such file. */
  read(dir: string, name: string): Uint8Array | null;
}

export interface ClusterApi {
  readonly options: Required<Pick<ClusterOptions, 'seed' | 'brokers' | 'controllers'>>;
  nowMs(): number;
  /** Virtual time of the next scheduled event, or null if nothing is pending. */
  nextEventTimeMs(): number | null;
  /** Process every event due at or before `timeMs`, then set the clock to it. */
  advanceTo(timeMs: number): void;
  advanceBy(ms: number): void;
  /**
   * Resolves once `ms` of virtual time has passed (a client's backoff or pacing, such as a
   * perf test holding its target throughput). It only waits: nothing in the cluster changes.
   */
  sleep(ms: number): Promise<void>;
  readonly admin: AdminApi;
  readonly client: ClientApi;
  readonly faults: FaultApi;
  /** One broker's request entry point (for the wire adapter); throws for an unknown id. */
  broker(id: number): BrokerApi;
  snapshot(): ClusterSnapshot;
  /** One broker's log directory, read-only; throws for an unknown broker id. */
  logDir(brokerId: number): LogDirView;
  /** Events recorded so far with seq > afterSeq (all when omitted); the log is bounded. */
  events(afterSeq?: number): readonly TraceEvent[];
  /** Called synchronously for every new trace event; returns an unsubscribe function. */
  onEvent(listener: (event: TraceEvent) => void): () => void;
}

export * from './coordinator-api';
