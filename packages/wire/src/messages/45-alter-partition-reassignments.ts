/**
 * AlterPartitionReassignments (api key 45): versions 0–0, flexible from v0.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface AlterPartitionReassignmentsRequest {
  timeoutMs: number;
  topics: AlterPartitionReassignmentsRequestReassignableTopic[];
}

export interface AlterPartitionReassignmentsRequestReassignableTopic {
  name: string;
  partitions: AlterPartitionReassignmentsRequestReassignablePartition[];
}

export interface AlterPartitionReassignmentsRequestReassignablePartition {
  partitionIndex: number;
  /** nullable */ replicas: number[] | null;
}

export interface AlterPartitionReassignmentsResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** nullable */ errorMessage: string | null;
  responses: AlterPartitionReassignmentsResponseReassignableTopicResponse[];
}

export interface AlterPartitionReassignmentsResponseReassignableTopicResponse {
  name: string;
  partitions: AlterPartitionReassignmentsResponseReassignablePartitionResponse[];
}

export interface AlterPartitionReassignmentsResponseReassignablePartitionResponse {
  partitionIndex: number;
  errorCode: number;
  /** nullable */ errorMessage: string | null;
}

export const alterPartitionReassignmentsApi = defineApi<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse>({
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  versions: '0-0',
  flexibleVersions: '0+',
  request: [
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
    list('topics', '0+', [
      f('name', 'string', '0+'),
      list('partitions', '0+', [
        f('partitionIndex', 'int32', '0+'),
        f('replicas', '[]int32', '0+', { nullable: '0+', default: null }),
      ]),
    ]),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    f('errorCode', 'int16', '0+'),
    f('errorMessage', 'string', '0+', { nullable: '0+' }),
    list('responses', '0+', [
      f('name', 'string', '0+'),
      list('partitions', '0+', [
        f('partitionIndex', 'int32', '0+'),
        f('errorCode', 'int16', '0+'),
        f('errorMessage', 'string', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
});
