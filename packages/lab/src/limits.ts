/**
 * Per-lab limits: what one learner's cluster may hold and how fast it may be written to,
 * so that one learner cannot take the memory or the CPU that hundreds of others share.
 *
 * The limits sit in front of the engine, on the facade that every terminal command, every
 * request from learner code and every built-in client goes through (shell, client host,
 * `clients`); the engine itself stays unbounded, as a Kafka broker is. They live here
 * rather than in the engine's controller and produce path so that engine, wire adapter
 * and simulations keep Kafka's unbounded behaviour; log sizes are read from the brokers'
 * replicas. A refused request gets a Kafka error with a sentence for the learner and a
 * suggestion, and the lab stays usable: reading, describing and deleting always work,
 * which is how a learner gets back under a limit.
 *
 * Kafka models followed: topic and partition bounds answer POLICY_VIOLATION, as a
 * broker's CreateTopicPolicy does; the write rate answers THROTTLING_QUOTA_EXCEEDED, the
 * code of KIP-599's controller mutation quota. Deviation: Kafka throttles a producer over
 * its byte-rate quota by delaying the response (throttle_time_ms) instead of refusing it;
 * here the request is refused at once, so the learner sees why.
 */
import {
  Cluster,
  KafkaError,
  type ClusterApi,
  type CreateTopicResult,
  type NewPartitions,
  type NewTopic,
  type ProduceRequest,
  type ProduceResponse,
  type TopicResult,
} from '@kil/engine';
import { systemClock, type WallClock } from './scheduler';

export interface LabLimits {
  /** Topics a learner may create (internal topics such as __consumer_offsets do not count). */
  readonly topicsMax: number;
  readonly partitionsPerTopicMax: number;
  /** Partitions summed over the learner's topics. */
  readonly partitionsMax: number;
  /** Log bytes held by every replica together (a record at replication factor 3 counts three times). */
  readonly retainedBytesMax: number;
  /** Records held by every replica together, between each log's start and end offsets. */
  readonly retainedRecordsMax: number;
  /** Log segments held by every replica; each is a .log, an .index and a .timeindex file. */
  readonly segmentsMax: number;
  /** Records written per second of wall time, averaged over `produceBurstS` seconds. */
  readonly produceRecordsPerSecondMax: number;
  readonly produceBytesPerSecondMax: number;
  readonly produceBurstS: number;
  /** Brokers, counting those a learner adds (`broker add`) to the lab's starting shape. */
  readonly brokersMax: number;
  /** Producers and group consumers running inside the lab at once (the `clients` command). */
  readonly clientsMax: number;
}

export const defaultLabLimits: LabLimits = {
  topicsMax: 50,
  partitionsPerTopicMax: 64,
  partitionsMax: 200,
  retainedBytesMax: 16 * 1024 * 1024,
  retainedRecordsMax: 200_000,
  segmentsMax: 2_000,
  produceRecordsPerSecondMax: 2_000,
  produceBytesPerSecondMax: 1024 * 1024,
  produceBurstS: 2,
  brokersMax: 6,
  clientsMax: 20,
};

/** Topics the cluster creates for itself; learners do not pay for them. */
function isInternalTopicName(name: string): boolean {
  return name === '__consumer_offsets' || name === '__transaction_state';
}

const deleteHint = 'Delete a topic you no longer need (kafka-topics --bootstrap-server localhost:9092 --delete --topic <name>), or run `lab reset`.';

function policy(message: string, suggestion: string = deleteHint): KafkaError {
  return new KafkaError('POLICY_VIOLATION', message, suggestion);
}

/** What a lab holds now, as the limits count it. */
export interface LabUsage {
  readonly topics: number;
  readonly partitions: number;
  readonly retainedBytes: number;
  readonly retainedRecords: number;
  readonly segments: number;
}

/** Topics and partitions from the cluster's snapshot; log sizes from the brokers' replicas. */
export function measureUsage(cluster: ClusterApi): LabUsage {
  const topics = cluster.snapshot().topics.filter((t) => !t.internal && !isInternalTopicName(t.name));
  return { topics: topics.length, partitions: topics.reduce((n, t) => n + t.partitions.length, 0), ...measureLogs(cluster) };
}

