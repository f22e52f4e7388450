/**
 * DescribeTransactions (api key 65): versions 0–0, flexible from v0.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface DescribeTransactionsRequest {
  transactionalIds: string[];
}

export interface DescribeTransactionsResponse {
  throttleTimeMs: number;
  transactionStates: DescribeTransactionsResponseTransactionState[];
}

export interface DescribeTransactionsResponseTransactionState {
  errorCode: number;
  transactionalId: string;
  transactionState: string;
  transactionTimeoutMs: number;
  transactionStartTimeMs: number;
  producerId: number;
  producerEpoch: number;
  topics: DescribeTransactionsResponseTopicData[];
}

export interface DescribeTransactionsResponseTopicData {
  topic: string;
  partitions: number[];
}

export const describeTransactionsApi = defineApi<DescribeTransactionsRequest, DescribeTransactionsResponse>({
  apiKey: 65,
  name: 'DescribeTransactions',
  versions: '0-0',
  flexibleVersions: '0+',
  request: [f('transactionalIds', '[]string', '0+')],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    list('transactionStates', '0+', [
      f('errorCode', 'int16', '0+'),
      f('transactionalId', 'string', '0+'),
      f('transactionState', 'string', '0+'),
      f('transactionTimeoutMs', 'int32', '0+'),
      f('transactionStartTimeMs', 'int64', '0+'),
      f('producerId', 'int64', '0+'),
      f('producerEpoch', 'int16', '0+'),
      list('topics', '0+', [f('topic', 'string', '0+'), f('partitions', '[]int32', '0+')]),
    ]),
  ],
});
