/**
 * The assumptions that drive the ZooKeeper-versus-KRaft controller model, each a named
 * parameter with a default, a unit (last in the name), the Kafka config it mirrors where
 * there is one, and where the default comes from. The model is only as good as these
 * numbers, so they are data that the terminal, the benchmark and the lesson print in full.
 *
 * Where Kafka has a config, the default is Kafka's default. Where the number is a
 * measurement (ZooKeeper latency, broker apply cost), the default sits inside the range
 * that public measurements report, and the source says which measurement. Where nobody
 * has published a number, the source says "model estimate" and the lesson says so.
 */
import { KafkaError } from '../errors';

export interface ControllerModelAssumptions {
  // The workload.
  readonly brokerCount: number;
  readonly replicationFactor: number;
  readonly partitionsPerTopic: number;
  readonly topicNameBytes: number;
  readonly controllerQuorumVoterCount: number;
  // The ZooKeeper-era controller.
  readonly zookeeperSessionTimeoutMs: number;
  readonly zkReadLatencyMs: number;
  readonly zkWriteLatencyMs: number;
  readonly zookeeperMaxInFlightRequests: number;
  readonly zkReadsPerSec: number;
  readonly zkWritesPerSec: number;
  readonly znodeDecodeUs: number;
  readonly controllerRequestBatchPartitions: number;
  readonly updateMetadataPartitionFixedBytes: number;
  readonly leaderAndIsrPartitionFixedBytes: number;
  readonly replicaIdBytes: number;
  readonly requestSerializeUsPerPartition: number;
  readonly brokerApplyUsPerPartition: number;
  // The KRaft controller quorum.
  readonly controllerQuorumFetchTimeoutMs: number;
  readonly controllerQuorumElectionTimeoutMs: number;
  readonly controllerQuorumElectionBackoffMaxMs: number;
  readonly controllerQuorumRequestTimeoutMs: number;
  readonly controllerQuorumRetryBackoffMs: number;
  readonly controllerQuorumAppendLingerMs: number;
  readonly splitVoteRounds: number;
  readonly fsyncMs: number;
  readonly standbyLagRecords: number;
  readonly standbyReplaysSnapshot: boolean;
  readonly metadataRecordApplyUs: number;
  readonly metadataRecordGenerateUs: number;
  readonly partitionRecordFixedBytes: number;
  readonly topicRecordBytes: number;
  readonly partitionChangeRecordBytes: number;
  readonly snapshotReadBytesPerSec: number;
  // The network, shared by both.
  readonly networkRttMs: number;
  readonly networkBytesPerSec: number;
}

export type AssumptionKey = keyof ControllerModelAssumptions;

export interface AssumptionDoc {
  readonly key: AssumptionKey;
  /** Which controller the number drives. */
  readonly appliesTo: 'zookeeper' | 'kraft' | 'both';
  /** The Kafka (or ZooKeeper) configuration key the parameter mirrors, if any. */
  readonly kafkaConfig?: string;
  readonly unit: string;
  readonly description: string;
  /** Where the default comes from. */
  readonly source: string;
}

export const DEFAULT_CONTROLLER_ASSUMPTIONS: ControllerModelAssumptions = {
  brokerCount: 30,
  replicationFactor: 3,
  partitionsPerTopic: 10,
  topicNameBytes: 20,
  controllerQuorumVoterCount: 3,
  zookeeperSessionTimeoutMs: 18_000,
  zkReadLatencyMs: 1,
  zkWriteLatencyMs: 2,
  zookeeperMaxInFlightRequests: 10,
  zkReadsPerSec: 40_000,
  zkWritesPerSec: 10_000,
  znodeDecodeUs: 20,
  controllerRequestBatchPartitions: Number.POSITIVE_INFINITY,
  updateMetadataPartitionFixedBytes: 24,
  leaderAndIsrPartitionFixedBytes: 27,
  replicaIdBytes: 8,
  requestSerializeUsPerPartition: 1,
  brokerApplyUsPerPartition: 40,
  controllerQuorumFetchTimeoutMs: 2000,
  controllerQuorumElectionTimeoutMs: 1000,
  controllerQuorumElectionBackoffMaxMs: 1000,
  controllerQuorumRequestTimeoutMs: 2000,
  controllerQuorumRetryBackoffMs: 20,
  controllerQuorumAppendLingerMs: 25,
  splitVoteRounds: 0,
  fsyncMs: 1,
  standbyLagRecords: 100,
  standbyReplaysSnapshot: false,
  metadataRecordApplyUs: 2,
  metadataRecordGenerateUs: 5,
  partitionRecordFixedBytes: 46,
  topicRecordBytes: 45,
  partitionChangeRecordBytes: 40,
  snapshotReadBytesPerSec: 500_000_000,
  networkRttMs: 0.5,
  networkBytesPerSec: 1_250_000_000,
};

