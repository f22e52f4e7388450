/**
 * OffsetFetch (api key 9): versions 0–8, flexible from v6.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface OffsetFetchRequest {
  /** v0-7 */ groupId: string;
  /** v0-7, nullable v2-7 */ topics: OffsetFetchRequestTopic[] | null;
  /** v8+ */ groups: OffsetFetchRequestGroup[];
  /** v7+ */ requireStable: boolean;
}

export interface OffsetFetchRequestTopic {
  name: string;
  partitionIndexes: number[];
}

export interface OffsetFetchRequestGroup {
  groupId: string;
  /** nullable */ topics: OffsetFetchRequestTopics[] | null;
}

export interface OffsetFetchRequestTopics {
  name: string;
  partitionIndexes: number[];
}

export interface OffsetFetchResponse {
  /** v3+ */ throttleTimeMs: number;
  /** v0-7 */ topics: OffsetFetchResponseTopic[];
  /** v2-7 */ errorCode: number;
  /** v8+ */ groups: OffsetFetchResponseGroup[];
}

export interface OffsetFetchResponseTopic {
  name: string;
  partitions: OffsetFetchResponsePartition[];
}

export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  committedOffset: number;
  /** v5-7 */ committedLeaderEpoch: number;
  /** nullable */ metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchResponseGroup {
  groupId: string;
  topics: OffsetFetchResponseTopics[];
  errorCode: number;
}

export interface OffsetFetchResponseTopics {
  name: string;
  partitions: OffsetFetchResponsePartitions[];
}

export interface OffsetFetchResponsePartitions {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  /** nullable */ metadata: string | null;
  errorCode: number;
}

export const offsetFetchApi = defineApi<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: 9,
  name: 'OffsetFetch',
  versions: '0-8',
  flexibleVersions: '6+',
  request: [
    f('groupId', 'string', '0-7'),
    list('topics', '0-7', [f('name', 'string', '0-7'), f('partitionIndexes', '[]int32', '0-7')], { nullable: '2-7' }),
    list('groups', '8+', [
      f('groupId', 'string', '8+'),
      list('topics', '8+', [f('name', 'string', '8+'), f('partitionIndexes', '[]int32', '8+')], { nullable: '8+' }),
    ]),
    f('requireStable', 'bool', '7+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '3+'),
    list('topics', '0-7', [
      f('name', 'string', '0-7'),
      list('partitions', '0-7', [
        f('partitionIndex', 'int32', '0-7'),
        f('committedOffset', 'int64', '0-7'),
        f('committedLeaderEpoch', 'int32', '5-7', { default: -1 }),
        f('metadata', 'string', '0-7', { nullable: '0-7' }),
        f('errorCode', 'int16', '0-7'),
      ]),
    ]),
    f('errorCode', 'int16', '2-7'),
    list('groups', '8+', [
      f('groupId', 'string', '8+'),
      list('topics', '8+', [
        f('name', 'string', '8+'),
        list('partitions', '8+', [
          f('partitionIndex', 'int32', '8+'),
          f('committedOffset', 'int64', '8+'),
          f('committedLeaderEpoch', 'int32', '8+', { default: -1 }),
          f('metadata', 'string', '8+', { nullable: '8+' }),
          f('errorCode', 'int16', '8+'),
        ]),
      ]),
      f('errorCode', 'int16', '8+'),
    ]),
  ],
});
