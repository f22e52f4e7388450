/**
 * ElectLeaders (api key 43) versions 0–2, AlterPartitionReassignments (45) and
 * ListPartitionReassignments (46) version 0, DescribeQuorum (55) versions 0–1.
 *
 * Behaviour: ElectLeaders forwards to the controller (preferred = 0, unclean = 1; v0 is
 * always preferred; null partitions = every partition) and answers per partition with
 * ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE...
 * DescribeQuorum describes `__cluster_metadata`-0: leader, epoch, high watermark, voters and
 * observers with their fetch times (v1).
 *
 * AlterPartitionReassignments (KIP-455) forwards the targets to the controller (null replicas
 * cancel; NO_REASSIGNMENT_IN_PROGRESS, INVALID_REPLICA_ASSIGNMENT per partition) and
 * ListPartitionReassignments lists the ongoing ones (null topics = all).
 *
 * Deviations: `timeout_ms` is not applied. DescribeQuorum is answered by brokers (Kafka 3.x
 * forwards it to the controller the same way).
 */
import type { AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse } from '../messages/45-alter-partition-reassignments';
import type { DescribeQuorumRequest, DescribeQuorumResponse, DescribeQuorumResponsePartitionData } from '../messages/55-describe-quorum';
import type { ElectLeadersRequest, ElectLeadersResponse } from '../messages/43-elect-leaders';
import type { ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse } from '../messages/46-list-partition-reassignments';
import type { RequestContext } from '../server/types';
import { byTopic, code, errorCodeOf, errorMessageOf, isBrokerDown, NONE, type HandlerEnv } from './context';

const ELECTION_UNCLEAN = 1;

export async function handleElectLeaders(env: HandlerEnv, request: ElectLeadersRequest, context: RequestContext): Promise<ElectLeadersResponse> {
  const type = context.header.requestApiVersion >= 1 && request.electionType === ELECTION_UNCLEAN ? 'unclean' : 'preferred';
  const partitions = request.topicPartitions === null ? null : request.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
  const results = await env.engine(() => env.broker.electLeaders(type, partitions));
  return {
    throttleTimeMs: 0,
    errorCode: NONE,
    replicaElectionResults: [...byTopic(results)].map(([topic, list]) => ({
      topic,
      partitionResult: list.map((r) => ({ partitionId: r.partition, errorCode: r.error === null ? NONE : errorCodeOf(r.error), errorMessage: errorMessageOf(r.error) })),
    })),
  };
}

export async function handleListPartitionReassignments(env: HandlerEnv, request: ListPartitionReassignmentsRequest): Promise<ListPartitionReassignmentsResponse> {
  const partitions = request.topics === null ? null : request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
  const ongoing = await env.engine(() => env.broker.listPartitionReassignments(partitions));
  return {
    throttleTimeMs: 0,
    errorCode: NONE,
    errorMessage: null,
    topics: [...byTopic(ongoing)].map(([name, list]) => ({
      name,
      partitions: list.map((r) => ({ partitionIndex: r.partition, replicas: [...r.replicas], addingReplicas: [...r.addingReplicas], removingReplicas: [...r.removingReplicas] })),
    })),
  };
}

export async function handleAlterPartitionReassignments(env: HandlerEnv, request: AlterPartitionReassignmentsRequest): Promise<AlterPartitionReassignmentsResponse> {
  const targets = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas })));
  const results = await env.engine(() => env.broker.alterPartitionReassignments(targets));
  return {
    throttleTimeMs: 0,
    errorCode: NONE,
    errorMessage: null,
    responses: [...byTopic(results)].map(([name, list]) => ({
      name,
      partitions: list.map((r) => ({ partitionIndex: r.partition, errorCode: r.error === null ? NONE : errorCodeOf(r.error), errorMessage: errorMessageOf(r.error) })),
    })),
  };
}

const METADATA_TOPIC = '__cluster_metadata';

export async function handleDescribeQuorum(env: HandlerEnv, request: DescribeQuorumRequest): Promise<DescribeQuorumResponse> {
  let described: DescribeQuorumResponsePartitionData;
  try {
    const q = await env.engine(() => env.broker.describeQuorum());
    const state = (r: (typeof q.voters)[number]) => ({ replicaId: r.replicaId, logEndOffset: r.logEndOffset, lastFetchTimestamp: r.lastFetchTimestamp, lastCaughtUpTimestamp: r.lastCaughtUpTimestamp });
    described = { partitionIndex: 0, errorCode: NONE, leaderId: q.leaderId, leaderEpoch: q.leaderEpoch, highWatermark: q.highWatermark, currentVoters: q.voters.map(state), observers: q.observers.map(state) };
  } catch (error) {
    if (isBrokerDown(error)) throw error;
    described = { partitionIndex: 0, errorCode: errorCodeOf(error), leaderId: -1, leaderEpoch: -1, highWatermark: -1, currentVoters: [], observers: [] };
  }
  return {
    errorCode: NONE,
    topics: request.topics.map((t) => ({
      topicName: t.topicName,
      partitions: t.partitions.map((p) =>
        t.topicName === METADATA_TOPIC && p.partitionIndex === 0
          ? described
          : { partitionIndex: p.partitionIndex, errorCode: code('UNKNOWN_TOPIC_OR_PARTITION'), leaderId: -1, leaderEpoch: -1, highWatermark: -1, currentVoters: [], observers: [] },
      ),
    })),
  };
}
