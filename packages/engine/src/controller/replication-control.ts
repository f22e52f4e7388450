/**
 * The controller's decisions about topics and partitions (Kafka's
 * ReplicationControlManager): create and delete topics, move leadership when brokers are
 * fenced, shut down or return, apply ISR changes that leaders propose (AlterPartition),
 * and run preferred or unclean elections on request. Every function is pure: it reads an
 * image and returns records plus a response; nothing changes until the records replay.
 */
import { KafkaError, type ErrorName } from '../errors';
import type { NewTopic } from '../cluster/api';
import type { NodeConfig } from '../cluster/config';
import { validateTopicConfig } from '../cluster/config';
import type { MetadataImage, PartitionRegistration, TopicImage } from '../metadata/image';
import { ConfigResourceType, NO_LEADER, partitionChange, type MetadataRecord } from '../metadata/records';
import { randomUuid } from '../metadata/uuid';
import type { Prng } from '../sim/prng';
import type { TraceInput } from '../sim/trace';
import type {
  AlterPartitionRequest,
  AlterPartitionResponse,
  AlterPartitionResult,
  CreatableTopicResult,
  CreateTopicsRequest,
  CreateTopicsResponse,
  ControllerResult,
  DeleteTopicsRequest,
  DeleteTopicsResponse,
  ElectLeadersRequest,
  ElectLeadersResponse,
  ElectLeadersResult,
} from './messages';
import { buildPartitionChange, sameMembers } from './partition-change';
import { placeReplicas } from './placement';
import { unifyCollisionChars, validateTopicName } from './topic-validation';

export interface ControllerContext {
  readonly image: MetadataImage;
  readonly config: NodeConfig;
  readonly prng: Prng;
  readonly nodeId: number;
}

// ---- CreateTopics -------------------------------------------------------------------

export function createTopics(ctx: ControllerContext, request: CreateTopicsRequest): ControllerResult<CreateTopicsResponse> {
  const records: MetadataRecord[] = [];
  const events: TraceInput[] = [];
  const results: CreatableTopicResult[] = [];
  const seen = new Set<string>();
  for (const topic of request.topics) {
    try {
      if (seen.has(topic.name)) throw new KafkaError('INVALID_REQUEST', `Create topics request contains duplicate topic name ${topic.name}.`);
      seen.add(topic.name);
      const created = planTopic(ctx, topic, seen);
      if (!request.validateOnly) {
        records.push(...created.records);
        events.push(created.event);
      }
      results.push(created.result);
    } catch (error) {
      results.push(topicError(topic, error));
    }
  }
  return { records, response: { api: 'CreateTopics', topics: results }, events };
}

function topicError(topic: NewTopic, error: unknown): CreatableTopicResult {
  const kafka = error instanceof KafkaError ? error : new KafkaError('UNKNOWN_SERVER_ERROR', String(error));
  return {
    name: topic.name,
    errorCode: kafka.errorName,
    errorMessage: kafka.message,
    suggestion: kafka.suggestion ?? null,
    topicId: null,
    numPartitions: -1,
    replicationFactor: -1,
  };
}

function planTopic(ctx: ControllerContext, topic: NewTopic, namesInRequest: ReadonlySet<string>) {
  const nameError = validateTopicName(topic.name);
  if (nameError !== null) throw nameError;
  if (ctx.image.topic(topic.name) !== undefined) {
    throw new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${topic.name}' already exists.`, 'Use kafka-topics --describe to see it, or pick another name.');
  }
  checkCollision(ctx.image, topic.name, namesInRequest);
  for (const [name, value] of Object.entries(topic.configs ?? {})) {
    const error = validateTopicConfig(name, value);
    if (error !== null) throw error;
  }
  const assignment = topic.replicaAssignment !== undefined && topic.replicaAssignment.length > 0
    ? validateAssignment(ctx.image, topic)
    : placeNewTopic(ctx, topic);
  const topicId = randomUuid(ctx.prng);
  const records: MetadataRecord[] = [{ type: 'TopicRecord', name: topic.name, topicId }];
  for (const [name, value] of Object.entries(topic.configs ?? {})) {
    records.push({ type: 'ConfigRecord', resourceType: ConfigResourceType.TOPIC, resourceName: topic.name, name, value });
  }
  assignment.forEach((replicas, partitionId) => records.push(newPartitionRecord(ctx.image, topicId, partitionId, replicas)));
  const rf = assignment[0]?.length ?? 0;
  const event: TraceInput = {
    type: 'topic-created',
    node: ctx.nodeId,
    topic: topic.name,
    message: `Controller ${ctx.nodeId} created topic ${topic.name} with ${assignment.length} partition(s) and replication factor ${rf}: ${assignment.map((r, p) => `p${p}→[${r.join(',')}]`).join(' ')}.`,
    data: { topicId, assignment },
  };
  const result: CreatableTopicResult = {
    name: topic.name,
    errorCode: 'NONE',
    errorMessage: null,
    suggestion: null,
    topicId,
    numPartitions: assignment.length,
    replicationFactor: rf,
  };
  return { records, result, event };
}

