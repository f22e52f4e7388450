/**
 * Broker, controller and topic configuration with Kafka's names and defaults. Every
 * node reads its settings through `NodeConfig`, so a lab can override any of them in
 * server.properties style (`replica.lag.time.max.ms=10000`).
 */
import { KafkaError } from '../errors';

/** Broker and controller settings the engine models, with Kafka's defaults. */
export const serverDefaults: Readonly<Record<string, string>> = {
  'broker.session.timeout.ms': '9000',
  'broker.heartbeat.interval.ms': '2000',
  'controller.quorum.election.timeout.ms': '1000',
  'controller.quorum.fetch.timeout.ms': '2000',
  'controller.quorum.election.backoff.max.ms': '1000',
  'controller.quorum.request.timeout.ms': '2000',
  'controller.quorum.retry.backoff.ms': '20',
  'controller.quorum.fetch.max.wait.ms': '500',
  'metadata.log.max.record.bytes.between.snapshots': '20971520',
  'metadata.snapshot.max.records': '2000',
  'replica.lag.time.max.ms': '30000',
  'replica.fetch.wait.max.ms': '500',
  'replica.fetch.backoff.ms': '1000',
  'replica.fetch.max.bytes': '1048576',
  'replica.fetch.min.bytes': '1',
  'num.partitions': '1',
  'default.replication.factor': '1',
  'min.insync.replicas': '1',
  'unclean.leader.election.enable': 'false',
  'auto.leader.rebalance.enable': 'true',
  'leader.imbalance.check.interval.seconds': '300',
  'leader.imbalance.per.broker.percentage': '10',
  'auto.create.topics.enable': 'true',
  'delete.topic.enable': 'true',
  'offsets.topic.replication.factor': '3',
  'offsets.topic.num.partitions': '50',
  'transaction.state.log.replication.factor': '3',
  'transaction.state.log.num.partitions': '50',
  'transaction.state.log.min.isr': '2',
  'request.timeout.ms': '30000',
  'retry.backoff.ms': '100',
  'default.api.timeout.ms': '60000',
  'controlled.shutdown.enable': 'true',
  'log.flush.interval.messages': '9223372036854775807',
  'log.segment.bytes': '1073741824',
  'log.retention.ms': '604800000',
  'message.max.bytes': '1048588',
  // The log cleaner (compaction): brokers clean every log.cleaner.backoff.ms.
  'log.cleaner.enable': 'true',
  'log.cleaner.backoff.ms': '15000',
  'log.cleaner.delete.retention.ms': '86400000',
  'log.cleaner.min.cleanable.ratio': '0.5',
  'log.cleaner.min.compaction.lag.ms': '0',
  'log.cleanup.policy': 'delete',
  // Replication quotas (KIP-73), follower fetching (KIP-392) and tiering (KIP-405).
  'leader.replication.throttled.rate': '9223372036854775807',
  'follower.replication.throttled.rate': '9223372036854775807',
  'replica.selector.class': '',
  'remote.log.manager.task.interval.ms': '30000',
  // The request path (module 2): network threads, I/O threads and the request queue's bound.
  'num.network.threads': '3',
  'num.io.threads': '8',
  'queued.max.requests': '500',
};

/**
 * Topic-level configs Kafka accepts, with their defaults. Broker settings named
 * `log.<x>` or plain provide the default for topics that do not override them.
 */
export const topicDefaults: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'compression.type': 'producer',
  'delete.retention.ms': '86400000',
  'file.delete.delay.ms': '60000',
  'flush.messages': '9223372036854775807',
  'flush.ms': '9223372036854775807',
  'follower.replication.throttled.replicas': '',
  'index.interval.bytes': '4096',
  'local.retention.bytes': '-2',
  'leader.replication.throttled.replicas': '',
  'local.retention.ms': '-2',
  'max.compaction.lag.ms': '9223372036854775807',
  'max.message.bytes': '1048588',
  'message.timestamp.type': 'CreateTime',
  'message.timestamp.before.max.ms': '9223372036854775807',
  'message.timestamp.after.max.ms': '9223372036854775807',
  'min.cleanable.dirty.ratio': '0.5',
  'min.compaction.lag.ms': '0',
  'min.insync.replicas': '1',
  'preallocate': 'false',
  'remote.storage.enable': 'false',
  'retention.bytes': '-1',
  'retention.ms': '604800000',
  'segment.bytes': '1073741824',
  'segment.index.bytes': '10485760',
  'segment.jitter.ms': '0',
  'segment.ms': '604800000',
  'unclean.leader.election.enable': 'false',
};

