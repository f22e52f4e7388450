/**
 * One broker's request entry point, as a Kafka listener would serve it. The wire adapter
 * calls these with decoded requests; the in-lab client and admin use the same path. A
 * stopped broker refuses with NETWORK_EXCEPTION, as a closed port would.
 */
import { KafkaError, type ErrorName } from '../errors';
import type { BrokerNode } from '../broker/broker-node';
import type { ControllerRequestBody, ResponseFor } from '../controller/messages';
import { isInternalTopic } from '../controller/topic-validation';
import { NO_LEADER, ConfigResourceType } from '../metadata/records';
import { BatchIterator, controlRecordType, decodeRecordBatch, encodeRecordBatch } from '../storage';
import { CoordinatorEndpoint } from './coordinator-endpoint';
import type { ChannelRequest } from '../broker/request-channel';
import type {
  AlterConfigOp,
  BrokerApi,
  ConfigEntry,
  ConfigResource,
  CreateTopicResult,
  ElectionResult,
  FetchedRecord,
  FetchRequest,
  FetchResponse,
  ListOffsetsRequest,
  ListOffsetsResponse,
  MetadataResponse,
  MetadataTopic,
  NewPartitions,
  NewTopic,
  PartitionReassignment,
  ProduceRequest,
  ProduceResponse,
  QuorumDescription,
  ReassignmentResult,
  ReassignmentTarget,
  TopicResult,
} from './api';
import type { TopicPartition } from '../ids';
import type { Cluster } from './cluster';
import { serverDefaults, topicDefaults } from './config';

/**
 * Request-header fields a caller may add to a request: the wire adapter knows the client id,
 * the correlation id and the connection; the in-lab client leaves them out. Requests of one
 * connection go through the broker one at a time, as Kafka's network threads mute a
 * connection until its response is sent.
 */
export interface RequestHeaderFields {
  readonly clientId?: string;
  readonly correlationId?: number;
  readonly connectionId?: string;
}

/**
 * Sizes on the wire, for the request path's network and I/O costs. They are estimates of
 * Kafka's encodings (request header, topic name, partition fields), not exact byte counts.
 */
const HEADER_BYTES = 24;
const PARTITION_FIELDS_BYTES = 40;

type ChannelHeader = Omit<ChannelRequest, 'handle' | 'fail'>;

const headerOf = (request: RequestHeaderFields): Pick<ChannelRequest, 'clientId' | 'correlationId' | 'connectionId'> => ({
  ...(request.clientId === undefined ? {} : { clientId: request.clientId }),
  ...(request.correlationId === undefined ? {} : { correlationId: request.correlationId }),
  ...(request.connectionId === undefined ? {} : { connectionId: request.connectionId }),
});

const errorOf = (name: ErrorName, message: string | null, suggestion?: string | null): KafkaError | null =>
  name === 'NONE' ? null : new KafkaError(name, message ?? name, suggestion ?? undefined);

export class BrokerEndpoint extends CoordinatorEndpoint implements BrokerApi {
  constructor(
    private readonly cluster: Cluster,
    readonly id: number,
  ) {
    super(cluster, id);
  }

  private node(): BrokerNode {
    const node = this.cluster.brokerNode(this.id);
    if (node === null) throw new KafkaError('NETWORK_EXCEPTION', `Broker ${this.id} is not running (connection refused).`, `Start it with \`broker start ${this.id}\` or use another broker.`);
    return node;
  }

