/**
 * DescribeProducers (api key 61): versions 0–0, flexible from v0.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface DescribeProducersRequest {
  topics: DescribeProducersRequestTopicRequest[];
}

export interface DescribeProducersRequestTopicRequest {
  name: string;
  partitionIndexes: number[];
}

export interface DescribeProducersResponse {
  throttleTimeMs: number;
  topics: DescribeProducersResponseTopicResponse[];
}

export interface DescribeProducersResponseTopicResponse {
  name: string;
  partitions: DescribeProducersResponsePartitionResponse[];
}

export interface DescribeProducersResponsePartitionResponse {
  partitionIndex: number;
  errorCode: number;
  /** nullable */ errorMessage: string | null;
  activeProducers: DescribeProducersResponseProducerState[];
}

export interface DescribeProducersResponseProducerState {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  coordinatorEpoch: number;
  currentTxnStartOffset: number;
}

export const describeProducersApi = defineApi<DescribeProducersRequest, DescribeProducersResponse>({
  apiKey: 61,
  name: 'DescribeProducers',
  versions: '0-0',
  flexibleVersions: '0+',
  request: [list('topics', '0+', [f('name', 'string', '0+'), f('partitionIndexes', '[]int32', '0+')])],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    list('topics', '0+', [
      f('name', 'string', '0+'),
      list('partitions', '0+', [
        f('partitionIndex', 'int32', '0+'),
        f('errorCode', 'int16', '0+'),
        f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
        list('activeProducers', '0+', [
          f('producerId', 'int64', '0+'),
          f('producerEpoch', 'int32', '0+'),
          f('lastSequence', 'int32', '0+', { default: -1 }),
          f('lastTimestamp', 'int64', '0+', { default: -1 }),
          f('coordinatorEpoch', 'int32', '0+'),
          f('currentTxnStartOffset', 'int64', '0+', { default: -1 }),
        ]),
      ]),
    ]),
  ],
});