/**
 * Log sizes over every running broker's replicas. A stopped broker's logs are not counted
 * until it starts again; they cannot grow while it is down.
 */
function measureLogs(cluster: ClusterApi): Pick<LabUsage, 'retainedBytes' | 'retainedRecords' | 'segments'> {
  let retainedBytes = 0;
  let retainedRecords = 0;
  let segments = 0;
  if (!(cluster instanceof Cluster)) return { retainedBytes, retainedRecords, segments };
  for (const slot of cluster.slots.values()) {
    for (const partition of slot.broker?.replicaManager.partitions.values() ?? []) {
      const log = partition.log;
      retainedBytes += log.sizeBytes;
      retainedRecords += Math.max(0, log.logEndOffset - log.logStartOffset);
      segments += log.segmentObjects().length;
    }
  }
  return { retainedBytes, retainedRecords, segments };
}

/** A token bucket over wall time; `take` fails without taking when there is not enough. */
class Bucket {
  private tokens: number;
  private lastMs: number;
  constructor(
    private readonly ratePerS: number,
    private readonly capacity: number,
    private readonly wall: WallClock,
  ) {
    this.tokens = capacity;
    this.lastMs = wall.nowMs();
  }

  canTake(amount: number): boolean {
    const now = this.wall.nowMs();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.lastMs) / 1000) * this.ratePerS);
    this.lastMs = now;
    // A single request larger than the whole burst may still go through on a full bucket.
    return this.tokens >= Math.min(amount, this.capacity);
  }

  take(amount: number): void {
    this.tokens -= amount;
  }
}

/** The checks and the bookkeeping behind a bounded facade; one per lab cluster. */
export class LabLimiter {
  private readonly records: Bucket;
  private readonly bytes: Bucket;
  /** Topics and partitions of create requests still on their way to the controller. */
  private pendingTopics = 0;
  private pendingPartitions = 0;
  /** In-lab producers and consumers created through the facade and not closed yet. */
  private readonly clients = new Set<{ readonly state: string }>();

  constructor(
    private readonly cluster: ClusterApi,
    readonly limits: LabLimits = defaultLabLimits,
    wall: WallClock = systemClock,
  ) {
    this.records = new Bucket(limits.produceRecordsPerSecondMax, limits.produceRecordsPerSecondMax * limits.produceBurstS, wall);
    this.bytes = new Bucket(limits.produceBytesPerSecondMax, limits.produceBytesPerSecondMax * limits.produceBurstS, wall);
  }

  /** Create the topics that fit; the others get POLICY_VIOLATION in their result, in order. */
  async createTopics(topics: readonly NewTopic[], validateOnly: boolean, create: (allowed: NewTopic[]) => Promise<CreateTopicResult[]>): Promise<CreateTopicResult[]> {
    const { refused, allowed, partitions } = this.planCreate(topics);
    let created: CreateTopicResult[] = [];
    if (allowed.length > 0) {
      const reserve = validateOnly ? 0 : 1;
      this.pendingTopics += reserve * allowed.length;
      this.pendingPartitions += reserve * partitions;
      try {
        created = await create(allowed);
      } finally {
        this.pendingTopics -= reserve * allowed.length;
        this.pendingPartitions -= reserve * partitions;
      }
    }
    const byName = new Map(created.map((r) => [r.name, r]));
    return topics.map((t) => refused.get(t) ?? byName.get(t.name) ?? refusedResult(t.name, policy('The topic was not created.')));
  }

