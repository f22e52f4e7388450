/**
 * The lab side of @kil/client: answers each client op through the engine facade, so code
 * from the editor acts on the learner's cluster exactly as a Kafka client would. The
 * same host serves the browser (through the lab gateway) and the grader (directly).
 *
 * It trusts nothing: every argument is checked for type and size, and each request is
 * bounded (records per produce, bytes per record, wait per fetch), so wrong or hostile
 * code can only get errors back. Group and transaction ops go to the brokers'
 * coordinators (coordinator-ops.ts).
 */
import type { ClusterApi, FetchedRecord, KafkaError } from '@kil/engine';
import type { ClientErrorBody, ClientOp, ConsumerRecord } from '@kil/client';
import { clientOps } from '@kil/client';
import type { LabFeature } from './types';
import { type Args, ClientOpError, clientLimits, fail, int, list, obj, optStr, str, stringMap } from './client-args';
import { coordinatorHandlers, producerBatch, type Handler } from './coordinator-ops';

export { ClientOpError, clientLimits } from './client-args';

/**
 * Engine features that the lab cannot serve yet. Tasks that need one cannot pass; the
 * exercise test asserts exactly that, so this list must shrink as the engine grows.
 */
export const pendingFeatures: ReadonlySet<LabFeature> = new Set<LabFeature>([]);


function kafkaBody(error: KafkaError): ClientErrorBody {
  return error.suggestion ? { code: error.errorName, message: error.message, suggestion: error.suggestion } : { code: error.errorName, message: error.message };
}

/** Turns an engine rejection into the body the client throws as KafkaClientError. */
export function errorBody(error: unknown): ClientErrorBody {
  if (error instanceof ClientOpError) return error.body;
  if (error && typeof error === 'object' && 'errorName' in error) return kafkaBody(error as KafkaError);
  return { code: 'UNKNOWN_SERVER_ERROR', message: error instanceof Error ? error.message : String(error) };
}

const decoder = new TextDecoder();
const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : decoder.decode(bytes));


export class ClientHost {
  private readonly handlers: Record<ClientOp, Handler>;

  /**
   * `cluster` answers every op; in a lab of two clusters, `route` picks the cluster an op's
   * `bootstrapServers` names (what `kafka.cluster('localhost:9192')` sends).
   */
  constructor(
    private readonly cluster: () => ClusterApi,
    private readonly route?: (bootstrapServers: string) => ClusterApi,
  ) {
    this.handlers = {
      metadata: metadata,
      createTopics: createTopics,
      deleteTopics: deleteTopics,
      describeConfigs: describeConfigs,
      alterConfigs: alterConfigs,
      produce: produce,
      fetch: fetch,
      listOffsets: listOffsets,
      ...coordinatorHandlers,
      wait: async (cluster, args) => {
        await cluster.sleep(int(args, 'ms', 0, clientLimits.fetchWaitMsMax));
        return {};
      },
    };
  }

  /** Runs one op; resolves with its JSON result or rejects with a ClientOpError. */
  async handle(op: string, args: unknown): Promise<unknown> {
    if (!(clientOps as readonly string[]).includes(op)) fail('INVALID_REQUEST', `Unknown client op ${JSON.stringify(op).slice(0, 40)}.`);
    const handler = this.handlers[op as ClientOp];
    try {
      const checked = obj(args ?? {}, 'args');
      const servers = checked.bootstrapServers === undefined ? null : str(checked, 'bootstrapServers', 1000);
      return await handler(servers !== null && this.route ? this.route(servers) : this.cluster(), checked);
    } catch (error) {
      throw new ClientOpError(errorBody(error));
    }
  }
}

async function metadata(cluster: ClusterApi, args: Args): Promise<unknown> {
  const topics = args.topics === undefined ? null : list(args, 'topics', clientLimits.topicsPerRequestMax).map((t) => optStr(t, 'topic', 249) ?? '');
  const snapshot = cluster.snapshot();
  const running = snapshot.brokers.find((b) => b.state === 'running');
  if (!running) fail('NETWORK_EXCEPTION', 'No broker is running.', 'start one with `broker start <id>`');
  const response = await cluster.broker(running.id).metadata(topics);
  return {
    brokers: response.brokers.map((b) => ({ id: b.id, rack: b.rack })),
    topics: response.topics
      .filter((t) => !t.error && !t.internal)
      .map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr })) })),
  };
}

async function createTopics(cluster: ClusterApi, args: Args): Promise<unknown> {
  const topics = list(args, 'topics', clientLimits.topicsPerRequestMax).map((raw) => {
    const t = obj(raw, 'topic');
    return {
      name: str(t, 'name'),
      numPartitions: int(t, 'numPartitions', -1, 64, -1),
      replicationFactor: int(t, 'replicationFactor', -1, 6, -1),
      configs: stringMap(t.configs, 'configs'),
    };
  });
  const results = await cluster.admin.createTopics(topics);
  return results.map((r) => ({ name: r.name, error: r.error ? kafkaBody(r.error) : null }));
}

