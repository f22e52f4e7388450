/**
 * Metadata (api key 3): versions 0–12, flexible from v9.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface MetadataRequest {
  /** nullable v1+ */ topics: MetadataRequestTopic[] | null;
  /** v4+ */ allowAutoTopicCreation: boolean;
  /** v8-10 */ includeClusterAuthorizedOperations: boolean;
  /** v8+ */ includeTopicAuthorizedOperations: boolean;
}

export interface MetadataRequestTopic {
  /** v10+ */ topicId: string;
  /** nullable v10+ */ name: string | null;
}

export interface MetadataResponse {
  /** v3+ */ throttleTimeMs: number;
  brokers: MetadataResponseBroker[];
  /** v2+, nullable */ clusterId: string | null;
  /** v1+ */ controllerId: number;
  topics: MetadataResponseTopic[];
  /** v8-10 */ clusterAuthorizedOperations: number;
}

export interface MetadataResponseBroker {
  nodeId: number;
  host: string;
  port: number;
  /** v1+, nullable */ rack: string | null;
}

export interface MetadataResponseTopic {
  errorCode: number;
  /** nullable v12+ */ name: string | null;
  /** v10+ */ topicId: string;
  /** v1+ */ isInternal: boolean;
  partitions: MetadataResponsePartition[];
  /** v8+ */ topicAuthorizedOperations: number;
}

export interface MetadataResponsePartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  /** v7+ */ leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  /** v5+ */ offlineReplicas: number[];
}

export const metadataApi = defineApi<MetadataRequest, MetadataResponse>({
  apiKey: 3,
  name: 'Metadata',
  versions: '0-12',
  flexibleVersions: '9+',
  request: [
    list('topics', '0+', [f('topicId', 'uuid', '10+'), f('name', 'string', '0+', { nullable: '10+' })], { nullable: '1+' }),
    f('allowAutoTopicCreation', 'bool', '4+', { default: true }),
    f('includeClusterAuthorizedOperations', 'bool', '8-10'),
    f('includeTopicAuthorizedOperations', 'bool', '8+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '3+'),
    list('brokers', '0+', [
      f('nodeId', 'int32', '0+'),
      f('host', 'string', '0+'),
      f('port', 'int32', '0+'),
      f('rack', 'string', '1+', { nullable: '1+', default: null }),
    ]),
    f('clusterId', 'string', '2+', { nullable: '2+', default: null }),
    f('controllerId', 'int32', '1+', { default: -1 }),
    list('topics', '0+', [
      f('errorCode', 'int16', '0+'),
      f('name', 'string', '0+', { nullable: '12+' }),
      f('topicId', 'uuid', '10+'),
      f('isInternal', 'bool', '1+'),
      list('partitions', '0+', [
        f('errorCode', 'int16', '0+'),
        f('partitionIndex', 'int32', '0+'),
        f('leaderId', 'int32', '0+'),
        f('leaderEpoch', 'int32', '7+', { default: -1 }),
        f('replicaNodes', '[]int32', '0+'),
        f('isrNodes', '[]int32', '0+'),
        f('offlineReplicas', '[]int32', '5+'),
      ]),
      f('topicAuthorizedOperations', 'int32', '8+', { default: -2147483648 }),
    ]),
    f('clusterAuthorizedOperations', 'int32', '8-10', { default: -2147483648 }),
  ],
});