function checkCollision(image: MetadataImage, name: string, namesInRequest: ReadonlySet<string>): void {
  const unified = unifyCollisionChars(name);
  const existing = [...image.topicIdsByName.keys(), ...namesInRequest].find((other) => other !== name && unifyCollisionChars(other) === unified);
  if (existing !== undefined) {
    throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic '${name}' collides with existing topic: ${existing}.`, 'Topic names that differ only by "." and "_" collide; choose another name.');
  }
}

function placeNewTopic(ctx: ControllerContext, topic: NewTopic): number[][] {
  const numPartitions = topic.numPartitions === undefined || topic.numPartitions === -1 ? ctx.config.int('num.partitions') : topic.numPartitions;
  const rf = topic.replicationFactor === undefined || topic.replicationFactor === -1 ? ctx.config.int('default.replication.factor') : topic.replicationFactor;
  if (!Number.isInteger(numPartitions) || numPartitions <= 0) {
    throw new KafkaError('INVALID_PARTITIONS', 'Number of partitions was set to an invalid non-positive value.', 'Use --partitions 1 or more.');
  }
  if (!Number.isInteger(rf) || rf <= 0) {
    throw new KafkaError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0, or -1 to use the default value.', 'Use --replication-factor 1 or more.');
  }
  const usable = [...ctx.image.brokers.values()].filter((b) => !b.fenced && !b.inControlledShutdown);
  return placeReplicas(usable.map((b) => ({ id: b.id, rack: b.rack })), numPartitions, rf, ctx.prng);
}

function validateAssignment(image: MetadataImage, topic: NewTopic): number[][] {
  const assignment = topic.replicaAssignment!.map((replicas) => [...replicas]);
  if ((topic.numPartitions ?? -1) !== -1 || (topic.replicationFactor ?? -1) !== -1) {
    throw new KafkaError('INVALID_REQUEST', 'Both numPartitions or replicationFactor and replicasAssignment were set. Both cannot be used at the same time.');
  }
  const rf = assignment[0]!.length;
  assignment.forEach((replicas, partition) => {
    if (replicas.length === 0) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Partition ${partition} has no replicas.`);
    if (new Set(replicas).size !== replicas.length) {
      throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Duplicate brokers not allowed in replica assignment: ${replicas.join(', ')} for partition id ${partition}.`);
    }
    if (replicas.length !== rf) {
      throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Partition ${partition} has ${replicas.length} replicas; every partition needs the same replication factor (${rf}).`);
    }
    const unknown = replicas.find((id) => !image.brokers.has(id));
    if (unknown !== undefined) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Broker ${unknown} in the replica assignment for partition ${partition} is not registered.`);
  });
  return assignment;
}

function newPartitionRecord(image: MetadataImage, topicId: string, partitionId: number, replicas: readonly number[]): MetadataRecord {
  const isr = replicas.filter((id) => image.isActiveBroker(id));
  return {
    type: 'PartitionRecord',
    partitionId,
    topicId,
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

// ---- DeleteTopics -------------------------------------------------------------------

export function deleteTopics(ctx: ControllerContext, request: DeleteTopicsRequest): ControllerResult<DeleteTopicsResponse> {
  const records: MetadataRecord[] = [];
  const events: TraceInput[] = [];
  const topics = request.names.map((name) => {
    const topic = ctx.image.topic(name);
    if (topic === undefined) {
      return { name, errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' as ErrorName, errorMessage: `Topic '${name}' does not exist.` };
    }
    if (!ctx.config.bool('delete.topic.enable')) {
      return { name, errorCode: 'TOPIC_DELETION_DISABLED' as ErrorName, errorMessage: 'Topic deletion is disabled (delete.topic.enable=false).' };
    }
    records.push({ type: 'RemoveTopicRecord', topicId: topic.id });
    events.push({ type: 'topic-deleted', node: ctx.nodeId, topic: name, message: `Controller ${ctx.nodeId} deleted topic ${name}; brokers will delete its partitions.`, data: { topicId: topic.id } });
    return { name, errorCode: 'NONE' as ErrorName, errorMessage: null };
  });
  return { records, response: { api: 'DeleteTopics', topics }, events };
}

// ---- leadership changes when brokers change state -----------------------------------

function uncleanAllowed(ctx: ControllerContext, topic: TopicImage): boolean {
  return ctx.config.topicValue('unclean.leader.election.enable', ctx.image.topicConfigs(topic.name)) === 'true';
}

/**
 * Re-evaluates every partition that involves `brokerIds` against `image` (which must
 * already reflect the brokers' new state), removing them from ISRs and electing leaders.
 */
export function partitionChangesFor(
  ctx: ControllerContext,
  image: MetadataImage,
  brokerIds: ReadonlySet<number>,
  reason: string,
): { records: MetadataRecord[]; events: TraceInput[] } {
  const records: MetadataRecord[] = [];
  const events: TraceInput[] = [];
  for (const topic of image.topicsById.values()) {
    for (const [partitionId, partition] of topic.partitions) {
      const involved = partition.replicas.some((id) => brokerIds.has(id)) || partition.leader === NO_LEADER;
      if (!involved) continue;
      const change = buildPartitionChange(image, {
        topicId: topic.id,
        partitionId,
        partition,
        uncleanAllowed: uncleanAllowed(ctx, topic),
      });
      if (change === null) continue;
      records.push(change.record);
      events.push(describeChange(ctx.nodeId, topic.name, partitionId, partition, change.leader, change.isr, change.election, reason));
    }
  }
  return { records, events };
}

export function describeChange(
  nodeId: number,
  topic: string,
  partitionId: number,
  before: PartitionRegistration,
  leader: number,
  isr: readonly number[],
  election: string | null,
  reason: string,
): TraceInput {
  const leaderChanged = leader !== before.leader;
  const epoch = leaderChanged ? before.leaderEpoch + 1 : before.leaderEpoch;
  const isrText = `ISR [${before.isr.join(',')}] → [${isr.join(',')}]`;
  if (!leaderChanged) {
    const shrunk = isr.length < before.isr.length;
    return {
      type: shrunk ? 'isr-shrunk' : 'isr-expanded',
      node: nodeId,
      topic,
      partition: partitionId,
      message: `${topic}-${partitionId}: ${isrText} (${reason}).`,
      data: { isr, previousIsr: before.isr, leader, leaderEpoch: epoch },
    };
  }
  const message =
    leader === NO_LEADER
      ? `${topic}-${partitionId} is offline: no replica in the ISR [${isr.join(',')}] can lead (${reason}).`
      : `${topic}-${partitionId}: ${election === 'unclean' ? 'UNCLEAN election, ' : ''}leader ${before.leader === NO_LEADER ? 'none' : before.leader} → ${leader}, leader epoch ${epoch}, ${isrText} (${reason}).`;
  return {
    type: leader === NO_LEADER ? 'partition-offline' : 'leader-elected',
    node: nodeId,
    topic,
    partition: partitionId,
    message,
    data: { leader, previousLeader: before.leader, leaderEpoch: epoch, isr, previousIsr: before.isr, election },
  };
}

// ---- AlterPartition -----------------------------------------------------------------

export function alterPartition(ctx: ControllerContext, request: AlterPartitionRequest): ControllerResult<AlterPartitionResponse> {
  const records: MetadataRecord[] = [];
  const events: TraceInput[] = [];
  const broker = ctx.image.brokers.get(request.brokerId);
  const staleBroker = broker === undefined || broker.epoch !== request.brokerEpoch;
  const partitions = request.partitions.map((item): AlterPartitionResult => {
    const topic = ctx.image.topicsById.get(item.topicId);
    const partition = topic?.partitions.get(item.partitionIndex);
    const result = (errorCode: ErrorName, p: PartitionRegistration | undefined = partition): AlterPartitionResult => ({
      topicId: item.topicId,
      partitionIndex: item.partitionIndex,
      errorCode,
      leaderId: p?.leader ?? NO_LEADER,
      leaderEpoch: p?.leaderEpoch ?? -1,
      isr: p?.isr ?? [],
      partitionEpoch: p?.partitionEpoch ?? -1,
    });
    if (staleBroker) return result('STALE_BROKER_EPOCH');
    if (topic === undefined || partition === undefined) return result('UNKNOWN_TOPIC_OR_PARTITION');
    const error = alterPartitionError(ctx.image, request.brokerId, partition, item);
    if (error !== null) return result(error);
    if (sameMembers(item.newIsr, partition.isr) && item.leaderRecoveryState !== 0) return result('NONE');
    records.push(
      partitionChange(item.topicId, item.partitionIndex, {
        isr: sameMembers(item.newIsr, partition.isr) ? null : item.newIsr,
        leaderRecoveryState: item.leaderRecoveryState,
      }),
    );
    events.push(describeChange(ctx.nodeId, topic.name, item.partitionIndex, partition, partition.leader, item.newIsr, null, `requested by leader ${request.brokerId}`));
    return result('NONE', { ...partition, isr: item.newIsr, partitionEpoch: partition.partitionEpoch + 1 });
  });
  return { records, response: { api: 'AlterPartition', partitions }, events };
}

function alterPartitionError(image: MetadataImage, brokerId: number, partition: PartitionRegistration, item: AlterPartitionRequest['partitions'][number]): ErrorName | null {
  if (partition.leader !== brokerId) return 'NOT_LEADER_OR_FOLLOWER';
  if (item.leaderEpoch !== partition.leaderEpoch) return 'FENCED_LEADER_EPOCH';
  if (item.partitionEpoch !== partition.partitionEpoch) return 'INVALID_UPDATE_VERSION';
  if (!item.newIsr.includes(brokerId) || item.newIsr.some((id) => !partition.replicas.includes(id))) return 'INVALID_REQUEST';
  const added = item.newIsr.filter((id) => !partition.isr.includes(id));
  if (added.some((id) => !image.isActiveBroker(id))) return 'INELIGIBLE_REPLICA';
  return null;
}

// ---- ElectLeaders -------------------------------------------------------------------

export function electLeaders(ctx: ControllerContext, request: ElectLeadersRequest): ControllerResult<ElectLeadersResponse> {
  const records: MetadataRecord[] = [];
  const events: TraceInput[] = [];
  const wanted = request.partitions ?? allPartitions(ctx.image);
  const results = wanted.map(({ topic: name, partition: partitionId }): ElectLeadersResult => {
    const topic = ctx.image.topic(name);
    const partition = topic?.partitions.get(partitionId);
    const out = (errorCode: ErrorName, errorMessage: string | null = null): ElectLeadersResult => ({ topic: name, partition: partitionId, errorCode, errorMessage });
    if (topic === undefined || partition === undefined) return out('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${name}-${partitionId} does not exist.`);
    const preferred = request.electionType === 0;
    if (preferred ? partition.leader === partition.replicas[0] : partition.leader !== NO_LEADER) {
      return out('ELECTION_NOT_NEEDED', 'Leader election not needed for topic partition.');
    }
    const change = buildPartitionChange(ctx.image, { topicId: topic.id, partitionId, partition, uncleanAllowed: !preferred, preferred });
    if (change === null || change.leader === NO_LEADER || change.leader === partition.leader) {
      return preferred
        ? out('PREFERRED_LEADER_NOT_AVAILABLE', `Failed to elect leader for partition ${name}-${partitionId}: the preferred replica ${partition.replicas[0]} is not in the ISR or not alive.`)
        : out('ELIGIBLE_LEADERS_NOT_AVAILABLE', `No live replica of ${name}-${partitionId} can be elected.`);
    }
    records.push(change.record);
    events.push(describeChange(ctx.nodeId, name, partitionId, partition, change.leader, change.isr, change.election, preferred ? 'preferred leader election' : 'unclean leader election requested'));
    return out('NONE');
  });
  return { records, response: { api: 'ElectLeaders', results: request.partitions === null ? results.filter((r) => r.errorCode !== 'ELECTION_NOT_NEEDED') : results }, events };
}

function allPartitions(image: MetadataImage): { topic: string; partition: number }[] {
  const out: { topic: string; partition: number }[] = [];
  for (const topic of image.topicsById.values()) for (const id of topic.partitions.keys()) out.push({ topic: topic.name, partition: id });
  return out;
}

/** Partitions whose leader is not their preferred (first) replica, per broker, for auto rebalancing. */
export function imbalancedPartitions(image: MetadataImage): { topic: string; partition: number }[] {
  return allPartitions(image).filter(({ topic, partition }) => {
    const p = image.partition(topic, partition);
    const preferred = p?.replicas[0];
    return p !== undefined && preferred !== undefined && p.leader !== preferred && p.isr.includes(preferred) && image.isActiveBroker(preferred);
  });
}
