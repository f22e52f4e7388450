/**
 * Heartbeat (api key 12): versions 0–4, flexible from v4.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f } from '../protocol/schema';

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** v3+, nullable */ groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  /** v1+ */ throttleTimeMs: number;
  errorCode: number;
}

export const heartbeatApi = defineApi<HeartbeatRequest, HeartbeatResponse>({
  apiKey: 12,
  name: 'Heartbeat',
  versions: '0-4',
  flexibleVersions: '4+',
  request: [
    f('groupId', 'string', '0+'),
    f('generationId', 'int32', '0+'),
    f('memberId', 'string', '0+'),
    f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
  ],
  response: [f('throttleTimeMs', 'int32', '1+'), f('errorCode', 'int16', '0+')],
});