  /** Raise partition counts where they fit; the others get POLICY_VIOLATION, in order. */
  async createPartitions(requests: readonly NewPartitions[], validateOnly: boolean, create: (allowed: NewPartitions[]) => Promise<TopicResult[]>): Promise<TopicResult[]> {
    const counts = new Map(this.cluster.snapshot().topics.map((t) => [t.name, t.partitions.length]));
    let partitionCount = measureUsage(this.cluster).partitions + this.pendingPartitions;
    const refused = new Map<NewPartitions, TopicResult>();
    const allowed: NewPartitions[] = [];
    let added = 0;
    const l = this.limits;
    for (const request of requests) {
      // Unknown topics and shrinking requests are the engine's to refuse, with Kafka's errors.
      const more = request.totalCount - (counts.get(request.topic) ?? request.totalCount);
      const error =
        more > 0 && request.totalCount > l.partitionsPerTopicMax
          ? policy(`A topic in this lab may have at most ${l.partitionsPerTopicMax} partitions; ${request.topic} asked for ${request.totalCount}.`, `Use --partitions ${l.partitionsPerTopicMax} or fewer.`)
          : more > 0 && partitionCount + more > l.partitionsMax
            ? policy(`This lab holds at most ${l.partitionsMax} partitions over all topics and has ${partitionCount}; this would add ${more}.`)
            : null;
      if (error) refused.set(request, { name: request.topic, error });
      else {
        partitionCount += Math.max(0, more);
        added += Math.max(0, more);
        allowed.push(request);
      }
    }
    let done: TopicResult[] = [];
    if (allowed.length > 0) {
      const reserve = validateOnly ? 0 : added;
      this.pendingPartitions += reserve;
      try {
        done = await create(allowed);
      } finally {
        this.pendingPartitions -= reserve;
      }
    }
    const byName = new Map(done.map((r) => [r.name, r]));
    return requests.map((r) => refused.get(r) ?? byName.get(r.topic) ?? { name: r.topic, error: policy('The partitions were not created.') });
  }

  /** Count a new in-lab producer or consumer; refuse one beyond `clientsMax`. */
  admitClient(client: { readonly state: string }): void {
    for (const c of this.clients) if (/^(closed|failed|fenced)$/i.test(c.state)) this.clients.delete(c);
    if (this.clients.size >= this.limits.clientsMax) {
      throw policy(`This lab runs at most ${this.limits.clientsMax} producers and consumers at once, and has ${this.clients.size}.`, 'Stop some first: `clients stop <name>` or `clients stop all`.');
    }
    this.clients.add(client);
  }

  /** Refuse a broker beyond `brokersMax`. */
  checkAddBroker(): void {
    const brokers = this.cluster.snapshot().brokers.length;
    if (brokers >= this.limits.brokersMax) {
      throw policy(`This lab runs at most ${this.limits.brokersMax} brokers and has ${brokers}.`, 'Remove a broker first (broker remove <id>), or run `lab reset`.');
    }
  }

  topicNames(): string[] {
    return this.cluster.snapshot().topics.map((t) => t.name);
  }

  /** Refuse auto-creating topics that would go over the topic limit. */
  checkAutoCreate(missing: number): void {
    const usage = measureUsage(this.cluster);
    if (missing > 0 && usage.topics + this.pendingTopics + missing > this.limits.topicsMax) {
      throw policy(`This lab holds at most ${this.limits.topicsMax} topics and has ${usage.topics}, so the topic is not created automatically.`);
    }
  }

  /** The refusal for a write, or null when it may go ahead (its records are then counted). */
  checkProduce(request: ProduceRequest): KafkaError | null {
    const { records, bytes } = produceSize(request);
    const logs = measureLogs(this.cluster);
    const l = this.limits;
    if (logs.retainedBytes + bytes > l.retainedBytesMax) {
      return policy(`This lab keeps at most ${mib(l.retainedBytesMax)} of log data over all replicas, and holds ${mib(logs.retainedBytes)}.`, `Set retention.bytes or retention.ms on a topic (kafka-configs --alter --add-config), delete a topic, or run \`lab reset\`.`);
    }
    if (logs.retainedRecords + records > l.retainedRecordsMax) {
      return policy(`This lab keeps at most ${l.retainedRecordsMax} records over all replicas, and holds ${logs.retainedRecords}.`, 'Set retention on a topic, delete a topic, or run `lab reset`.');
    }
    if (logs.segments >= l.segmentsMax) {
      return policy(`This lab's logs may have at most ${l.segmentsMax} segments, and have ${logs.segments}.`, 'Raise segment.bytes on the topic you write to, or delete a topic.');
    }
    if (!this.records.canTake(records) || !this.bytes.canTake(bytes)) {
      return new KafkaError(
        'THROTTLING_QUOTA_EXCEEDED',
        `This lab accepts at most ${l.produceRecordsPerSecondMax} records and ${mib(l.produceBytesPerSecondMax)} per second; this write went over that quota.`,
        'Wait a moment and send again, or send fewer, larger batches more slowly.',
      );
    }
    this.records.take(records);
    this.bytes.take(bytes);
    return null;
  }

