/**
 * Produce (api key 0): versions 0–9, flexible from v9.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface ProduceRequest {
  /** v3+, nullable */ transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: ProduceRequestTopicProduceData[];
}

export interface ProduceRequestTopicProduceData {
  name: string;
  partitionData: ProduceRequestPartitionProduceData[];
}

export interface ProduceRequestPartitionProduceData {
  index: number;
  records: Uint8Array | null;
}

export interface ProduceResponse {
  responses: ProduceResponseTopicProduceResponse[];
  /** v1+ */ throttleTimeMs: number;
}

export interface ProduceResponseTopicProduceResponse {
  name: string;
  partitionResponses: ProduceResponsePartitionProduceResponse[];
}

export interface ProduceResponsePartitionProduceResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  /** v2+ */ logAppendTimeMs: number;
  /** v5+ */ logStartOffset: number;
  /** v8+ */ recordErrors: ProduceResponseBatchIndexAndErrorMessage[];
  /** v8+, nullable */ errorMessage: string | null;
}

export interface ProduceResponseBatchIndexAndErrorMessage {
  batchIndex: number;
  /** nullable */ batchIndexErrorMessage: string | null;
}

export const produceApi = defineApi<ProduceRequest, ProduceResponse>({
  apiKey: 0,
  name: 'Produce',
  versions: '0-9',
  flexibleVersions: '9+',
  request: [
    f('transactionalId', 'string', '3+', { nullable: '3+', default: null }),
    f('acks', 'int16', '0+'),
    f('timeoutMs', 'int32', '0+'),
    list('topicData', '0+', [
      f('name', 'string', '0+'),
      list('partitionData', '0+', [f('index', 'int32', '0+'), f('records', 'records', '0+', { nullable: '0+' })]),
    ]),
  ],
  response: [
    list('responses', '0+', [
      f('name', 'string', '0+'),
      list('partitionResponses', '0+', [
        f('index', 'int32', '0+'),
        f('errorCode', 'int16', '0+'),
        f('baseOffset', 'int64', '0+'),
        f('logAppendTimeMs', 'int64', '2+', { default: -1 }),
        f('logStartOffset', 'int64', '5+', { default: -1 }),
        list('recordErrors', '8+', [
          f('batchIndex', 'int32', '8+'),
          f('batchIndexErrorMessage', 'string', '8+', { nullable: '8+', default: null }),
        ]),
        f('errorMessage', 'string', '8+', { nullable: '8+', default: null }),
      ]),
    ]),
    f('throttleTimeMs', 'int32', '1+'),
  ],
});
