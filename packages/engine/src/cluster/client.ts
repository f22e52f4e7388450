/**
 * The admin client and the producer/consumer client that live inside the simulation.
 * Like Kafka's clients they bootstrap from any running broker, find partition leaders in
 * a broker's metadata, and retry retriable errors after retry.backoff.ms until their
 * timeout (default.api.timeout.ms for admin calls, delivery.timeout.ms for produce).
 */
import { KafkaError, isRetriable } from '../errors';
import { isInternalTopic } from '../controller/topic-validation';
import type {
  AdminApi,
  AlterConfigOp,
  BrokerApi,
  ClientApi,
  ConfigResource,
  FetchRequest,
  FetchResponse,
  ListOffsetsRequest,
  ListOffsetsResponse,
  NewTopic,
  ProduceRequest,
  ProduceResponse,
} from './api';
import type { Cluster } from './cluster';
import { CoordinatorAdmin } from './coordinator-admin';
import { CoordinatorClient } from './coordinator-client';
import type { MetadataImage } from '../metadata/image';
import type { TopicPartition } from '../ids';
import type { AddBrokerOptions, NewPartitions, ReassignmentTarget, RemoveBrokerOptions } from './api';
import { addBrokerAndWait, createPartitionsAndWait, decommissionBroker } from './elasticity-admin';
import { PreferredReadReplicas, rackAwareFetch } from './rack-aware-fetch';

export function sleep(cluster: Cluster, ms: number): Promise<void> {
  return new Promise((resolve) => cluster.schedule(ms, resolve));
}

export function asKafkaError(error: unknown): KafkaError {
  return error instanceof KafkaError ? error : new KafkaError('UNKNOWN_SERVER_ERROR', String(error));
}

/** Runs `attempt` until it succeeds, fails for good, or the timeout passes. */
export async function withRetries<T>(cluster: Cluster, timeoutMs: number, attempt: () => Promise<T>, retry: (value: T) => boolean = () => false): Promise<T> {
  const deadline = cluster.nowMs() + timeoutMs;
  const backoffMs = cluster.config.int('retry.backoff.ms');
  for (;;) {
    try {
      const value = await attempt();
      if (!retry(value) || cluster.nowMs() + backoffMs > deadline) return value;
    } catch (error) {
      const kafka = asKafkaError(error);
      if (!kafka.retriable || cluster.nowMs() + backoffMs > deadline) throw kafka;
    }
    await sleep(cluster, backoffMs);
  }
}

/** A running broker to bootstrap from: the lowest id that is up. */
export function bootstrap(cluster: Cluster): BrokerApi {
  const id = cluster.brokerIds.find((b) => cluster.brokerNode(b) !== null);
  if (id === undefined) throw new KafkaError('NETWORK_EXCEPTION', 'No broker is running: the bootstrap servers refuse connections.', 'Start a broker with `broker start <id>`.');
  return cluster.broker(id);
}

