/**
 * Partition reassignment as the KRaft controller runs it (KIP-455, Kafka's
 * ReplicationControlManager with PartitionReassignmentReplicas/Revert).
 *
 * States of one partition: idle (addingReplicas and removingReplicas empty) → reassigning
 * (replicas = target followed by the replicas being removed; addingReplicas = target minus
 * current; removingReplicas = current minus target) → idle again, by completion or by
 * cancellation. Every step is a PartitionChangeRecord in the metadata log.
 *
 * - Start: the replica list grows to the union, nothing else changes. New replicas create
 *   empty logs and fetch from the leader like any follower; the leader adds them to the ISR
 *   once they reach its high watermark (AlterPartition).
 * - Completion: as soon as every target replica is in the ISR, one record sets replicas to
 *   the target, drops the removed replicas from the ISR and, if the leader is being
 *   removed, elects the first target replica in the ISR (a new leader epoch). A reassignment
 *   whose target is already in the ISR (a reorder or a shrink) completes at once.
 * - Cancellation (target null): the replica list reverts to the current list minus the
 *   adding replicas (in the current order, as Kafka's PartitionReassignmentRevert does, so
 *   a preferred-leader change is not undone), adding replicas leave the ISR, and partially
 *   copied logs are deleted.
 *
 * Also here: UnregisterBroker, which forgets a drained broker (KIP-631).
 *
 * Deviations from Kafka: a new target submitted during a reassignment is computed against
 * the current (expanded) replica list, as Kafka does, but without Kafka's check that the
 * broker set is unfenced; no reassignment of the `__cluster_metadata` partition.
 */
import { KafkaError, type ErrorName } from '../errors';
import type { MetadataImage, PartitionRegistration } from '../metadata/image';
import { NO_LEADER, partitionChange, type MetadataRecord, type PartitionChangeRecord } from '../metadata/records';
import type { TraceInput } from '../sim/trace';
import type {
  AlterPartitionReassignmentsRequest,
  AlterPartitionReassignmentsResponse,
  ListPartitionReassignmentsRequest,
  ListPartitionReassignmentsResponse,
  OngoingReassignment,
  ReassignmentResult,
  UnregisterBrokerRequest,
  UnregisterBrokerResponse,
} from './elasticity-messages';
import type { ControllerResult } from './messages';
import { sameMembers } from './partition-change';
import { partitionChangesFor, type ControllerContext } from './replication-control';

export function isReassigning(p: PartitionRegistration): boolean {
  return p.addingReplicas.length > 0 || p.removingReplicas.length > 0;
}

/** The target of an ongoing reassignment: the replicas that stay once it completes. */
export function targetReplicas(p: PartitionRegistration): number[] {
  return p.replicas.filter((id) => !p.removingReplicas.includes(id));
}

// ---- AlterPartitionReassignments ------------------------------------------------------

