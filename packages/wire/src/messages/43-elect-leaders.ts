/**
 * ElectLeaders (api key 43): versions 0–2, flexible from v2.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface ElectLeadersRequest {
  /** v1+ */ electionType: number;
  /** nullable */ topicPartitions: ElectLeadersRequestTopicPartitions[] | null;
  timeoutMs: number;
}

export interface ElectLeadersRequestTopicPartitions {
  topic: string;
  partitions: number[];
}

export interface ElectLeadersResponse {
  throttleTimeMs: number;
  /** v1+ */ errorCode: number;
  replicaElectionResults: ElectLeadersResponseReplicaElectionResult[];
}

export interface ElectLeadersResponseReplicaElectionResult {
  topic: string;
  partitionResult: ElectLeadersResponsePartitionResult[];
}

export interface ElectLeadersResponsePartitionResult {
  partitionId: number;
  errorCode: number;
  /** nullable */ errorMessage: string | null;
}

export const electLeadersApi = defineApi<ElectLeadersRequest, ElectLeadersResponse>({
  apiKey: 43,
  name: 'ElectLeaders',
  versions: '0-2',
  flexibleVersions: '2+',
  request: [
    f('electionType', 'int8', '1+'),
    list('topicPartitions', '0+', [f('topic', 'string', '0+'), f('partitions', '[]int32', '0+')], { nullable: '0+' }),
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    f('errorCode', 'int16', '1+'),
    list('replicaElectionResults', '0+', [
      f('topic', 'string', '0+'),
      list('partitionResult', '0+', [
        f('partitionId', 'int32', '0+'),
        f('errorCode', 'int16', '0+'),
        f('errorMessage', 'string', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
});
