/**
 * Partition-leader requests that real Kafka clients send and the lab's own tools do not:
 * OffsetForLeaderEpoch (KIP-101/320, clients validate their position after a leader change)
 * and DeleteRecords (KIP-107). They answer from the broker's local replica like Kafka's
 * ReplicaManager does, synchronously, and refuse with NETWORK_EXCEPTION when the broker is
 * stopped, as BrokerApi does.
 */
import { KafkaError } from '../errors';
import type { BrokerNode } from '../broker/broker-node';
import type { Partition } from '../broker/partition';
import type { ClusterApi } from './api';
import { Cluster } from './cluster';

export interface EpochEndOffsetResult {
  readonly error: KafkaError | null;
  /** The largest epoch at or below the requested one, -1 when unknown. */
  readonly leaderEpoch: number;
  /** The first offset after that epoch (the log end for the current epoch), -1 when unknown. */
  readonly endOffset: number;
}

export interface DeleteRecordsResult {
  readonly error: KafkaError | null;
  /** The log start offset after the deletion. */
  readonly lowWatermark: number;
}

function brokerNode(cluster: ClusterApi, brokerId: number): BrokerNode {
  const node = cluster instanceof Cluster ? cluster.brokerNode(brokerId) : null;
  if (node === null) throw new KafkaError('NETWORK_EXCEPTION', `Broker ${brokerId} is not running (connection refused).`, 'Use another broker.');
  return node;
}

/** The leader replica, or the error a non-leader answers with. */
function leaderReplica(node: BrokerNode, topic: string, partition: number): Partition | KafkaError {
  const replica = node.replicaManager.get(topic, partition);
  if (replica === undefined) return node.replicaManager.unknownPartition(topic, partition);
  return replica.isLeader ? replica : replica.notLeader();
}

export function offsetForLeaderEpoch(
  cluster: ClusterApi,
  brokerId: number,
  request: { readonly topic: string; readonly partition: number; readonly currentLeaderEpoch: number; readonly leaderEpoch: number },
): EpochEndOffsetResult {
  const replica = leaderReplica(brokerNode(cluster, brokerId), request.topic, request.partition);
  if (replica instanceof KafkaError) return { error: replica, leaderEpoch: -1, endOffset: -1 };
  const current = request.currentLeaderEpoch;
  if (current >= 0 && current < replica.leaderEpoch) {
    return { error: new KafkaError('FENCED_LEADER_EPOCH', `${request.topic}-${request.partition} is in leader epoch ${replica.leaderEpoch}; the request carried ${current}.`, 'Refresh metadata and retry.'), leaderEpoch: -1, endOffset: -1 };
  }
  if (current > replica.leaderEpoch) {
    return { error: new KafkaError('UNKNOWN_LEADER_EPOCH', `${request.topic}-${request.partition} is in leader epoch ${replica.leaderEpoch}; the request carried ${current}.`, 'Retry once this broker has caught up with the metadata.'), leaderEpoch: -1, endOffset: -1 };
  }
  const found = replica.log.endOffsetForEpoch(request.leaderEpoch);
  return { error: null, leaderEpoch: found.epoch, endOffset: found.endOffset };
}

/** Moves the partition's log start offset to `offset` (-1: the high watermark). */
export function deleteRecords(cluster: ClusterApi, brokerId: number, request: { readonly topic: string; readonly partition: number; readonly offset: number }): DeleteRecordsResult {
  const replica = leaderReplica(brokerNode(cluster, brokerId), request.topic, request.partition);
  if (replica instanceof KafkaError) return { error: replica, lowWatermark: -1 };
  const target = request.offset === -1 ? replica.highWatermark : request.offset;
  if (target < 0) {
    return { error: new KafkaError('OFFSET_OUT_OF_RANGE', `Cannot delete records before offset ${target}.`, 'Use an offset between the log start offset and the high watermark, or -1 for the high watermark.'), lowWatermark: -1 };
  }
  try {
    if (target > replica.log.logStartOffset) replica.log.deleteRecordsBefore(target);
  } catch (error) {
    if (error instanceof KafkaError) return { error, lowWatermark: replica.log.logStartOffset };
    throw error;
  }
  return { error: null, lowWatermark: replica.log.logStartOffset };
}
