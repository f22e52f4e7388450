/**
 * ListTransactions (api key 66): versions 0–0, flexible from v0.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface ListTransactionsRequest {
  stateFilters: string[];
  producerIdFilters: number[];
}

export interface ListTransactionsResponse {
  throttleTimeMs: number;
  errorCode: number;
  unknownStateFilters: string[];
  transactionStates: ListTransactionsResponseTransactionState[];
}

export interface ListTransactionsResponseTransactionState {
  transactionalId: string;
  producerId: number;
  transactionState: string;
}

export const listTransactionsApi = defineApi<ListTransactionsRequest, ListTransactionsResponse>({
  apiKey: 66,
  name: 'ListTransactions',
  versions: '0-0',
  flexibleVersions: '0+',
  request: [f('stateFilters', '[]string', '0+'), f('producerIdFilters', '[]int64', '0+')],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    f('errorCode', 'int16', '0+'),
    f('unknownStateFilters', '[]string', '0+'),
    list('transactionStates', '0+', [
      f('transactionalId', 'string', '0+'),
      f('producerId', 'int64', '0+'),
      f('transactionState', 'string', '0+'),
    ]),
  ],
});