const KIP595 = 'KIP-595 (A Raft Protocol for the Metadata Quorum) and the Kafka configuration reference';

export const CONTROLLER_ASSUMPTION_DOCS: readonly AssumptionDoc[] = [
  { key: 'brokerCount', appliesTo: 'both', unit: 'brokers', description: 'Brokers in the cluster. The ZooKeeper-era controller sends UpdateMetadata to every one of them; KRaft brokers fetch the log themselves.', source: 'Workload choice: a mid-sized cluster.' },
  { key: 'replicationFactor', appliesTo: 'both', kafkaConfig: 'default.replication.factor', unit: 'replicas', description: 'Replicas per partition; each adds a broker id to the ISR and replica lists of every partition state sent or stored.', source: 'Workload choice: the usual production setting.' },
  { key: 'partitionsPerTopic', appliesTo: 'both', kafkaConfig: 'num.partitions', unit: 'partitions', description: 'Partitions per topic, which sets how many /brokers/topics/<t> znodes (and TopicRecords) there are.', source: 'Workload choice.' },
  { key: 'topicNameBytes', appliesTo: 'both', unit: 'bytes', description: 'Length of a topic name on the wire.', source: 'Workload choice.' },
  { key: 'controllerQuorumVoterCount', appliesTo: 'kraft', kafkaConfig: 'controller.quorum.voters', unit: 'controllers', description: 'Voters of the __cluster_metadata quorum; the active controller plus its hot standbys.', source: 'KIP-500: three or five controllers; three is the usual deployment.' },
  { key: 'zookeeperSessionTimeoutMs', appliesTo: 'zookeeper', kafkaConfig: 'zookeeper.session.timeout.ms', unit: 'ms', description: 'After a controller crash, the /controller ephemeral znode disappears only when ZooKeeper expires the dead session; no broker can take over before.', source: 'Kafka default since 2.5 (KIP-537 raised it from 6000 ms).' },
  { key: 'zkReadLatencyMs', appliesTo: 'zookeeper', unit: 'ms', description: 'Round trip of one getData/getChildren to the ZooKeeper server the controller is connected to.', source: 'Estimate for one network round trip plus a lookup in ZooKeeper memory; the 2015 Confluent post "How to choose the number of topics/partitions" assumed 2 ms per partition for the whole synchronous reload.' },
  { key: 'zkWriteLatencyMs', appliesTo: 'zookeeper', unit: 'ms', description: 'Latency of one ZooKeeper write (create, setData): a quorum commit with an fsync.', source: 'Kafka replication design page (cwiki "Kafka Replication Detailed Design"): "each ZK write takes 2ms".' },
  { key: 'zookeeperMaxInFlightRequests', appliesTo: 'zookeeper', kafkaConfig: 'zookeeper.max.in.flight.requests', unit: 'requests', description: 'How many ZooKeeper requests the controller pipelines with the asynchronous client (Kafka 1.1+); 1 models the synchronous controller of Kafka 1.0 and earlier.', source: 'Kafka default 10 (KAFKA-5642, apache/kafka#3765).' },
  { key: 'zkReadsPerSec', appliesTo: 'zookeeper', unit: 'reads/s', description: 'Reads one ZooKeeper server can answer for the controller\'s single session; caps the benefit of more requests in flight.', source: 'Order of magnitude from the throughput figure of the ZooKeeper Overview (read-only load, 1 KiB reads); model estimate.' },
  { key: 'zkWritesPerSec', appliesTo: 'zookeeper', unit: 'writes/s', description: 'Writes the ZooKeeper ensemble commits per second (writes go through the ZooKeeper leader and a quorum).', source: 'Order of magnitude from the ZooKeeper Overview throughput figure; model estimate.' },
  { key: 'znodeDecodeUs', appliesTo: 'zookeeper', unit: 'µs', description: 'Controller CPU per znode read or written: decode the JSON and update the controller context.', source: 'Model estimate, chosen so that the reload of 100,000 partitions (about 13 s) sits inside the 7–15 s from election to ready that the KAFKA-6082 performance test measured on clusters of 40,000 to 100,000 partitions (apache/kafka#5101).' },
  { key: 'controllerRequestBatchPartitions', appliesTo: 'zookeeper', unit: 'partitions', description: 'Partition states per LeaderAndIsr/UpdateMetadata request. The controller channel sends one request at a time per broker and waits for its answer, so small batches pay a round trip each. Infinity: one request per broker, as Kafka 1.1+ batches them.', source: 'Kafka 1.1 batched controller requests (Confluent blog "Apache Kafka Supports 200K Partitions Per Cluster").' },
  { key: 'updateMetadataPartitionFixedBytes', appliesTo: 'zookeeper', unit: 'bytes', description: 'Bytes of one UpdateMetadata partition state apart from its broker id lists.', source: 'UpdateMetadataRequest v7: partition index, controller epoch, leader, leader epoch, zkVersion (4 bytes each), array lengths and tagged fields.' },
  { key: 'leaderAndIsrPartitionFixedBytes', appliesTo: 'zookeeper', unit: 'bytes', description: 'Bytes of one LeaderAndIsr partition state apart from its broker id lists.', source: 'LeaderAndIsrRequest v6: as UpdateMetadata plus partition epoch, adding/removing replicas, isNew and leader recovery state.' },
  { key: 'replicaIdBytes', appliesTo: 'both', unit: 'bytes', description: 'Bytes each replica adds to a partition state or PartitionRecord (its id in the replica list and in the ISR).', source: 'Two int32 broker ids per replica in the message and record schemas.' },
  { key: 'requestSerializeUsPerPartition', appliesTo: 'zookeeper', unit: 'µs', description: 'Controller CPU to serialize one partition state into a request.', source: 'Model estimate.' },
  { key: 'brokerApplyUsPerPartition', appliesTo: 'zookeeper', unit: 'µs', description: 'Broker CPU to deserialize and apply one partition state from UpdateMetadata or LeaderAndIsr.', source: 'Tencent Cloud\'s report on scaling Kafka to a million partitions: about 40 s for brokers to deserialize and apply 1,000,000 partitions.' },
  { key: 'controllerQuorumFetchTimeoutMs', appliesTo: 'kraft', kafkaConfig: 'controller.quorum.fetch.timeout.ms', unit: 'ms', description: 'A voter that has not fetched from the leader for this long becomes a candidate: how long a crashed active controller goes unnoticed.', source: `Kafka default 2000 ms; ${KIP595}.` },
  { key: 'controllerQuorumElectionTimeoutMs', appliesTo: 'kraft', kafkaConfig: 'controller.quorum.election.timeout.ms', unit: 'ms', description: 'How long a candidate waits for votes before a new round; paid only by elections that end in a split vote.', source: `Kafka default 1000 ms; ${KIP595}.` },
  { key: 'controllerQuorumElectionBackoffMaxMs', appliesTo: 'kraft', kafkaConfig: 'controller.quorum.election.backoff.max.ms', unit: 'ms', description: 'Upper bound of the random back-off after a failed election; the model charges its mean, half of it, per split vote.', source: `Kafka default 1000 ms; ${KIP595}.` },
  { key: 'controllerQuorumRequestTimeoutMs', appliesTo: 'kraft', kafkaConfig: 'controller.quorum.request.timeout.ms', unit: 'ms', description: 'How long a broker\'s fetch to a crashed leader waits before the broker looks for the new leader. It runs in parallel with the election.', source: `Kafka default 2000 ms; ${KIP595}.` },
  { key: 'controllerQuorumRetryBackoffMs', appliesTo: 'kraft', kafkaConfig: 'controller.quorum.retry.backoff.ms', unit: 'ms', description: 'Back-off before a broker retries its fetch against the new leader.', source: `Kafka default 20 ms; ${KIP595}.` },
  { key: 'controllerQuorumAppendLingerMs', appliesTo: 'kraft', kafkaConfig: 'controller.quorum.append.linger.ms', unit: 'ms', description: 'How long the leader lets writes gather before flushing them to the metadata log.', source: 'Kafka default 25 ms (KIP-595).' },
  { key: 'splitVoteRounds', appliesTo: 'kraft', unit: 'rounds', description: 'Elections that end without a majority before one succeeds. Randomised back-off makes this rare; the model is deterministic, so it is an input.', source: 'Model input; 0 is the common case (KIP-595, KIP-996 pre-vote).' },
  { key: 'fsyncMs', appliesTo: 'kraft', unit: 'ms', description: 'Time to flush a vote (quorum-state file) or a metadata log append to disk.', source: 'Model estimate for an SSD.' },
  { key: 'standbyLagRecords', appliesTo: 'kraft', unit: 'records', description: 'Records the winning standby has fetched but not yet replayed when it takes over; hot standbys replay as they fetch, so this is small and does not grow with partitions.', source: 'Model estimate (KIP-631: standbys replay the log as it is committed).' },
  { key: 'standbyReplaysSnapshot', appliesTo: 'kraft', unit: 'yes/no', description: 'Whether the winning standby must first rebuild its in-memory state from the latest snapshot (as right after its own restart). Makes KRaft failover grow with partitions.', source: 'KIP-630 (Kafka Raft Snapshot).' },
  { key: 'metadataRecordApplyUs', appliesTo: 'kraft', unit: 'µs', description: 'CPU to replay one metadata record into a controller or broker image.', source: 'Model estimate.' },
  { key: 'metadataRecordGenerateUs', appliesTo: 'kraft', unit: 'µs', description: 'Active controller CPU to decide one record (e.g. a PartitionChangeRecord in a controlled shutdown).', source: 'Model estimate.' },
  { key: 'partitionRecordFixedBytes', appliesTo: 'kraft', unit: 'bytes', description: 'Bytes of one PartitionRecord in a snapshot apart from its broker id lists, with record framing.', source: 'PartitionRecord v0: partition id, topic id (16), leader, leader epoch, partition epoch and array headers, plus about 9 bytes of record framing.' },
  { key: 'topicRecordBytes', appliesTo: 'kraft', unit: 'bytes', description: 'Bytes of one TopicRecord in a snapshot.', source: 'TopicRecord: name and topic id (16), with record framing.' },
  { key: 'partitionChangeRecordBytes', appliesTo: 'kraft', unit: 'bytes', description: 'Bytes of one PartitionChangeRecord (new leader or ISR for one partition).', source: 'PartitionChangeRecord: partition id, topic id and the changed fields, with record framing.' },
  { key: 'snapshotReadBytesPerSec', appliesTo: 'kraft', unit: 'bytes/s', description: 'Rate at which a controller reads its snapshot file from local disk.', source: 'Model estimate for an SSD.' },
  { key: 'networkRttMs', appliesTo: 'both', unit: 'ms', description: 'Round trip between two nodes in the same data centre.', source: 'Model estimate.' },
  { key: 'networkBytesPerSec', appliesTo: 'both', unit: 'bytes/s', description: 'Egress bandwidth of the controller, shared by all the requests it sends at once.', source: '10 Gbit/s network interface; model estimate.' },
];

