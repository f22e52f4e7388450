/**
 * DeleteTopics (api key 20): versions 0–6, flexible from v4.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface DeleteTopicsRequest {
  /** v6+ */ topics: DeleteTopicsRequestDeleteTopicState[];
  /** v0-5 */ topicNames: string[];
  timeoutMs: number;
}

export interface DeleteTopicsRequestDeleteTopicState {
  /** nullable */ name: string | null;
  topicId: string;
}

export interface DeleteTopicsResponse {
  /** v1+ */ throttleTimeMs: number;
  responses: DeleteTopicsResponseDeletableTopicResult[];
}

export interface DeleteTopicsResponseDeletableTopicResult {
  /** nullable v6+ */ name: string | null;
  /** v6+ */ topicId: string;
  errorCode: number;
  /** v5+, nullable */ errorMessage: string | null;
}

export const deleteTopicsApi = defineApi<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: 20,
  name: 'DeleteTopics',
  versions: '0-6',
  flexibleVersions: '4+',
  request: [
    list('topics', '6+', [f('name', 'string', '6+', { nullable: '6+', default: null }), f('topicId', 'uuid', '6+')]),
    f('topicNames', '[]string', '0-5'),
    f('timeoutMs', 'int32', '0+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    list('responses', '0+', [
      f('name', 'string', '0+', { nullable: '6+' }),
      f('topicId', 'uuid', '6+'),
      f('errorCode', 'int16', '0+'),
      f('errorMessage', 'string', '5+', { nullable: '5+', default: null }),
    ]),
  ],
});
