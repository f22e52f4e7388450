/**
 * CreatePartitions (api key 37): versions 0–3, flexible from v2.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatePartitionsTopic {
  name: string;
  count: number;
  /** nullable */ assignments: CreatePartitionsAssignment[] | null;
}

export interface CreatePartitionsAssignment {
  brokerIds: number[];
}

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: CreatePartitionsTopicResult[];
}

export interface CreatePartitionsTopicResult {
  name: string;
  errorCode: number;
  /** nullable */ errorMessage: string | null;
}

export const createPartitionsApi = defineApi<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: 37,
  name: 'CreatePartitions',
  versions: '0-3',
  flexibleVersions: '2+',
  request: [
    list('topics', '0+', [
      f('name', 'string', '0+'),
      f('count', 'int32', '0+'),
      list('assignments', '0+', [f('brokerIds', '[]int32', '0+')], { nullable: '0+' }),
    ]),
    f('timeoutMs', 'int32', '0+'),
    f('validateOnly', 'bool', '0+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    list('results', '0+', [
      f('name', 'string', '0+'),
      f('errorCode', 'int16', '0+'),
      f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
    ]),
  ],
});
