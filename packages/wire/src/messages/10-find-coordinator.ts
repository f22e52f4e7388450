/**
 * FindCoordinator (api key 10): versions 0–4, flexible from v3.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface FindCoordinatorRequest {
  /** v0-3 */ key: string;
  /** v1+ */ keyType: number;
  /** v4+ */ coordinatorKeys: string[];
}

export interface FindCoordinatorResponse {
  /** v1+ */ throttleTimeMs: number;
  /** v0-3 */ errorCode: number;
  /** v1-3, nullable */ errorMessage: string | null;
  /** v0-3 */ nodeId: number;
  /** v0-3 */ host: string;
  /** v0-3 */ port: number;
  /** v4+ */ coordinators: FindCoordinatorResponseCoordinator[];
}

export interface FindCoordinatorResponseCoordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  /** nullable */ errorMessage: string | null;
}

export const findCoordinatorApi = defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: 10,
  name: 'FindCoordinator',
  versions: '0-4',
  flexibleVersions: '3+',
  request: [f('key', 'string', '0-3'), f('keyType', 'int8', '1+'), f('coordinatorKeys', '[]string', '4+')],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '0-3'),
    f('errorMessage', 'string', '1-3', { nullable: '1-3' }),
    f('nodeId', 'int32', '0-3'),
    f('host', 'string', '0-3'),
    f('port', 'int32', '0-3'),
    list('coordinators', '4+', [
      f('key', 'string', '4+'),
      f('nodeId', 'int32', '4+'),
      f('host', 'string', '4+'),
      f('port', 'int32', '4+'),
      f('errorCode', 'int16', '4+'),
      f('errorMessage', 'string', '4+', { nullable: '4+' }),
    ]),
  ],
});