/** Which broker setting supplies the cluster-wide default of a topic config. */
const brokerKeyForTopicConfig: Readonly<Record<string, string>> = {
  'min.insync.replicas': 'min.insync.replicas',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
  'segment.bytes': 'log.segment.bytes',
  'retention.ms': 'log.retention.ms',
  'max.message.bytes': 'message.max.bytes',
  'flush.messages': 'log.flush.interval.messages',
  'cleanup.policy': 'log.cleanup.policy',
  'delete.retention.ms': 'log.cleaner.delete.retention.ms',
  'min.cleanable.dirty.ratio': 'log.cleaner.min.cleanable.ratio',
  'min.compaction.lag.ms': 'log.cleaner.min.compaction.lag.ms',
};

export class NodeConfig {
  private readonly values: Readonly<Record<string, string>>;

  constructor(overrides: Readonly<Record<string, string>> = {}) {
    this.values = { ...serverDefaults, ...overrides };
  }

  get(name: string): string | undefined {
    return this.values[name];
  }

  int(name: string): number {
    const raw = this.values[name];
    const value = raw === undefined ? NaN : Number(raw);
    if (!Number.isFinite(value)) throw new KafkaError('INVALID_CONFIG', `Config ${name} is not a number: ${raw}.`);
    return value;
  }

  bool(name: string): boolean {
    return this.values[name] === 'true';
  }

  /** The effective value of a topic config: the topic's override, else the broker default. */
  topicValue(name: string, overrides: ReadonlyMap<string, string>): string | undefined {
    const own = overrides.get(name);
    if (own !== undefined) return own;
    const brokerKey = brokerKeyForTopicConfig[name];
    return (brokerKey === undefined ? undefined : this.values[brokerKey]) ?? topicDefaults[name];
  }

  all(): Readonly<Record<string, string>> {
    return this.values;
  }
}

/** Checks a topic config override; returns the error Kafka would give, or null. */
export function validateTopicConfig(name: string, value: string): KafkaError | null {
  if (!(name in topicDefaults)) {
    return new KafkaError('INVALID_CONFIG', `Unknown topic config name: ${name}.`, 'Run `kafka-configs --describe --all` to list the topic configs.');
  }
  const numeric = /\.(ms|bytes|messages|ratio)$/.test(name) || name === 'min.insync.replicas';
  if (numeric && !Number.isFinite(Number(value))) {
    return new KafkaError('INVALID_CONFIG', `Invalid value ${value} for configuration ${name}: Not a number of type LONG.`);
  }
  if (name === 'min.insync.replicas' && Number(value) < 1) {
    return new KafkaError('INVALID_CONFIG', `Invalid value ${value} for configuration min.insync.replicas: Value must be at least 1.`);
  }
  if (name === 'unclean.leader.election.enable' && value !== 'true' && value !== 'false') {
    return new KafkaError('INVALID_CONFIG', `Invalid value ${value} for configuration ${name}: Expected value to be either true or false.`);
  }
  if (name.endsWith('.replication.throttled.replicas') && !/^(\*|\s*\d+\s*:\s*\d+\s*(,\s*\d+\s*:\s*\d+\s*)*)?$/.test(value)) {
    return new KafkaError('INVALID_CONFIG', `Invalid value ${value} for configuration ${name}: must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`);
  }
  if (name === 'cleanup.policy' && !/^(delete|compact)(,(delete|compact))?$/.test(value)) {
    return new KafkaError('INVALID_CONFIG', `Invalid value ${value} for configuration cleanup.policy: String must be one of: compact, delete.`);
  }
  return null;
}
