/**
 * OffsetForLeaderEpoch (api key 23): versions 0–4, flexible from v4.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface OffsetForLeaderEpochRequest {
  /** v3+ */ replicaId: number;
  topics: OffsetForLeaderEpochRequestOffsetForLeaderTopic[];
}

export interface OffsetForLeaderEpochRequestOffsetForLeaderTopic {
  topic: string;
  partitions: OffsetForLeaderEpochRequestOffsetForLeaderPartition[];
}

export interface OffsetForLeaderEpochRequestOffsetForLeaderPartition {
  partition: number;
  /** v2+ */ currentLeaderEpoch: number;
  leaderEpoch: number;
}

export interface OffsetForLeaderEpochResponse {
  /** v2+ */ throttleTimeMs: number;
  topics: OffsetForLeaderEpochResponseOffsetForLeaderTopicResult[];
}

export interface OffsetForLeaderEpochResponseOffsetForLeaderTopicResult {
  topic: string;
  partitions: OffsetForLeaderEpochResponseEpochEndOffset[];
}

export interface OffsetForLeaderEpochResponseEpochEndOffset {
  errorCode: number;
  partition: number;
  /** v1+ */ leaderEpoch: number;
  endOffset: number;
}

export const offsetForLeaderEpochApi = defineApi<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  versions: '0-4',
  flexibleVersions: '4+',
  request: [
    f('replicaId', 'int32', '3+', { default: -2 }),
    list('topics', '0+', [
      f('topic', 'string', '0+'),
      list('partitions', '0+', [
        f('partition', 'int32', '0+'),
        f('currentLeaderEpoch', 'int32', '2+', { default: -1 }),
        f('leaderEpoch', 'int32', '0+'),
      ]),
    ]),
  ],
  response: [
    f('throttleTimeMs', 'int32', '2+'),
    list('topics', '0+', [
      f('topic', 'string', '0+'),
      list('partitions', '0+', [
        f('errorCode', 'int16', '0+'),
        f('partition', 'int32', '0+'),
        f('leaderEpoch', 'int32', '1+', { default: -1 }),
        f('endOffset', 'int64', '0+', { default: -1 }),
      ]),
    ]),
  ],
});