/** The partition leader according to the freshest metadata any running broker holds. */
export function findLeader(cluster: Cluster, topic: string, partition: number): number {
  let best: { offset: number; leader: number } | null = null;
  for (const id of cluster.brokerIds) {
    const image = cluster.brokerNode(id)?.image;
    if (image === undefined || (best !== null && image.offset <= best.offset)) continue;
    const reg = image.partition(topic, partition);
    best = { offset: image.offset, leader: reg === undefined ? -2 : reg.leader };
  }
  if (best === null || best.leader === -2) {
    throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition: ${topic}-${partition}.`, 'Check the topic name with kafka-topics --list.');
  }
  if (best.leader < 0) throw new KafkaError('LEADER_NOT_AVAILABLE', `${topic}-${partition} has no leader right now.`, 'Wait for a leader election, or start a broker in its ISR.');
  return best.leader;
}

export class SimAdmin extends CoordinatorAdmin implements AdminApi {
  constructor(private readonly cluster: Cluster) {
    super(cluster);
  }

  private timeoutMs(): number {
    return this.cluster.config.int('default.api.timeout.ms');
  }

  private run<T>(call: (broker: BrokerApi) => Promise<T>): Promise<T> {
    return withRetries(this.cluster, this.timeoutMs(), async () => call(bootstrap(this.cluster)));
  }

  async createTopics(topics: readonly NewTopic[], options?: { validateOnly?: boolean }) {
    const results = await this.run((b) => b.createTopics(topics, options));
    const created = results.filter((r) => r.error === null && options?.validateOnly !== true).map((r) => r.name);
    await this.awaitMetadata((image) => created.every((name) => image.topic(name) !== undefined));
    return results;
  }

  async deleteTopics(names: readonly string[]) {
    const results = await this.run((b) => b.deleteTopics(names));
    const deleted = results.filter((r) => r.error === null).map((r) => r.name);
    await this.awaitMetadata((image) => deleted.every((name) => image.topic(name) === undefined));
    return results;
  }

  /**
   * Kafka answers once the controller has committed the change; brokers learn it a moment
   * later. The lab waits for the bootstrap broker too, so that the next command sees it.
   */
  private async awaitMetadata(ready: (image: MetadataImage) => boolean): Promise<void> {
    const deadline = this.cluster.nowMs() + 5_000;
    while (this.cluster.nowMs() < deadline) {
      const id = this.cluster.brokerIds.find((b) => this.cluster.brokerNode(b) !== null);
      const image = id === undefined ? undefined : this.cluster.brokerNode(id)?.image;
      if (image === undefined || ready(image)) return;
      await sleep(this.cluster, 5);
    }
  }

  async listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    const metadata = await this.run((b) => b.metadata(null));
    return metadata.topics.map((t) => t.name).filter((name) => options.includeInternal === true || !isInternalTopic(name));
  }

  describeConfigs(resource: ConfigResource) {
    return this.run((b) => b.describeConfigs(resource));
  }

  incrementalAlterConfigs(resource: ConfigResource, ops: readonly AlterConfigOp[], options?: { validateOnly?: boolean }) {
    return this.run((b) => b.incrementalAlterConfigs(resource, ops, options));
  }

  electLeaders(type: 'preferred' | 'unclean', partitions: readonly { topic: string; partition: number }[] | null) {
    return this.run((b) => b.electLeaders(type, partitions));
  }

  describeQuorum() {
    return this.run((b) => b.describeQuorum());
  }

  alterPartitionReassignments(reassignments: readonly ReassignmentTarget[]) {
    return this.run((b) => b.alterPartitionReassignments(reassignments));
  }

  listPartitionReassignments(partitions: readonly TopicPartition[] | null = null) {
    return this.run((b) => b.listPartitionReassignments(partitions));
  }

  createPartitions(topics: readonly NewPartitions[], options?: { validateOnly?: boolean }) {
    return createPartitionsAndWait(this.cluster, () => this.run((b) => b.createPartitions(topics, options)), topics, options?.validateOnly ?? false);
  }

  addBroker(options: AddBrokerOptions = {}) {
    return addBrokerAndWait(this.cluster, options.rack);
  }

  removeBroker(id: number, options?: RemoveBrokerOptions) {
    return decommissionBroker(this.cluster, this, id, options);
  }

  unregisterBroker(id: number) {
    return this.run((b) => b.unregisterBroker(id));
  }
}

export class SimClient extends CoordinatorClient implements ClientApi {
  private readonly preferredReplicas = new PreferredReadReplicas();

  constructor(private readonly cluster: Cluster) {
    super(cluster);
  }

  produce(request: ProduceRequest & { readonly deliveryTimeoutMs?: number }): Promise<ProduceResponse> {
    return withRetries(
      this.cluster,
      request.deliveryTimeoutMs ?? 120_000,
      async () => this.cluster.broker(findLeader(this.cluster, request.topic, request.partition)).produce(request),
      (response) => response.error !== null && response.error.retriable,
    );
  }

  fetch(request: FetchRequest): Promise<FetchResponse> {
    return withRetries(
      this.cluster,
      this.cluster.config.int('request.timeout.ms'),
      async () =>
        request.clientRack === undefined
          ? this.cluster.broker(findLeader(this.cluster, request.topic, request.partition)).fetch(request)
          : rackAwareFetch(this.cluster, this.preferredReplicas, request, () => findLeader(this.cluster, request.topic, request.partition)),
      (response) => response.error !== null && isRetriable(response.error.errorName),
    );
  }

  listOffsets(request: ListOffsetsRequest): Promise<ListOffsetsResponse> {
    return withRetries(
      this.cluster,
      this.cluster.config.int('request.timeout.ms'),
      async () => this.cluster.broker(findLeader(this.cluster, request.topic, request.partition)).listOffsets(request),
      (response) => response.error !== null && response.error.retriable,
    );
  }
}
