/**
 * OffsetCommit (api key 8): versions 0–8, flexible from v8.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface OffsetCommitRequest {
  groupId: string;
  /** v1+ */ generationIdOrMemberEpoch: number;
  /** v1+ */ memberId: string;
  /** v7+, nullable */ groupInstanceId: string | null;
  /** v2-4 */ retentionTimeMs: number;
  topics: OffsetCommitRequestTopic[];
}

export interface OffsetCommitRequestTopic {
  name: string;
  partitions: OffsetCommitRequestPartition[];
}

export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: number;
  /** v6+ */ committedLeaderEpoch: number;
  /** v1 */ commitTimestamp: number;
  /** nullable */ committedMetadata: string | null;
}

export interface OffsetCommitResponse {
  /** v3+ */ throttleTimeMs: number;
  topics: OffsetCommitResponseTopic[];
}

export interface OffsetCommitResponseTopic {
  name: string;
  partitions: OffsetCommitResponsePartition[];
}

export interface OffsetCommitResponsePartition {
  partitionIndex: number;
  errorCode: number;
}

export const offsetCommitApi = defineApi<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: 8,
  name: 'OffsetCommit',
  versions: '0-8',
  flexibleVersions: '8+',
  request: [
    f('groupId', 'string', '0+'),
    f('generationIdOrMemberEpoch', 'int32', '1+', { default: -1 }),
    f('memberId', 'string', '1+'),
    f('groupInstanceId', 'string', '7+', { nullable: '7+', default: null }),
    f('retentionTimeMs', 'int64', '2-4', { default: -1 }),
    list('topics', '0+', [
      f('name', 'string', '0+'),
      list('partitions', '0+', [
        f('partitionIndex', 'int32', '0+'),
        f('committedOffset', 'int64', '0+'),
        f('committedLeaderEpoch', 'int32', '6+', { default: -1 }),
        f('commitTimestamp', 'int64', '1', { default: -1 }),
        f('committedMetadata', 'string', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
  response: [
    f('throttleTimeMs', 'int32', '3+'),
    list('topics', '0+', [
      f('name', 'string', '0+'),
      list('partitions', '0+', [f('partitionIndex', 'int32', '0+'), f('errorCode', 'int16', '0+')]),
    ]),
  ],
});
