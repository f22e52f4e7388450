/**
 * AddPartitionsToTxn (api key 24): versions 0–3, flexible from v3.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface AddPartitionsToTxnRequest {
  v3AndBelowTransactionalId: string;
  v3AndBelowProducerId: number;
  v3AndBelowProducerEpoch: number;
  v3AndBelowTopics: AddPartitionsToTxnTopic[];
}

export interface AddPartitionsToTxnTopic {
  name: string;
  partitions: number[];
}

export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  resultsByTopicV3AndBelow: AddPartitionsToTxnTopicResult[];
}

export interface AddPartitionsToTxnTopicResult {
  name: string;
  resultsByPartition: AddPartitionsToTxnPartitionResult[];
}

export interface AddPartitionsToTxnPartitionResult {
  partitionIndex: number;
  partitionErrorCode: number;
}

export const addPartitionsToTxnApi = defineApi<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  versions: '0-3',
  flexibleVersions: '3+',
  request: [
    f('v3AndBelowTransactionalId', 'string', '0+'),
    f('v3AndBelowProducerId', 'int64', '0+'),
    f('v3AndBelowProducerEpoch', 'int16', '0+'),
    list('v3AndBelowTopics', '0+', [f('name', 'string', '0+'), f('partitions', '[]int32', '0+')]),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    list('resultsByTopicV3AndBelow', '0+', [
      f('name', 'string', '0+'),
      list('resultsByPartition', '0+', [f('partitionIndex', 'int32', '0+'), f('partitionErrorCode', 'int16', '0+')]),
    ]),
  ],
});
