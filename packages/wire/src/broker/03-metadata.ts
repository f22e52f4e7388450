/**
 * Metadata (api key 3), versions 0–12, and DescribeCluster (api key 60), versions 0–1.
 *
 * Behaviour: topics null (v1+) or [] at v0 lists every topic; [] at v1+ lists none. Unknown
 * named topics are created when the request allows it (`allow_auto_topic_creation`, always
 * true below v4) and the broker's `auto.create.topics.enable` is on; they answer
 * LEADER_NOT_AVAILABLE until they exist, else UNKNOWN_TOPIC_OR_PARTITION. A partition
 * without a leader answers LEADER_NOT_AVAILABLE. v10+ requests by topic id resolve ids
 * against the broker's metadata image (UNKNOWN_TOPIC_ID when absent).
 *
 * Brokers are the unfenced brokers of the image, advertised at their real listener address.
 * `controller_id`: in KRaft, Kafka gives clients a live broker id here (the controllers are
 * not reachable by clients); we answer the lowest listed broker id, stable across brokers.
 *
 * Deviations: authorized operations are always "not requested" (-2^31); no ACLs exist.
 */
import type { MetadataResponse as EngineMetadata } from '@kil/engine';
import type { MetadataRequest, MetadataResponse, MetadataResponseBroker, MetadataResponseTopic } from '../messages/03-metadata';
import type { DescribeClusterRequest, DescribeClusterResponse } from '../messages/60-describe-cluster';
import type { RequestContext } from '../server/types';
import { code, errorCodeOf, errorMessageOf, NONE, ZERO_TOPIC_ID, type HandlerEnv } from './context';

const NO_AUTHORIZED_OPERATIONS = -2147483648;

export function advertisedBrokers(env: HandlerEnv, metadata: EngineMetadata): MetadataResponseBroker[] {
  return metadata.brokers.map((b) => {
    const address = env.advertised(b.id);
    return { nodeId: b.id, host: address?.host ?? b.host, port: address?.port ?? b.port, rack: b.rack };
  });
}

export function controllerIdFor(brokers: readonly MetadataResponseBroker[]): number {
  return brokers.length === 0 ? -1 : Math.min(...brokers.map((b) => b.nodeId));
}

/** Requested names, null for "all topics"; topic ids are resolved separately. */
function requestedNames(request: MetadataRequest, version: number): string[] | null {
  if (request.topics === null) return null;
  if (version === 0 && request.topics.length === 0) return null;
  return request.topics.filter((t) => t.name !== null).map((t) => t.name as string);
}

export async function handleMetadata(env: HandlerEnv, request: MetadataRequest, context: RequestContext): Promise<MetadataResponse> {
  const version = context.header.requestApiVersion;
  const names = requestedNames(request, version);
  const byId = request.topics?.filter((t) => t.name === null) ?? [];
  const autoCreate = version < 4 || request.allowAutoTopicCreation;
  const metadata = await env.engine(() => env.broker.metadata(names, { autoCreate }));
  const topics = metadata.topics.map(wireTopic);
  if (byId.length > 0) topics.push(...(await topicsById(env, byId.map((t) => t.topicId), version)));
  const brokers = advertisedBrokers(env, metadata);
  return {
    throttleTimeMs: 0,
    brokers,
    clusterId: metadata.clusterId,
    controllerId: controllerIdFor(brokers),
    topics,
    clusterAuthorizedOperations: NO_AUTHORIZED_OPERATIONS,
  };
}

function wireTopic(t: EngineMetadata['topics'][number]): MetadataResponseTopic {
  return {
    errorCode: t.error === null ? NONE : errorCodeOf(t.error),
    name: t.name,
    topicId: t.topicId ?? ZERO_TOPIC_ID,
    isInternal: t.internal,
    partitions: t.partitions.map((p) => ({
      errorCode: p.error === null ? NONE : errorCodeOf(p.error),
      partitionIndex: p.partition,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: [...p.replicas],
      isrNodes: [...p.isr],
      offlineReplicas: [...p.offlineReplicas],
    })),
    topicAuthorizedOperations: NO_AUTHORIZED_OPERATIONS,
  };
}

async function topicsById(env: HandlerEnv, ids: readonly string[], version: number): Promise<MetadataResponseTopic[]> {
  const all = await env.engine(() => env.broker.metadata(null));
  return ids.map((id): MetadataResponseTopic => {
    const found = all.topics.find((t) => t.topicId === id);
    if (found !== undefined) return wireTopic(found);
    // The name is nullable from v12 only; v10–11 answer an empty name for an unknown id.
    return { errorCode: code('UNKNOWN_TOPIC_ID'), name: version >= 12 ? null : '', topicId: id, isInternal: false, partitions: [], topicAuthorizedOperations: NO_AUTHORIZED_OPERATIONS };
  });
}

/** endpoint_type (KIP-919): 1 = brokers, 2 = controllers. */
const ENDPOINT_BROKERS = 1;

export async function handleDescribeCluster(env: HandlerEnv, request: DescribeClusterRequest): Promise<DescribeClusterResponse> {
  const metadata = await env.engine(() => env.broker.metadata([]));
  const base = {
    throttleTimeMs: 0,
    endpointType: request.endpointType,
    clusterId: metadata.clusterId,
    clusterAuthorizedOperations: NO_AUTHORIZED_OPERATIONS,
  };
  if (request.endpointType !== ENDPOINT_BROKERS) {
    const error = 'Only broker endpoints are served: the controllers of this cluster have no client listener.';
    return { ...base, errorCode: code('INVALID_REQUEST'), errorMessage: errorMessageOf(new Error(error)), controllerId: -1, brokers: [] };
  }
  const brokers = advertisedBrokers(env, metadata);
  return {
    ...base,
    errorCode: NONE,
    errorMessage: null,
    controllerId: controllerIdFor(brokers),
    brokers: brokers.map((b) => ({ brokerId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
  };
}
