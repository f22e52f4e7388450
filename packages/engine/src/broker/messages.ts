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
  /** Fetch v3+ partition_max_bytes; set by a throttled follower (KIP-73), else replica.fetch.max.bytes applies. */
  readonly partitionMaxBytes?: number;
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

/**
 * WriteTxnMarkers (api key 27), broker to broker: the transaction coordinator asks a
 * partition leader to append COMMIT or ABORT control batches for a producer.
 */
export interface TxnMarkerEntry {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly commit: boolean;
  readonly coordinatorEpoch: number;
}

export interface WriteTxnMarkersRequest {
  readonly kind: 'WriteTxnMarkersRequest';
  readonly correlationId: number;
  readonly markers: readonly TxnMarkerEntry[];
}

export interface TxnMarkerResult {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: number;
  readonly errorCode: ErrorName;
}

export interface WriteTxnMarkersResponse {
  readonly kind: 'WriteTxnMarkersResponse';
  readonly correlationId: number;
  readonly results: readonly TxnMarkerResult[];
}

export type TxnMarkerMessage = WriteTxnMarkersRequest | WriteTxnMarkersResponse;