  private planCreate(topics: readonly NewTopic[]): { refused: Map<NewTopic, CreateTopicResult>; allowed: NewTopic[]; partitions: number } {
    const snapshot = this.cluster.snapshot();
    const existing = new Set(snapshot.topics.map((t) => t.name));
    const usage = measureUsage(this.cluster);
    let topicCount = usage.topics + this.pendingTopics;
    let partitionCount = usage.partitions + this.pendingPartitions;
    const refused = new Map<NewTopic, CreateTopicResult>();
    const allowed: NewTopic[] = [];
    let partitions = 0;
    const l = this.limits;
    for (const topic of topics) {
      // The engine answers these itself (TOPIC_ALREADY_EXISTS, internal topics).
      if (existing.has(topic.name) || isInternalTopicName(topic.name)) {
        allowed.push(topic);
        continue;
      }
      const n = requestedPartitions(topic, this.cluster);
      const error =
        n > l.partitionsPerTopicMax
          ? policy(`A topic in this lab may have at most ${l.partitionsPerTopicMax} partitions; ${topic.name} asked for ${n}.`, `Use --partitions ${l.partitionsPerTopicMax} or fewer.`)
          : topicCount + 1 > l.topicsMax
            ? policy(`This lab holds at most ${l.topicsMax} topics and already has ${topicCount}.`)
            : partitionCount + n > l.partitionsMax
              ? policy(`This lab holds at most ${l.partitionsMax} partitions over all topics and has ${partitionCount}; ${topic.name} would add ${n}.`, `Use fewer partitions, or ${deleteHint.charAt(0).toLowerCase()}${deleteHint.slice(1)}`)
              : null;
      if (error) {
        refused.set(topic, refusedResult(topic.name, error));
        continue;
      }
      topicCount += 1;
      partitionCount += n;
      partitions += n;
      allowed.push(topic);
    }
    return { refused, allowed, partitions };
  }
}

function refusedResult(name: string, error: KafkaError): CreateTopicResult {
  return { name, error, topicId: null, numPartitions: -1, replicationFactor: -1 };
}

/** Partitions a create request asks for; -1 or absent means the cluster's num.partitions. */
function requestedPartitions(topic: NewTopic, cluster: ClusterApi): number {
  if (topic.replicaAssignment && topic.replicaAssignment.length > 0) return topic.replicaAssignment.length;
  if (topic.numPartitions !== undefined && topic.numPartitions !== -1) return Math.max(0, topic.numPartitions);
  const configured = cluster instanceof Cluster ? Number(cluster.config.get('num.partitions') ?? 1) : 1;
  return Number.isFinite(configured) ? configured : 1;
}

function produceSize(request: ProduceRequest): { records: number; bytes: number } {
  if (request.batch) return { records: batchRecordCount(request.batch), bytes: request.batch.byteLength };
  const records = request.records ?? [];
  let bytes = 0;
  for (const r of records) bytes += sizeOf(r.key) + sizeOf(r.value) + 16;
  return { records: records.length, bytes };
}

function sizeOf(value: string | Uint8Array | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? value.length : value.byteLength;
}

/** Records in pre-encoded v2 batches: the int32 record count sits 57 bytes into each batch header. */
function batchRecordCount(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  let position = 0;
  while (position + 61 <= bytes.byteLength) {
    count += Math.max(0, view.getInt32(position + 57));
    const batchLength = view.getInt32(position + 8);
    if (batchLength <= 0) break;
    position += 12 + batchLength;
  }
  return Math.max(1, count);
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;
}

function refusedProduce(request: ProduceRequest, error: KafkaError): ProduceResponse {
  return { topic: request.topic, partition: request.partition, brokerId: -1, error, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 };
}

