/**
 * DescribeCluster (api key 60): versions 0–1, flexible from v0.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface DescribeClusterRequest {
  includeClusterAuthorizedOperations: boolean;
  /** v1+ */ endpointType: number;
}

export interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** nullable */ errorMessage: string | null;
  /** v1+ */ endpointType: number;
  clusterId: string;
  controllerId: number;
  brokers: DescribeClusterBroker[];
  clusterAuthorizedOperations: number;
}

export interface DescribeClusterBroker {
  brokerId: number;
  host: string;
  port: number;
  /** nullable */ rack: string | null;
}

export const describeClusterApi = defineApi<DescribeClusterRequest, DescribeClusterResponse>({
  apiKey: 60,
  name: 'DescribeCluster',
  versions: '0-1',
  flexibleVersions: '0+',
  request: [f('includeClusterAuthorizedOperations', 'bool', '0+'), f('endpointType', 'int8', '1+', { default: 1 })],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    f('errorCode', 'int16', '0+'),
    f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
    f('endpointType', 'int8', '1+', { default: 1 }),
    f('clusterId', 'string', '0+'),
    f('controllerId', 'int32', '0+', { default: -1 }),
    list('brokers', '0+', [
      f('brokerId', 'int32', '0+'),
      f('host', 'string', '0+'),
      f('port', 'int32', '0+'),
      f('rack', 'string', '0+', { nullable: '0+', default: null }),
    ]),
    f('clusterAuthorizedOperations', 'int32', '0+', { default: -2147483648 }),
  ],
});
