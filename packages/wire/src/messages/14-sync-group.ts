/**
 * SyncGroup (api key 14): versions 0–5, flexible from v4.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** v3+, nullable */ groupInstanceId: string | null;
  /** v5+, nullable */ protocolType: string | null;
  /** v5+, nullable */ protocolName: string | null;
  assignments: SyncGroupRequestAssignment[];
}

export interface SyncGroupRequestAssignment {
  memberId: string;
  assignment: Uint8Array;
}

export interface SyncGroupResponse {
  /** v1+ */ throttleTimeMs: number;
  errorCode: number;
  /** v5+, nullable */ protocolType: string | null;
  /** v5+, nullable */ protocolName: string | null;
  assignment: Uint8Array;
}

export const syncGroupApi = defineApi<SyncGroupRequest, SyncGroupResponse>({
  apiKey: 14,
  name: 'SyncGroup',
  versions: '0-5',
  flexibleVersions: '4+',
  request: [
    f('groupId', 'string', '0+'),
    f('generationId', 'int32', '0+'),
    f('memberId', 'string', '0+'),
    f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
    f('protocolType', 'string', '5+', { nullable: '5+', default: null }),
    f('protocolName', 'string', '5+', { nullable: '5+', default: null }),
    list('assignments', '0+', [f('memberId', 'string', '0+'), f('assignment', 'bytes', '0+')]),
  ],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '0+'),
    f('protocolType', 'string', '5+', { nullable: '5+', default: null }),
    f('protocolName', 'string', '5+', { nullable: '5+', default: null }),
    f('assignment', 'bytes', '0+'),
  ],
});
