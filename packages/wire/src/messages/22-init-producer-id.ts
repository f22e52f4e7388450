/**
 * InitProducerId (api key 22): versions 0–4, flexible from v2.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f } from '../protocol/schema';

export interface InitProducerIdRequest {
  /** nullable */ transactionalId: string | null;
  transactionTimeoutMs: number;
  /** v3+ */ producerId: number;
  /** v3+ */ producerEpoch: number;
}

export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

export const initProducerIdApi = defineApi<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: 22,
  name: 'InitProducerId',
  versions: '0-4',
  flexibleVersions: '2+',
  request: [
    f('transactionalId', 'string', '0+', { nullable: '0+' }),
    f('transactionTimeoutMs', 'int32', '0+'),
    f('producerId', 'int64', '3+', { default: -1 }),
    f('producerEpoch', 'int16', '3+', { default: -1 }),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    f('errorCode', 'int16', '0+'),
    f('producerId', 'int64', '0+', { default: -1 }),
    f('producerEpoch', 'int16', '0+'),
  ],
});
