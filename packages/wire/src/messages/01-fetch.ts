/**
 * Fetch (api key 1): versions 0–12, flexible from v12.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list, struct } from '../protocol/schema';

export interface FetchRequest {
  /** v12+, nullable, tag 0 */ clusterId: string | null;
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  /** v3+ */ maxBytes: number;
  /** v4+ */ isolationLevel: number;
  /** v7+ */ sessionId: number;
  /** v7+ */ sessionEpoch: number;
  topics: FetchTopic[];
  /** v7+ */ forgottenTopicsData: FetchRequestForgottenTopic[];
  /** v11+ */ rackId: string;
}

export interface FetchTopic {
  topic: string;
  partitions: FetchPartition[];
}

export interface FetchPartition {
  partition: number;
  /** v9+ */ currentLeaderEpoch: number;
  fetchOffset: number;
  /** v12+ */ lastFetchedEpoch: number;
  /** v5+ */ logStartOffset: number;
  partitionMaxBytes: number;
}

export interface FetchRequestForgottenTopic {
  topic: string;
  partitions: number[];
}

export interface FetchResponse {
  /** v1+ */ throttleTimeMs: number;
  /** v7+ */ errorCode: number;
  /** v7+ */ sessionId: number;
  responses: FetchableTopicResponse[];
}

export interface FetchableTopicResponse {
  topic: string;
  partitions: FetchResponsePartitionData[];
}

export interface FetchResponsePartitionData {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  /** v4+ */ lastStableOffset: number;
  /** v5+ */ logStartOffset: number;
  /** v12+, tag 0 */ divergingEpoch: FetchResponseEpochEndOffset;
  /** v12+, tag 1 */ currentLeader: FetchResponseLeaderIdAndEpoch;
  /** v12+, tag 2 */ snapshotId: FetchResponseSnapshotId;
  /** v4+, nullable */ abortedTransactions: FetchResponseAbortedTransaction[] | null;
  /** v11+ */ preferredReadReplica: number;
  records: Uint8Array | null;
}

export interface FetchResponseEpochEndOffset {
  epoch: number;
  endOffset: number;
}

export interface FetchResponseLeaderIdAndEpoch {
  leaderId: number;
  leaderEpoch: number;
}

export interface FetchResponseSnapshotId {
  /** v0+ */ endOffset: number;
  /** v0+ */ epoch: number;
}

export interface FetchResponseAbortedTransaction {
  producerId: number;
  firstOffset: number;
}

export const fetchApi = defineApi<FetchRequest, FetchResponse>({
  apiKey: 1,
  name: 'Fetch',
  versions: '0-12',
  flexibleVersions: '12+',
  request: [
    f('clusterId', 'string', '12+', { nullable: '12+', default: null, tag: 0 }),
    f('replicaId', 'int32', '0+', { default: -1 }),
    f('maxWaitMs', 'int32', '0+'),
    f('minBytes', 'int32', '0+'),
    f('maxBytes', 'int32', '3+', { default: 2147483647 }),
    f('isolationLevel', 'int8', '4+'),
    f('sessionId', 'int32', '7+'),
    f('sessionEpoch', 'int32', '7+', { default: -1 }),
    list('topics', '0+', [
      f('topic', 'string', '0+'),
      list('partitions', '0+', [
        f('partition', 'int32', '0+'),
        f('currentLeaderEpoch', 'int32', '9+', { default: -1 }),
        f('fetchOffset', 'int64', '0+'),
        f('lastFetchedEpoch', 'int32', '12+', { default: -1 }),
        f('logStartOffset', 'int64', '5+', { default: -1 }),
        f('partitionMaxBytes', 'int32', '0+'),
      ]),
    ]),
    list('forgottenTopicsData', '7+', [f('topic', 'string', '7+'), f('partitions', '[]int32', '7+')]),
    f('rackId', 'string', '11+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '7+'),
    f('sessionId', 'int32', '7+'),
    list('responses', '0+', [
      f('topic', 'string', '0+'),
      list('partitions', '0+', [
        f('partitionIndex', 'int32', '0+'),
        f('errorCode', 'int16', '0+'),
        f('highWatermark', 'int64', '0+'),
        f('lastStableOffset', 'int64', '4+', { default: -1 }),
        f('logStartOffset', 'int64', '5+', { default: -1 }),
        struct(
          'divergingEpoch',
          '12+',
          [f('epoch', 'int32', '12+', { default: -1 }), f('endOffset', 'int64', '12+', { default: -1 })],
          { tag: 0 },
        ),
        struct(
          'currentLeader',
          '12+',
          [f('leaderId', 'int32', '12+', { default: -1 }), f('leaderEpoch', 'int32', '12+', { default: -1 })],
          { tag: 1 },
        ),
        struct(
          'snapshotId',
          '12+',
          [f('endOffset', 'int64', '0+', { default: -1 }), f('epoch', 'int32', '0+', { default: -1 })],
          { tag: 2 },
        ),
        list('abortedTransactions', '4+', [f('producerId', 'int64', '4+'), f('firstOffset', 'int64', '4+')], { nullable: '4+' }),
        f('preferredReadReplica', 'int32', '11+', { default: -1 }),
        f('records', 'records', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
});