  /** Runs `body` against the live node, turning a refused connection into a rejection. */
  private call<T>(body: (node: BrokerNode, resolve: (value: T) => void, reject: (error: KafkaError) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        // A request open when the broker goes down fails with NETWORK_EXCEPTION, as a broken connection does.
        const node = this.node();
        const close = node.openRequest(reject);
        body(node, (value) => (close(), resolve(value)), (error) => (close(), reject(error)));
      } catch (error) {
        reject(error);
      }
    });
  }

  /**
   * Runs a request through the broker's request path (network thread, request queue, I/O
   * thread, purgatory, response queue): `handle` runs when an I/O thread has done the local
   * work, and the promise settles once a network thread has sent the response.
   */
  private viaChannel<T>(header: ChannelHeader, handle: (node: BrokerNode, reply: (value: T, responseBytes: number, errorCode?: ErrorName) => void) => void): Promise<T> {
    return this.call<T>((node, resolve, reject) =>
      node.requestChannel.submit({
        ...header,
        handle: (send) => handle(node, (value, responseBytes, errorCode = 'NONE') => send({ responseBytes, errorCode, deliver: () => resolve(value) })),
        fail: (error) => reject(error instanceof KafkaError ? error : new KafkaError('UNKNOWN_SERVER_ERROR', String(error))),
      }),
    );
  }

  private forward<R extends ControllerRequestBody>(body: R): Promise<ResponseFor<R>> {
    return this.call((node, resolve, reject) =>
      node.forward(body, (response, error) => {
        if (response !== null) resolve(response);
        else reject(error ?? new KafkaError('REQUEST_TIMED_OUT', 'The controller did not answer.'));
      }),
    );
  }

  produce(request: ProduceRequest & RequestHeaderFields): Promise<ProduceResponse> {
    let batch: Uint8Array;
    try {
      batch = request.batch !== undefined ? request.batch.slice() : encodeRecords(request, this.cluster.nowMs());
    } catch (error) {
      return Promise.reject(error);
    }
    const acks = request.acks === 'all' || request.acks === undefined ? -1 : request.acks;
    const header: ChannelHeader = {
      apiKey: 'Produce',
      ...headerOf(request),
      requestBytes: HEADER_BYTES + PARTITION_FIELDS_BYTES + request.topic.length + batch.length,
      topic: request.topic,
      partition: request.partition,
      writesToLog: true,
      remoteReason: 'acks=all: waiting for every ISR member to fetch the batch',
      note: `acks=${acks === -1 ? 'all' : acks}`,
    };
    // acks=0: the broker sends no response at all.
    const responseBytes = acks === 0 ? 0 : HEADER_BYTES + PARTITION_FIELDS_BYTES + request.topic.length;
    return this.viaChannel<ProduceResponse>(header, (node, reply) =>
      node.replicaManager.produce({ topic: request.topic, partition: request.partition, batch, acks, timeoutMs: request.timeoutMs ?? 30_000 }, (out) =>
        reply({ topic: request.topic, partition: request.partition, brokerId: this.id, error: out.error, baseOffset: out.baseOffset, logAppendTimeMs: out.logAppendTimeMs, logStartOffset: out.logStartOffset }, responseBytes, out.errorCode),
      ),
    );
  }

  fetch(request: FetchRequest & RequestHeaderFields): Promise<FetchResponse> {
    const header: ChannelHeader = {
      apiKey: 'Fetch',
      ...headerOf(request),
      requestBytes: HEADER_BYTES + PARTITION_FIELDS_BYTES + request.topic.length,
      topic: request.topic,
      partition: request.partition,
      remoteReason: `long poll: waiting up to fetch.max.wait.ms=${request.maxWaitMs ?? 500} for fetch.min.bytes=${request.minBytes ?? 1}`,
      note: `offset ${request.fetchOffset}`,
    };
    return this.viaChannel<FetchResponse>(header, (node, reply) => {
      const resolve = (response: FetchResponse): void => reply(response, HEADER_BYTES + PARTITION_FIELDS_BYTES + request.topic.length + response.batches.length, response.error?.errorName ?? 'NONE');
      node.replicaManager.fetch(
        {
          topic: request.topic,
          partition: request.partition,
          fetchOffset: request.fetchOffset,
          maxBytes: request.maxBytes ?? 1_048_576,
          maxWaitMs: request.maxWaitMs ?? 500,
          minBytes: request.minBytes ?? 1,
          isolationLevel: request.isolationLevel ?? 'read_uncommitted',
          ...(request.clientRack === undefined ? {} : { clientRack: request.clientRack }),
        },
        (out) =>
          resolve({
            topic: request.topic,
            partition: request.partition,
            brokerId: this.id,
            error: out.error,
            highWatermark: out.highWatermark,
            lastStableOffset: out.lastStableOffset,
            logStartOffset: out.logStartOffset,
            batches: out.records,
            records: decodeRecords(out.records, request.fetchOffset, out.abortedTransactions),
            ...(out.abortedTransactions === undefined ? {} : { abortedTransactions: out.abortedTransactions.map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset })) }),
            ...(out.preferredReadReplica === undefined ? {} : { preferredReadReplica: out.preferredReadReplica }),
          }),
      );
    });
  }

  listOffsets(request: ListOffsetsRequest & RequestHeaderFields): Promise<ListOffsetsResponse> {
    const bytes = HEADER_BYTES + PARTITION_FIELDS_BYTES + request.topic.length;
    const header: ChannelHeader = { apiKey: 'ListOffsets', ...headerOf(request), requestBytes: bytes, topic: request.topic, partition: request.partition };
    return this.viaChannel<ListOffsetsResponse>(header, (node, reply) => {
      const resolve = (response: ListOffsetsResponse): void => reply(response, bytes, response.error?.errorName ?? 'NONE');
      const partition = node.replicaManager.get(request.topic, request.partition);
      const base = { topic: request.topic, partition: request.partition };
      if (partition === undefined || !partition.isLeader) {
        const error = partition?.notLeader() ?? node.replicaManager.unknownPartition(request.topic, request.partition);
        return resolve({ ...base, error, offset: -1, timestamp: -1, leaderEpoch: -1 });
      }
      const log = partition.log;
      const hw = partition.highWatermark;
      const answer = (offset: number, timestamp = -1): void => resolve({ ...base, error: null, offset, timestamp, leaderEpoch: partition.leaderEpoch });
      if (request.timestamp === -2) return answer(log.logStartOffset);
      if (request.timestamp === -1) return answer(request.isolationLevel === 'read_committed' ? partition.lastStableOffset : hw);
      if (request.timestamp === -3) return answer(Math.max(log.logStartOffset, hw - 1));
      const hit = log.offsetForTimestamp(request.timestamp);
      if (hit === undefined || hit.offset >= hw) return answer(-1);
      return answer(hit.offset, hit.timestamp);
    });
  }

  metadata(topics: readonly string[] | null, options: { autoCreate?: boolean } & RequestHeaderFields = {}): Promise<MetadataResponse> {
    const header: ChannelHeader = { apiKey: 'Metadata', ...headerOf(options), requestBytes: HEADER_BYTES + (topics ?? []).reduce((n, t) => n + t.length + 2, 0) };
    return this.viaChannel<MetadataResponse>(header, (node, reply) => {
      const resolve = (response: MetadataResponse): void => reply(response, metadataResponseBytes(response));
      const image = node.image;
      const names = topics ?? [...image.topicIdsByName.keys()].sort();
      const missing = names.filter((n) => image.topic(n) === undefined);
      const autoCreate = (options.autoCreate ?? false) && node.config.bool('auto.create.topics.enable') && missing.length > 0;
      if (autoCreate) node.forward({ api: 'CreateTopics', topics: missing.map((name) => ({ name })), validateOnly: false }, () => undefined);
      resolve({
        clusterId: this.cluster.clusterId,
        controllerId: node.raft.leaderId ?? -1,
        brokers: [...image.brokers.values()]
          .filter((b) => !b.fenced)
          .sort((a, b) => a.id - b.id)
          .map((b) => ({ id: b.id, host: b.endPoints[0]?.host ?? 'localhost', port: b.endPoints[0]?.port ?? 9092, rack: b.rack })),
        topics: names.map((name) => metadataTopic(node, name, autoCreate)),
      });
    });
  }

  createTopics(topics: readonly NewTopic[], options: { validateOnly?: boolean } = {}): Promise<CreateTopicResult[]> {
    return this.forward({ api: 'CreateTopics', topics, validateOnly: options.validateOnly ?? false }).then((response) =>
      response.topics.map((t) => ({
        name: t.name,
        error: errorOf(t.errorCode, t.errorMessage, t.suggestion),
        topicId: t.topicId,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
      })),
    );
  }

  deleteTopics(names: readonly string[]): Promise<TopicResult[]> {
    return this.forward({ api: 'DeleteTopics', names }).then((response) => response.topics.map((t) => ({ name: t.name, error: errorOf(t.errorCode, t.errorMessage) })));
  }

  describeConfigs(resource: ConfigResource): Promise<ConfigEntry[]> {
    return this.call((node, resolve, reject) => {
      const image = node.image;
      if (resource.type === 'topic') {
        if (image.topic(resource.name) === undefined) return reject(new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${resource.name} does not exist.`));
        const overrides = image.topicConfigs(resource.name);
        return resolve(
          Object.keys(topicDefaults).sort().map((name): ConfigEntry => {
            const own = overrides.get(name);
            if (own !== undefined) return { name, value: own, source: 'DYNAMIC_TOPIC_CONFIG', isDefault: false };
            const value = node.config.topicValue(name, overrides) ?? null;
            const fromBroker = value !== topicDefaults[name];
            return { name, value, source: fromBroker ? 'STATIC_BROKER_CONFIG' : 'DEFAULT_CONFIG', isDefault: !fromBroker };
          }),
        );
      }
      const dynamic = image.configs.get(`${ConfigResourceType.BROKER}:${resource.name}`) ?? new Map<string, string>();
      const all = node.config.all();
      resolve(
        Object.keys(all).sort().map((name): ConfigEntry => {
          const own = dynamic.get(name);
          if (own !== undefined) return { name, value: own, source: resource.name === '' ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG', isDefault: false };
          const isDefault = all[name] === serverDefaults[name];
          return { name, value: all[name] ?? null, source: isDefault ? 'DEFAULT_CONFIG' : 'STATIC_BROKER_CONFIG', isDefault };
        }),
      );
    });
  }

  incrementalAlterConfigs(resource: ConfigResource, ops: readonly AlterConfigOp[], options: { validateOnly?: boolean } = {}): Promise<void> {
    const resourceType = resource.type === 'topic' ? ConfigResourceType.TOPIC : ConfigResourceType.BROKER;
    return this.forward({ api: 'IncrementalAlterConfigs', resourceType, resourceName: resource.name, changes: ops, validateOnly: options.validateOnly ?? false }).then((response) => {
      const error = errorOf(response.errorCode, response.errorMessage);
      if (error !== null) throw error;
    });
  }

  electLeaders(type: 'preferred' | 'unclean', partitions: readonly { topic: string; partition: number }[] | null): Promise<ElectionResult[]> {
    return this.forward({ api: 'ElectLeaders', electionType: type === 'preferred' ? 0 : 1, partitions }).then((response) =>
      response.results.map((r) => ({ topic: r.topic, partition: r.partition, error: errorOf(r.errorCode, r.errorMessage) })),
    );
  }

  // ---- elasticity (KIP-455, KIP-195, KIP-631) -------------------------------------------

  alterPartitionReassignments(reassignments: readonly ReassignmentTarget[]): Promise<ReassignmentResult[]> {
    return this.forward({ api: 'AlterPartitionReassignments', reassignments }).then((response) =>
      response.results.map((r) => ({ topic: r.topic, partition: r.partition, error: errorOf(r.errorCode, r.errorMessage) })),
    );
  }

  listPartitionReassignments(partitions: readonly TopicPartition[] | null = null): Promise<PartitionReassignment[]> {
    return this.forward({ api: 'ListPartitionReassignments', partitions }).then((response) => response.reassignments.map((r) => ({ ...r })));
  }

  createPartitions(topics: readonly NewPartitions[], options: { validateOnly?: boolean } = {}): Promise<TopicResult[]> {
    const request = topics.map((t) => ({ name: t.topic, count: t.totalCount, assignments: t.assignments ?? null }));
    return this.forward({ api: 'CreatePartitions', topics: request, validateOnly: options.validateOnly ?? false }).then((response) =>
      response.results.map((r) => ({ name: r.name, error: errorOf(r.errorCode, r.errorMessage) })),
    );
  }

  unregisterBroker(brokerId: number): Promise<void> {
    return this.forward({ api: 'UnregisterBroker', brokerId }).then((response) => {
      const error = errorOf(response.errorCode, response.errorMessage, 'List the registered brokers with `broker list`.');
      if (error !== null) throw error;
      this.cluster.forgetBroker(brokerId);
    });
  }

  describeQuorum(): Promise<QuorumDescription> {
    return this.call((node, resolve, reject) => {
      const leaderId = node.raft.leaderId;
      const leader = leaderId === null ? null : this.cluster.slots.get(leaderId)?.controller ?? null;
      if (leader === null || leader.raft.role !== 'leader') {
        return reject(new KafkaError('NOT_LEADER_OR_FOLLOWER', 'The metadata quorum has no leader right now.', 'Wait for the controllers to elect one.'));
      }
      const raft = leader.raft;
      const progress = raft.replicaProgress();
      const state = (p: (typeof progress)[number]) => ({
        replicaId: p.replicaId,
        logEndOffset: p.replicaId === leaderId ? raft.log.endOffset : p.endOffset,
        lastFetchTimestamp: p.lastFetchMs,
        lastCaughtUpTimestamp: p.lastCaughtUpMs,
      });
      resolve({
        leaderId: leaderId!,
        leaderEpoch: raft.epoch,
        highWatermark: raft.highWatermark,
        voters: progress.filter((p) => raft.voters.includes(p.replicaId)).map((p) => ({ ...state(p), status: p.replicaId === leaderId ? 'Leader' : 'Follower' })),
        observers: progress.filter((p) => !raft.voters.includes(p.replicaId)).map((p) => ({ ...state(p), status: 'Observer' })),
      });
    });
  }
}

/** An estimate of a Metadata response's size: brokers, then each topic's partitions with their replica lists. */
function metadataResponseBytes(response: MetadataResponse): number {
  let bytes = HEADER_BYTES + response.clusterId.length + response.brokers.length * 24;
  for (const topic of response.topics) for (const p of topic.partitions) bytes += PARTITION_FIELDS_BYTES + 4 * (p.replicas.length + p.isr.length);
  return bytes;
}

function metadataTopic(node: BrokerNode, name: string, autoCreating: boolean): MetadataTopic {
  const topic = node.image.topic(name);
  if (topic === undefined) {
    const error = autoCreating
      ? new KafkaError('LEADER_NOT_AVAILABLE', `Topic ${name} is being created (auto.create.topics.enable=true).`, 'Retry in a moment.')
      : new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${name} does not exist.`, 'Create it with kafka-topics --create.');
    return { name, topicId: null, internal: isInternalTopic(name), error, partitions: [] };
  }
  const alive = (id: number): boolean => node.image.brokers.get(id)?.fenced === false;
  return {
    name,
    topicId: topic.id,
    internal: isInternalTopic(name),
    error: null,
    partitions: [...topic.partitions.entries()].sort(([a], [b]) => a - b).map(([partition, reg]) => ({
      partition,
      leader: reg.leader,
      leaderEpoch: reg.leaderEpoch,
      replicas: reg.replicas,
      isr: reg.isr,
      offlineReplicas: reg.replicas.filter((id) => !alive(id)),
      error: reg.leader === NO_LEADER ? new KafkaError('LEADER_NOT_AVAILABLE', `${name}-${partition} has no leader.`, 'Start a broker that is in its ISR.') : null,
    })),
  };
}

function encodeRecords(request: ProduceRequest, nowMs: number): Uint8Array {
  const records = request.records ?? [];
  if (records.length === 0) throw new KafkaError('INVALID_RECORD', 'A produce request needs at least one record.', 'Pass records or a pre-encoded batch.');
  return encodeRecordBatch({
    records: records.map((r) => ({
      key: r.key ?? null,
      value: r.value ?? null,
      timestamp: r.timestamp ?? nowMs,
      headers: (r.headers ?? []).map((h) => ({ key: h.key, value: h.value })),
    })),
  });
}

/**
 * Decodes uncompressed batches into records at or after `fromOffset`. With the aborted
 * transactions of a read_committed fetch it leaves out their records, as Kafka's consumer
 * does: a producer's transactional batches are skipped from the aborted transaction's first
 * offset until its ABORT marker.
 */
export function decodeRecords(bytes: Uint8Array, fromOffset: number, aborted?: readonly { readonly producerId: number; readonly firstOffset: number }[]): FetchedRecord[] {
  const out: FetchedRecord[] = [];
  const pending = [...(aborted ?? [])].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<number>();
  const it = new BatchIterator(bytes);
  while (it.next()) {
    while (pending.length > 0 && pending[0]!.firstOffset <= it.lastOffset) abortedProducers.add(pending.shift()!.producerId);
    if (it.isControl) {
      if (abortedProducers.has(it.producerId) && controlRecordType(decodeRecordBatch(it.batchBytes()).records[0]?.key ?? null) === 'ABORT') abortedProducers.delete(it.producerId);
      continue;
    }
    if (it.isTransactional && abortedProducers.has(it.producerId)) continue;
    if ((it.attributes & 0x07) !== 0) continue;
    const batch = decodeRecordBatch(it.batchBytes());
    for (const r of batch.records) {
      if (r.offset < fromOffset) continue;
      out.push({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers, leaderEpoch: batch.partitionLeaderEpoch });
    }
  }
  return out;
}