type Admin = ClusterApi['admin'];
type Client = ClusterApi['client'];
type Producer = ReturnType<Client['createProducer']>;
type BrokerApi = ReturnType<ClusterApi['broker']>;
type CreateOptions = { validateOnly?: boolean };

/**
 * The create calls admin and per-broker requests share, with the limits in front. The
 * optional arguments are passed on only when given, so the recorder logs the same call
 * the learner made (a recorded `undefined` would replay as `null`).
 */
function creators(object: Pick<Admin, 'createTopics' | 'createPartitions'>, limiter: LabLimiter) {
  return {
    createTopics: (topics: readonly NewTopic[], ...rest: [CreateOptions?]) =>
      limiter.createTopics(topics, rest[0]?.validateOnly ?? false, (allowed) => object.createTopics(allowed, ...rest)),
    createPartitions: (requests: readonly NewPartitions[], ...rest: [CreateOptions?]) =>
      limiter.createPartitions(requests, rest[0]?.validateOnly ?? false, (allowed) => object.createPartitions(allowed, ...rest)),
  };
}

/** A proxy of `object` whose members named in `overrides` are replaced. */
function override<T extends object>(object: T, overrides: Record<string, unknown>): T {
  return new Proxy(object, {
    get(target, key) {
      if (typeof key === 'string' && Object.hasOwn(overrides, key)) return overrides[key];
      // Getters run against the real object, which may keep private state.
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * `facade` with the limits in front: creating topics and partitions (admin, per broker,
 * and automatically on metadata), adding brokers, and writes (client and per broker) are
 * checked; everything else passes through untouched.
 */
export function boundedCluster(facade: ClusterApi, limiter: LabLimiter): ClusterApi {
  const admin = override(facade.admin, {
    ...creators(facade.admin, limiter),
    addBroker: (...args: Parameters<Admin['addBroker']>) => {
      try {
        limiter.checkAddBroker();
      } catch (error) {
        return Promise.reject(error);
      }
      return facade.admin.addBroker(...args);
    },
  });
  const client = override(facade.client, {
    produce: (request: Parameters<ClusterApi['client']['produce']>[0]) => {
      const refusal = limiter.checkProduce(request);
      return refusal ? Promise.resolve(refusedProduce(request, refusal)) : facade.client.produce(request);
    },
    createProducer: (...args: Parameters<Client['createProducer']>) => {
      const producer = facade.client.createProducer(...args);
      limiter.admitClient(producer);
      return boundedProducer(producer, limiter);
    },
    createConsumer: (...args: Parameters<Client['createConsumer']>) => {
      // Counted before it starts, so a refused consumer never joins its group.
      const consumer = facade.client.createConsumer(...args);
      limiter.admitClient(consumer);
      return consumer;
    },
  });
  const faults = override(facade.faults, {
    addBroker: (...args: Parameters<ClusterApi['faults']['addBroker']>) => {
      limiter.checkAddBroker();
      return facade.faults.addBroker(...args);
    },
  });
  return override(facade, { admin, client, faults, broker: (id: number) => boundedBroker(facade.broker(id), limiter) });
}

/** An in-lab producer whose every send passes the write limits first. */
function boundedProducer(producer: Producer, limiter: LabLimiter): Producer {
  return override(producer, {
    send: (request: Parameters<Producer['send']>[0]) => {
      const refusal = limiter.checkProduce(request);
      return refusal ? Promise.resolve(refusedProduce(request, refusal)) : producer.send(request);
    },
  });
}

function boundedBroker(broker: BrokerApi, limiter: LabLimiter): BrokerApi {
  return override(broker, {
    ...creators(broker, limiter),
    produce: (request: ProduceRequest) => {
      const refusal = limiter.checkProduce(request);
      return refusal ? Promise.resolve({ ...refusedProduce(request, refusal), brokerId: broker.id }) : broker.produce(request);
    },
    metadata: (...args: Parameters<BrokerApi['metadata']>) => {
      const [topics, options] = args;
      if (options?.autoCreate && topics) {
        const known = new Set(limiter.topicNames());
        try {
          limiter.checkAutoCreate(topics.filter((t) => !known.has(t)).length);
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return broker.metadata(...args);
    },
  });
}