/**
 * The assumptions that move the numbers most, printed beside every comparison: the
 * ZooKeeper session timeout and reload costs, the push costs, and KRaft's timeouts.
 */
export const KEY_CONTROLLER_ASSUMPTIONS: readonly AssumptionKey[] = [
  'zookeeperSessionTimeoutMs',
  'zkReadLatencyMs',
  'zookeeperMaxInFlightRequests',
  'zkReadsPerSec',
  'znodeDecodeUs',
  'controllerRequestBatchPartitions',
  'brokerApplyUsPerPartition',
  'networkBytesPerSec',
  'controllerQuorumFetchTimeoutMs',
  'controllerQuorumElectionTimeoutMs',
  'controllerQuorumRequestTimeoutMs',
  'standbyReplaysSnapshot',
];

/** A value with its unit as a person reads it: "18,000 ms", "all", "yes". */
export function formatAssumptionValue(key: AssumptionKey, value: number | boolean): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (!Number.isFinite(value)) return key === 'controllerRequestBatchPartitions' ? 'all (one request per broker)' : String(value);
  const unit = CONTROLLER_ASSUMPTION_DOCS.find((d) => d.key === key)?.unit ?? '';
  return `${groupThousands(value)} ${unit}`.trim();
}

function groupThousands(value: number): string {
  const [whole = '', fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** The assumptions with `overrides` applied, checked to be usable. */
export function resolveControllerAssumptions(overrides: Partial<ControllerModelAssumptions> = {}): ControllerModelAssumptions {
  const resolved: ControllerModelAssumptions = { ...DEFAULT_CONTROLLER_ASSUMPTIONS, ...overrides };
  for (const doc of CONTROLLER_ASSUMPTION_DOCS) {
    const value = resolved[doc.key];
    if (typeof value === 'boolean') continue;
    const infiniteAllowed = doc.key === 'controllerRequestBatchPartitions';
    if (Number.isNaN(value) || value < 0 || (!infiniteAllowed && !Number.isFinite(value))) {
      throw new KafkaError('INVALID_CONFIG', `${doc.key} must be a finite number of ${doc.unit}, at least 0, not ${value}.`, `leave it out to use the default, ${String(DEFAULT_CONTROLLER_ASSUMPTIONS[doc.key])}`);
    }
  }
  checkAtLeastOne(resolved, ['brokerCount', 'replicationFactor', 'partitionsPerTopic', 'controllerQuorumVoterCount', 'zookeeperMaxInFlightRequests', 'controllerRequestBatchPartitions', 'splitVoteRounds'], true);
  // Rates divide: a zero rate would make every operation take forever.
  checkAtLeastOne(resolved, ['zkReadsPerSec', 'zkWritesPerSec', 'networkBytesPerSec', 'snapshotReadBytesPerSec'], false);
  if (resolved.replicationFactor > resolved.brokerCount) {
    throw new KafkaError('INVALID_REPLICATION_FACTOR', `replicationFactor ${resolved.replicationFactor} is larger than brokerCount ${resolved.brokerCount}.`, 'each replica lives on a different broker: lower the replication factor or add brokers');
  }
  return resolved;
}

function checkAtLeastOne(a: ControllerModelAssumptions, keys: readonly AssumptionKey[], whole: boolean): void {
  for (const key of keys) {
    const value = a[key] as number;
    const minimum = key === 'splitVoteRounds' ? 0 : 1;
    if (value < minimum || (whole && Number.isFinite(value) && !Number.isInteger(value))) {
      throw new KafkaError('INVALID_CONFIG', `${key} must be ${whole ? 'a whole number' : 'a number'} of at least ${minimum}, not ${value}.`, `leave it out to use the default, ${String(DEFAULT_CONTROLLER_ASSUMPTIONS[key])}`);
    }
  }
}
