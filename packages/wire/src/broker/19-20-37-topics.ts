/**
 * CreateTopics (api key 19) versions 0–7, DeleteTopics (20) versions 0–6 and
 * CreatePartitions (37) versions 0–3.
 *
 * Behaviour: any broker accepts them and forwards to the active controller (KRaft), so
 * NOT_CONTROLLER is never answered. CreateTopics passes -1 partitions / replication factor
 * through (num.partitions / default.replication.factor), explicit assignments in partition
 * order, configs (null values dropped) and `validate_only`; errors come from the controller
 * with Kafka's codes and messages (TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR,
 * INVALID_CONFIG, ...). DeleteTopics v6 accepts names or topic ids (UNKNOWN_TOPIC_ID for
 * an id the metadata does not know).
 *
 * Like Kafka's ZooKeeper-era brokers (DelayedCreatePartitions), the answer waits until every
 * live broker's metadata shows the created topics with leaders (deleted topics gone), up to
 * `timeout_ms`: clients ask some other broker for metadata right after, and KRaft's
 * propagation delay would otherwise show them UNKNOWN_TOPIC_OR_PARTITION.
 *
 * Deviations:
 * CreateTopics v5+ answers `configs` as an empty list rather than the full effective config;
 * CreatePartitions assignments are passed through as given (the controller validates them).
 */
import { performance } from 'node:perf_hooks';
import type { MetadataTopic as EngineTopic, NewTopic } from '@kil/engine';
import type { CreateTopicsRequest, CreateTopicsRequestCreatableTopic, CreateTopicsResponse } from '../messages/19-create-topics';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../messages/20-delete-topics';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '../messages/37-create-partitions';
import type { RequestContext } from '../server/types';
import { code, errorCodeOf, errorMessageOf, NONE, ZERO_TOPIC_ID, type HandlerEnv } from './context';

function newTopic(t: CreateTopicsRequestCreatableTopic): NewTopic {
  const configs: Record<string, string> = {};
  for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
  const assignments = [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex).map((a) => a.brokerIds);
  return {
    name: t.name,
    numPartitions: t.numPartitions,
    replicationFactor: t.replicationFactor,
    ...(assignments.length > 0 ? { replicaAssignment: assignments } : {}),
    configs,
  };
}

/** Polls every live broker's metadata (wall clock) until `done` holds for it or the time is up. */
async function propagated(env: HandlerEnv, names: readonly string[], done: (topic: EngineTopic | undefined) => boolean, timeoutMs: number): Promise<void> {
  if (names.length === 0) return;
  const deadline = performance.now() + Math.max(0, Math.min(timeoutMs, propagationMaxMs));
  while (performance.now() < deadline) {
    const own = await env.engine(() => env.broker.metadata([]));
    const views = await Promise.all(own.brokers.map((b) => env.engine(() => env.cluster.broker(b.id).metadata(names)).catch(() => null)));
    if (views.every((view) => view === null || names.every((name) => done(view.topics.find((t) => t.name === name))))) return;
    await new Promise((resolve) => setTimeout(resolve, propagationPollMs));
  }
}

const propagationMaxMs = 10_000;
const propagationPollMs = 5;
const hasLeaders = (t: EngineTopic | undefined): boolean => t !== undefined && t.error === null && t.partitions.every((p) => p.leader >= 0);
const isGone = (t: EngineTopic | undefined): boolean => t === undefined || t.error?.errorName === 'UNKNOWN_TOPIC_OR_PARTITION';

export async function handleCreateTopics(env: HandlerEnv, request: CreateTopicsRequest): Promise<CreateTopicsResponse> {
  const results = await env.engine(() => env.broker.createTopics(request.topics.map(newTopic), { validateOnly: request.validateOnly }));
  if (!request.validateOnly) await propagated(env, results.filter((r) => r.error === null).map((r) => r.name), hasLeaders, request.timeoutMs);
  return {
    throttleTimeMs: 0,
    topics: results.map((r) => ({
      name: r.name,
      topicId: r.topicId ?? ZERO_TOPIC_ID,
      errorCode: r.error === null ? NONE : errorCodeOf(r.error),
      errorMessage: r.error === null ? null : errorMessageOf(r.error),
      topicConfigErrorCode: NONE,
      numPartitions: r.error === null ? r.numPartitions : -1,
      replicationFactor: r.error === null ? r.replicationFactor : -1,
      configs: r.error === null ? [] : null,
    })),
  };
}

export async function handleDeleteTopics(env: HandlerEnv, request: DeleteTopicsRequest, context: RequestContext): Promise<DeleteTopicsResponse> {
  const wanted = context.header.requestApiVersion >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: ZERO_TOPIC_ID }));
  const needsIds = wanted.some((t) => t.name === null);
  const all = needsIds ? await env.engine(() => env.broker.metadata(null)) : null;
  const named = wanted.map((t) => ({ ...t, resolved: t.name ?? all?.topics.find((m) => m.topicId === t.topicId)?.name ?? null }));
  const names = named.flatMap((t) => (t.resolved === null ? [] : [t.resolved]));
  const results = names.length > 0 ? await env.engine(() => env.broker.deleteTopics(names)) : [];
  await propagated(env, results.filter((r) => r.error === null).map((r) => r.name), isGone, request.timeoutMs);
  return {
    throttleTimeMs: 0,
    responses: named.map((t) => {
      if (t.resolved === null) return { name: null, topicId: t.topicId, errorCode: code('UNKNOWN_TOPIC_ID'), errorMessage: `Topic id ${t.topicId} does not exist.` };
      const result = results.find((r) => r.name === t.resolved);
      const error = result?.error ?? null;
      return { name: t.resolved, topicId: t.topicId, errorCode: error === null ? NONE : errorCodeOf(error), errorMessage: errorMessageOf(error) };
    }),
  };
}

export async function handleCreatePartitions(env: HandlerEnv, request: CreatePartitionsRequest): Promise<CreatePartitionsResponse> {
  const topics = request.topics.map((t) => ({
    topic: t.name,
    totalCount: t.count,
    ...(t.assignments !== null ? { assignments: t.assignments.map((a) => a.brokerIds) } : {}),
  }));
  const results = await env.engine(() => env.broker.createPartitions(topics, { validateOnly: request.validateOnly }));
  const grown = results.filter((r) => r.error === null).map((r) => r.name);
  if (!request.validateOnly) {
    const counts = new Map(request.topics.map((t) => [t.name, t.count]));
    await propagated(env, grown, (t) => hasLeaders(t) && t !== undefined && t.partitions.length >= (counts.get(t.name) ?? 0), request.timeoutMs);
  }
  return {
    throttleTimeMs: 0,
    results: request.topics.map((t) => {
      const error = results.find((r) => r.name === t.name)?.error ?? null;
      return { name: t.name, errorCode: error === null ? NONE : errorCodeOf(error), errorMessage: errorMessageOf(error) };
    }),
  };
}
