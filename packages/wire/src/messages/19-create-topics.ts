/**
 * CreateTopics (api key 19): versions 0–7, flexible from v5.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface CreateTopicsRequest {
  topics: CreateTopicsRequestCreatableTopic[];
  timeoutMs: number;
  /** v1+ */ validateOnly: boolean;
}

export interface CreateTopicsRequestCreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: CreateTopicsRequestCreatableReplicaAssignment[];
  configs: CreateTopicsRequestCreatableTopicConfig[];
}

export interface CreateTopicsRequestCreatableReplicaAssignment {
  partitionIndex: number;
  brokerIds: number[];
}

export interface CreateTopicsRequestCreatableTopicConfig {
  name: string;
  /** nullable */ value: string | null;
}

export interface CreateTopicsResponse {
  /** v2+ */ throttleTimeMs: number;
  topics: CreateTopicsResponseCreatableTopicResult[];
}

export interface CreateTopicsResponseCreatableTopicResult {
  name: string;
  /** v7+ */ topicId: string;
  errorCode: number;
  /** v1+, nullable v0+ */ errorMessage: string | null;
  /** v5+, tag 0 */ topicConfigErrorCode: number;
  /** v5+ */ numPartitions: number;
  /** v5+ */ replicationFactor: number;
  /** v5+, nullable */ configs: CreateTopicsResponseCreatableTopicConfigs[] | null;
}

export interface CreateTopicsResponseCreatableTopicConfigs {
  name: string;
  /** nullable */ value: string | null;
  readOnly: boolean;
  configSource: number;
  isSensitive: boolean;
}

export const createTopicsApi = defineApi<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: 19,
  name: 'CreateTopics',
  versions: '0-7',
  flexibleVersions: '5+',
  request: [
    list('topics', '0+', [
      f('name', 'string', '0+'),
      f('numPartitions', 'int32', '0+'),
      f('replicationFactor', 'int16', '0+'),
      list('assignments', '0+', [f('partitionIndex', 'int32', '0+'), f('brokerIds', '[]int32', '0+')]),
      list('configs', '0+', [f('name', 'string', '0+'), f('value', 'string', '0+', { nullable: '0+' })]),
    ]),
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
    f('validateOnly', 'bool', '1+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '2+'),
    list('topics', '0+', [
      f('name', 'string', '0+'),
      f('topicId', 'uuid', '7+'),
      f('errorCode', 'int16', '0+'),
      f('errorMessage', 'string', '1+', { nullable: '0+' }),
      f('topicConfigErrorCode', 'int16', '5+', { tag: 0 }),
      f('numPartitions', 'int32', '5+', { default: -1 }),
      f('replicationFactor', 'int16', '5+', { default: -1 }),
      list(
        'configs',
        '5+',
        [
          f('name', 'string', '5+'),
          f('value', 'string', '5+', { nullable: '5+' }),
          f('readOnly', 'bool', '5+'),
          f('configSource', 'int8', '5+', { default: -1 }),
          f('isSensitive', 'bool', '5+'),
        ],
        { nullable: '5+' },
      ),
    ]),
  ],
});
