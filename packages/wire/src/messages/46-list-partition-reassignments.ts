/**
 * ListPartitionReassignments (api key 46): versions 0–0, flexible from v0.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface ListPartitionReassignmentsRequest {
  timeoutMs: number;
  /** nullable */ topics: ListPartitionReassignmentsTopics[] | null;
}

export interface ListPartitionReassignmentsTopics {
  name: string;
  partitionIndexes: number[];
}

export interface ListPartitionReassignmentsResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** nullable */ errorMessage: string | null;
  topics: ListPartitionReassignmentsResponseOngoingTopicReassignment[];
}

export interface ListPartitionReassignmentsResponseOngoingTopicReassignment {
  name: string;
  partitions: ListPartitionReassignmentsResponseOngoingPartitionReassignment[];
}

export interface ListPartitionReassignmentsResponseOngoingPartitionReassignment {
  partitionIndex: number;
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

export const listPartitionReassignmentsApi = defineApi<ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse>({
  apiKey: 46,
  name: 'ListPartitionReassignments',
  versions: '0-0',
  flexibleVersions: '0+',
  request: [
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
    list('topics', '0+', [f('name', 'string', '0+'), f('partitionIndexes', '[]int32', '0+')], { nullable: '0+', default: null }),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    f('errorCode', 'int16', '0+'),
    f('errorMessage', 'string', '0+', { nullable: '0+' }),
    list('topics', '0+', [
      f('name', 'string', '0+'),
      list('partitions', '0+', [
        f('partitionIndex', 'int32', '0+'),
        f('replicas', '[]int32', '0+'),
        f('addingReplicas', '[]int32', '0+'),
        f('removingReplicas', '[]int32', '0+'),
      ]),
    ]),
  ],
});
