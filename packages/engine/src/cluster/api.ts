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
export interface AdminApi {
  createTopics(topics: readonly NewTopic[], options?: { validateOnly?: boolean }): Promise<CreateTopicResult[]>;
  deleteTopics(names: readonly string[]): Promise<TopicResult[]>;
  /** Topic names from a broker's metadata image. */
  listTopics(options?: { includeInternal?: boolean }): Promise<string[]>;
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

export interface ClusterApi {
  readonly options: Required<Pick<ClusterOptions, 'seed' | 'brokers' | 'controllers'>>;
  nowMs(): number;
  /** Virtual time of the next scheduled event, or null if nothing is pending. */
  nextEventTimeMs(): number | null;
  /** Process every event due at or before `timeMs`, then set the clock to it. */
  advanceTo(timeMs: number): void;
  advanceBy(ms: number): void;
  readonly admin: AdminApi;
  readonly faults: FaultApi;
  snapshot(): ClusterSnapshot;
  /** Events recorded so far with seq > afterSeq (all when omitted); the log is bounded. */
  events(afterSeq?: number): readonly TraceEvent[];
  /** Called synchronously for every new trace event; returns an unsubscribe function. */
  onEvent(listener: (event: TraceEvent) => void): () => void;
}
