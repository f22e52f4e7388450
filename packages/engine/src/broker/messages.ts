/**
 * Broker-to-broker replication messages: a follower's Fetch (Kafka's FetchRequest with
 * replica id, v12+ with lastFetchedEpoch and the diverging-epoch answer of KIP-320) and the
 * leader's response. Partitions are named by topic id as in Fetch v13; record batches
 * travel as the bytes the leader's log holds.
 */
import type { ErrorName } from '../errors';

export interface ReplicaFetchPartition {
  readonly topicId: string;
  readonly partition: number;
  readonly currentLeaderEpoch: number;
  readonly fetchOffset: number;
  /** Epoch of the last batch the follower holds, -1 if its log is empty. */
  readonly lastFetchedEpoch: number;
}

export interface ReplicaFetchRequest {
  readonly kind: 'ReplicaFetchRequest';
  readonly correlationId: number;
  readonly replicaId: number;
  readonly replicaEpoch: number;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly partitions: readonly ReplicaFetchPartition[];
}

export interface ReplicaFetchPartitionData {
  readonly topicId: string;
  readonly partition: number;
  readonly errorCode: ErrorName;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly divergingEpoch: { readonly epoch: number; readonly endOffset: number } | null;
  readonly records: Uint8Array;
}

export interface ReplicaFetchResponse {
  readonly kind: 'ReplicaFetchResponse';
  readonly correlationId: number;
  readonly errorCode: ErrorName;
  readonly partitions: readonly ReplicaFetchPartitionData[];
}

export type ReplicationMessage = ReplicaFetchRequest | ReplicaFetchResponse;