export function alterPartitionReassignments(ctx: ControllerContext, request: AlterPartitionReassignmentsRequest): ControllerResult<AlterPartitionReassignmentsResponse> {
  const records: MetadataRecord[] = [];
  const events: TraceInput[] = [];
  let image = ctx.image;
  const results = request.reassignments.map(({ topic, partition, replicas }): ReassignmentResult => {
    const ok: ReassignmentResult = { topic, partition, errorCode: 'NONE', errorMessage: null };
    try {
      const topicImage = image.topic(topic);
      const reg = topicImage?.partitions.get(partition);
      if (topicImage === undefined || reg === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Partition ${topic}-${partition} does not exist.`);
      const change = replicas === null ? cancel(ctx.nodeId, image, topic, topicImage.id, partition, reg) : start(ctx.nodeId, image, topic, topicImage.id, partition, reg, replicas);
      if (change !== null) {
        records.push(change.record);
        events.push(change.event);
        image = image.apply([change.record], image.offset);
      }
      return ok;
    } catch (error) {
      const kafka = error instanceof KafkaError ? error : new KafkaError('UNKNOWN_SERVER_ERROR', String(error));
      return { topic, partition, errorCode: kafka.errorName, errorMessage: kafka.message };
    }
  });
  return { records, response: { api: 'AlterPartitionReassignments', results }, events };
}

interface PlannedChange {
  readonly record: PartitionChangeRecord;
  readonly event: TraceInput;
}

function validateTarget(image: MetadataImage, topic: string, partition: number, target: readonly number[]): void {
  if (target.length === 0) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The target replica list of ${topic}-${partition} is empty.`);
  if (new Set(target).size !== target.length) {
    throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The target replica list of ${topic}-${partition} contains duplicate brokers: ${target.join(', ')}.`);
  }
  const unknown = target.find((id) => !image.brokers.has(id));
  if (unknown !== undefined) {
    throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment includes broker ${unknown}, but no such broker is registered.`);
  }
}

function start(nodeId: number, image: MetadataImage, topic: string, topicId: string, partition: number, reg: PartitionRegistration, target: readonly number[]): PlannedChange | null {
  validateTarget(image, topic, partition, target);
  const current = reg.replicas;
  if (!isReassigning(reg) && current.length === target.length && current.every((id, i) => id === target[i])) return null;
  const removing = current.filter((id) => !target.includes(id));
  const adding = target.filter((id) => !current.includes(id));
  const expanded: PartitionRegistration = { ...reg, replicas: [...target, ...removing], addingReplicas: adding, removingReplicas: removing };
  const completed = completion(image, expanded);
  const name = `${topic}-${partition}`;
  if (completed !== null) {
    const record = { ...completed.record, topicId, partitionId: partition };
    return { record, event: completedEvent(nodeId, name, reg, completed, 'every target replica is already in the ISR') };
  }
  const record = partitionChange(topicId, partition, { replicas: expanded.replicas, addingReplicas: adding, removingReplicas: removing });
  return {
    record,
    event: {
      type: 'reassignment-started',
      node: nodeId,
      topic,
      partition,
      message: `${name}: reassignment from [${current.join(',')}] to [${target.join(',')}] started. Replicas are now [${expanded.replicas.join(',')}] (adding [${adding.join(',')}], removing [${removing.join(',')}]); the new replicas copy the log from leader ${reg.leader} before anything is removed.`,
      data: { replicas: expanded.replicas, targetReplicas: target, addingReplicas: adding, removingReplicas: removing, previousReplicas: current },
    },
  };
}

function cancel(nodeId: number, image: MetadataImage, topic: string, topicId: string, partition: number, reg: PartitionRegistration): PlannedChange | null {
  const name = `${topic}-${partition}`;
  if (!isReassigning(reg)) throw new KafkaError('NO_REASSIGNMENT_IN_PROGRESS', `There is no reassignment in progress for ${name}.`);
  const original = reg.replicas.filter((id) => !reg.addingReplicas.includes(id));
  let isr = reg.isr.filter((id) => original.includes(id));
  if (isr.length === 0) isr = original.slice(0, 1);
  const leaderStays = reg.leader !== NO_LEADER && isr.includes(reg.leader);
  const leader = leaderStays ? reg.leader : original.find((id) => isr.includes(id) && image.isActiveBroker(id)) ?? NO_LEADER;
  const record = partitionChange(topicId, partition, {
    replicas: original,
    isr: sameMembers(isr, reg.isr) ? null : isr,
    addingReplicas: [],
    removingReplicas: [],
    leader: leader === reg.leader ? -2 : leader,
  });
  return {
    record,
    event: {
      type: 'reassignment-cancelled',
      node: nodeId,
      topic,
      partition,
      message: `${name}: reassignment cancelled; replicas revert to [${original.join(',')}] and the partial copies on broker(s) [${reg.addingReplicas.join(',')}] are deleted.`,
      data: { replicas: original, isr, leader, cancelledAddingReplicas: reg.addingReplicas },
    },
  };
}

// ---- completion -----------------------------------------------------------------------

interface Completion {
  readonly record: PartitionChangeRecord;
  readonly target: readonly number[];
  readonly isr: readonly number[];
  readonly leader: number;
}

/** The record that completes `reg`'s reassignment, or null while a target replica is missing from the ISR. */
function completion(image: MetadataImage, reg: PartitionRegistration): Completion | null {
  if (!isReassigning(reg)) return null;
  const target = targetReplicas(reg);
  if (!target.every((id) => reg.isr.includes(id))) return null;
  const isr = reg.isr.filter((id) => target.includes(id));
  const canLead = (id: number): boolean => isr.includes(id) && image.isActiveBroker(id);
  const leader = reg.leader !== NO_LEADER && canLead(reg.leader) ? reg.leader : target.find(canLead) ?? NO_LEADER;
  // Completing with nobody able to lead would take the partition offline; wait instead.
  if (leader === NO_LEADER) return null;
  const record = partitionChange('', -1, {
    replicas: target,
    isr: sameMembers(isr, reg.isr) ? null : isr,
    addingReplicas: [],
    removingReplicas: [],
    leader: leader === reg.leader ? -2 : leader,
  });
  return { record, target, isr, leader };
}

function completedEvent(nodeId: number, name: string, before: PartitionRegistration, done: Completion, why: string): TraceInput {
  const [topic, partition] = splitName(name);
  const leaderText = done.leader === before.leader ? `leader stays ${done.leader}` : `leadership moves ${before.leader} → ${done.leader} with a new leader epoch`;
  return {
    type: 'reassignment-completed',
    node: nodeId,
    topic,
    partition,
    message: `${name}: reassignment completed (${why}). Replicas [${done.target.join(',')}], ISR [${done.isr.join(',')}], ${leaderText}; broker(s) [${before.removingReplicas.join(',')}] delete their copies.`,
    data: { replicas: done.target, isr: done.isr, leader: done.leader, previousLeader: before.leader, removedReplicas: before.removingReplicas },
  };
}

function splitName(name: string): [string, number] {
  const at = name.lastIndexOf('-');
  return [name.slice(0, at), Number(name.slice(at + 1))];
}

/**
 * Completes every reassignment in `image` whose target replicas are all in the ISR. The
 * controller runs this after each AlterPartition, since an ISR expansion is what lets a
 * reassignment finish.
 */
export function completeReassignments(nodeId: number, image: MetadataImage, topicIds: ReadonlySet<string>): { records: MetadataRecord[]; events: TraceInput[] } {
  const records: MetadataRecord[] = [];
  const events: TraceInput[] = [];
  for (const topicId of topicIds) {
    const topic = image.topicsById.get(topicId);
    if (topic === undefined) continue;
    for (const [partitionId, reg] of topic.partitions) {
      const done = completion(image, reg);
      if (done === null) continue;
      records.push({ ...done.record, topicId, partitionId });
      events.push(completedEvent(nodeId, `${topic.name}-${partitionId}`, reg, done, 'every target replica joined the ISR'));
    }
  }
  return { records, events };
}

// ---- ListPartitionReassignments -----------------------------------------------------

export function listPartitionReassignments(ctx: ControllerContext, request: ListPartitionReassignmentsRequest): ControllerResult<ListPartitionReassignmentsResponse> {
  const out: OngoingReassignment[] = [];
  const wanted = request.partitions === null ? null : new Set(request.partitions.map((p) => `${p.topic}\u0000${p.partition}`));
  const topics = [...ctx.image.topicsById.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const topic of topics) {
    for (const [partition, reg] of [...topic.partitions].sort(([a], [b]) => a - b)) {
      if (!isReassigning(reg) || (wanted !== null && !wanted.has(`${topic.name}\u0000${partition}`))) continue;
      out.push({ topic: topic.name, partition, replicas: reg.replicas, addingReplicas: reg.addingReplicas, removingReplicas: reg.removingReplicas });
    }
  }
  return { records: [], response: { api: 'ListPartitionReassignments', reassignments: out } };
}

// ---- UnregisterBroker -----------------------------------------------------------------

export function unregisterBroker(ctx: ControllerContext, request: UnregisterBrokerRequest): ControllerResult<UnregisterBrokerResponse> {
  const id = request.brokerId;
  const broker = ctx.image.brokers.get(id);
  const reply = (errorCode: ErrorName, errorMessage: string | null = null): UnregisterBrokerResponse => ({ api: 'UnregisterBroker', errorCode, errorMessage });
  if (broker === undefined) return { records: [], response: reply('BROKER_ID_NOT_REGISTERED', `Broker ${id} is not registered.`) };
  const record: MetadataRecord = { type: 'UnregisterBrokerRecord', brokerId: id, brokerEpoch: broker.epoch };
  const image = ctx.image.apply([record], ctx.image.offset);
  const moves = partitionChangesFor(ctx, image, new Set([id]), `broker ${id} unregistered`);
  const hosted = countReplicasOn(ctx.image, id);
  const warning = hosted === 0 ? 'it held no replicas, so nothing became under-replicated' : `it is still listed as a replica of ${hosted} partition(s), which are now under-replicated`;
  return {
    records: [record, ...moves.records],
    response: reply('NONE'),
    events: [{ type: 'broker-unregistered', node: ctx.nodeId, message: `Broker ${id} was unregistered: the controller forgets it (${warning}).`, data: { brokerId: id, replicasHeld: hosted } }, ...moves.events],
  };
}

export function countReplicasOn(image: MetadataImage, brokerId: number): number {
  let n = 0;
  for (const topic of image.topicsById.values()) for (const p of topic.partitions.values()) if (p.replicas.includes(brokerId)) n++;
  return n;
}
