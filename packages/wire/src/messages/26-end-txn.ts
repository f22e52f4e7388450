/**
 * EndTxn (api key 26): versions 0–3, flexible from v3.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f } from '../protocol/schema';

export interface EndTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  committed: boolean;
}

export interface EndTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}

export const endTxnApi = defineApi<EndTxnRequest, EndTxnResponse>({
  apiKey: 26,
  name: 'EndTxn',
  versions: '0-3',
  flexibleVersions: '3+',
  request: [
    f('transactionalId', 'string', '0+'),
    f('producerId', 'int64', '0+'),
    f('producerEpoch', 'int16', '0+'),
    f('committed', 'bool', '0+'),
  ],
  response: [f('throttleTimeMs', 'int32', '0+'), f('errorCode', 'int16', '0+')],
});