async function deleteTopics(cluster: ClusterApi, args: Args): Promise<unknown> {
  const names = list(args, 'names', clientLimits.topicsPerRequestMax).map((n) => optStr(n, 'name', 249) ?? '');
  const results = await cluster.admin.deleteTopics(names);
  return results.map((r) => ({ name: r.name, error: r.error ? kafkaBody(r.error) : null }));
}

async function describeConfigs(cluster: ClusterApi, args: Args): Promise<unknown> {
  const entries = await cluster.admin.describeConfigs({ type: 'topic', name: str(args, 'topic') });
  return { configs: Object.fromEntries(entries.filter((e) => e.value !== null).map((e) => [e.name, e.value])) };
}

async function alterConfigs(cluster: ClusterApi, args: Args): Promise<unknown> {
  const set = Object.entries(stringMap(args.set, 'set')).map(([name, value]) => ({ name, value }));
  const removed = (args.delete === undefined ? [] : list(args, 'delete', 50)).map((n) => ({ name: optStr(n, 'config name', 249) ?? '', value: null }));
  await cluster.admin.incrementalAlterConfigs({ type: 'topic', name: str(args, 'topic') }, [...set, ...removed]);
  return {};
}

async function produce(cluster: ClusterApi, args: Args): Promise<unknown> {
  const acks = int(args, 'acks', -1, 1, -1) as -1 | 0 | 1;
  const records = list(args, 'records', clientLimits.recordsPerProduceMax).map((raw) => {
    const r = obj(raw, 'record');
    return { key: optStr(r.key, 'key'), value: optStr(r.value, 'value') };
  });
  const batch = producerBatch(args, records, cluster.nowMs());
  const target = { topic: str(args, 'topic'), partition: int(args, 'partition', 0, 1_000_000), acks };
  const response = await cluster.client.produce(batch === null ? { ...target, records } : { ...target, batch });
  if (response.error) throw response.error;
  return { baseOffset: response.baseOffset };
}

async function fetch(cluster: ClusterApi, args: Args): Promise<unknown> {
  const isolationLevel = args.isolationLevel === 'read_committed' ? 'read_committed' : 'read_uncommitted';
  const maxWaitMs = int(args, 'maxWaitMs', 0, clientLimits.fetchWaitMsMax, 500);
  const maxRecords = int(args, 'maxRecords', 1, clientLimits.recordsPerFetchMax, clientLimits.recordsPerFetchMax);
  const wanted = list(args, 'partitions', clientLimits.partitionsPerFetchMax).map((raw) => {
    const p = obj(raw, 'partition');
    return { topic: str(p, 'topic'), partition: int(p, 'partition', 0, 1_000_000), offset: int(p, 'offset', 0, Number.MAX_SAFE_INTEGER) };
  });
  let budget = maxRecords;
  const partitions = await Promise.all(
    wanted.map(async (p) => {
      try {
        const r = await cluster.client.fetch({ topic: p.topic, partition: p.partition, fetchOffset: p.offset, maxWaitMs, isolationLevel });
        if (r.error) throw r.error;
        const records = r.records.slice(0, Math.max(0, budget)).map((rec) => toConsumerRecord(p.topic, p.partition, rec));
        budget -= records.length;
        return { topic: p.topic, partition: p.partition, highWatermark: r.highWatermark, lastStableOffset: r.lastStableOffset, logStartOffset: r.logStartOffset, records, error: null };
      } catch (error) {
        return { topic: p.topic, partition: p.partition, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: [], error: errorBody(error) };
      }
    }),
  );
  return { partitions };
}

function toConsumerRecord(topic: string, partition: number, rec: FetchedRecord): ConsumerRecord {
  return {
    topic,
    partition,
    offset: rec.offset,
    timestampMs: rec.timestamp,
    key: text(rec.key),
    value: text(rec.value),
    headers: rec.headers.map((h) => ({ key: h.key, value: text(h.value) })),
  };
}

async function listOffsets(cluster: ClusterApi, args: Args): Promise<unknown> {
  const isolationLevel = args.isolationLevel === 'read_committed' ? 'read_committed' : 'read_uncommitted';
  const response = await cluster.client.listOffsets({
    topic: str(args, 'topic'),
    partition: int(args, 'partition', 0, 1_000_000),
    timestamp: int(args, 'timestamp', -3, Number.MAX_SAFE_INTEGER),
    isolationLevel,
  });
  if (response.error) throw response.error;
  return { offset: response.offset };
}
