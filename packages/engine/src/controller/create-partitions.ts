/**
 * CreatePartitions (KIP-195, Kafka's ReplicationControlManager.createPartitions): raise a
 * topic's partition count. New partitions start empty, so nothing is copied; they get the
 * topic's replication factor, placed by the controller or given explicitly. Partitions can
 * never be removed, so a count at or below the current one is INVALID_PARTITIONS.
 *
 * Adding partitions changes where keys go: the default partitioner sends a keyed record to
 * murmur2(key) mod partitionCount (see cluster/partitioner.ts), so most keys move.
 *
 * Deviation: new partitions are placed with the same classic round-robin placement as new
 * topics, starting from a fresh random index, rather than continuing the topic's striping.
 */
import { KafkaError } from '../errors';
import type { MetadataImage, TopicImage } from '../metadata/image';
import { NO_LEADER, type MetadataRecord } from '../metadata/records';
import type { TraceInput } from '../sim/trace';
import type { CreatePartitionsRequest, CreatePartitionsResponse, CreatePartitionsResult, CreatePartitionsTopic } from './elasticity-messages';
import type { ControllerResult } from './messages';
import { placeReplicas } from './placement';
import type { ControllerContext } from './replication-control';

export function createPartitions(ctx: ControllerContext, request: CreatePartitionsRequest): ControllerResult<CreatePartitionsResponse> {
  const records: MetadataRecord[] = [];
  const events: TraceInput[] = [];
  const results = request.topics.map((t): CreatePartitionsResult => {
    try {
      const planned = plan(ctx, t);
      if (!request.validateOnly) {
        records.push(...planned.records);
        events.push(planned.event);
      }
      return { name: t.name, errorCode: 'NONE', errorMessage: null };
    } catch (error) {
      const kafka = error instanceof KafkaError ? error : new KafkaError('UNKNOWN_SERVER_ERROR', String(error));
      return { name: t.name, errorCode: kafka.errorName, errorMessage: kafka.message };
    }
  });
  return { records, response: { api: 'CreatePartitions', results }, events };
}

function plan(ctx: ControllerContext, request: CreatePartitionsTopic): { records: MetadataRecord[]; event: TraceInput } {
  const topic = ctx.image.topic(request.name);
  if (topic === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${request.name}' does not exist.`);
  const current = topic.partitions.size;
  if (request.count < current) throw new KafkaError('INVALID_PARTITIONS', `Topic currently has ${current} partitions, which is higher than the requested ${request.count}.`);
  if (request.count === current) throw new KafkaError('INVALID_PARTITIONS', `Topic already has ${current} partitions.`);
  const rf = topic.partitions.get(0)?.replicas.length ?? 1;
  const added = request.count - current;
  const assignment = request.assignments === null ? place(ctx, added, rf) : validate(ctx.image, request.assignments, added, rf);
  const records: MetadataRecord[] = assignment.map((replicas, i) => newPartition(ctx.image, topic, current + i, replicas));
  const event: TraceInput = {
    type: 'partitions-created',
    node: ctx.nodeId,
    topic: topic.name,
    message: `Controller ${ctx.nodeId} added ${added} partition(s) to ${topic.name} (${current} → ${request.count}): ${assignment.map((r, i) => `p${current + i}→[${r.join(',')}]`).join(' ')}. They start empty; keyed records now map with murmur2(key) mod ${request.count}, so most keys change partition.`,
    data: { previousCount: current, count: request.count, assignment },
  };
  return { records, event };
}

function place(ctx: ControllerContext, added: number, rf: number): number[][] {
  const usable = [...ctx.image.brokers.values()].filter((b) => !b.fenced && !b.inControlledShutdown);
  return placeReplicas(usable.map((b) => ({ id: b.id, rack: b.rack })), added, rf, ctx.prng);
}

function validate(image: MetadataImage, assignments: readonly (readonly number[])[], added: number, rf: number): number[][] {
  if (assignments.length !== added) {
    throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Attempted to add ${added} additional partition(s), but only ${assignments.length} assignment(s) were specified.`);
  }
  return assignments.map((replicas) => {
    if (replicas.length !== rf) {
      throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment includes a partition with ${replicas.length} replica(s), but this is not consistent with previous partitions, which have ${rf} replica(s).`);
    }
    if (new Set(replicas).size !== replicas.length) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Duplicate brokers not allowed in replica assignment: ${replicas.join(', ')}.`);
    const unknown = replicas.find((id) => !image.brokers.has(id));
    if (unknown !== undefined) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment includes broker ${unknown}, but no such broker is registered.`);
    return [...replicas];
  });
}

function newPartition(image: MetadataImage, topic: TopicImage, partitionId: number, replicas: readonly number[]): MetadataRecord {
  const isr = replicas.filter((id) => image.isActiveBroker(id));
  return {
    type: 'PartitionRecord',
    partitionId,
    topicId: topic.id,
    replicas,
    isr: isr.length > 0 ? isr : replicas.slice(0, 1),
    removingReplicas: [],
    addingReplicas: [],
    leader: isr[0] ?? NO_LEADER,
    leaderRecoveryState: 0,
    leaderEpoch: 0,
    partitionEpoch: 0,
  };
}
