/**
 * JoinGroup (api key 11): versions 0–7, flexible from v6.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  /** v1+ */ rebalanceTimeoutMs: number;
  memberId: string;
  /** v5+, nullable */ groupInstanceId: string | null;
  protocolType: string;
  protocols: JoinGroupRequestProtocol[];
}

export interface JoinGroupRequestProtocol {
  name: string;
  metadata: Uint8Array;
}

export interface JoinGroupResponse {
  /** v2+ */ throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  /** v7+, nullable */ protocolType: string | null;
  /** nullable v7+ */ protocolName: string | null;
  leader: string;
  memberId: string;
  members: JoinGroupResponseMember[];
}

export interface JoinGroupResponseMember {
  memberId: string;
  /** v5+, nullable */ groupInstanceId: string | null;
  metadata: Uint8Array;
}

export const joinGroupApi = defineApi<JoinGroupRequest, JoinGroupResponse>({
  apiKey: 11,
  name: 'JoinGroup',
  versions: '0-7',
  flexibleVersions: '6+',
  request: [
    f('groupId', 'string', '0+'),
    f('sessionTimeoutMs', 'int32', '0+'),
    f('rebalanceTimeoutMs', 'int32', '1+', { default: -1 }),
    f('memberId', 'string', '0+'),
    f('groupInstanceId', 'string', '5+', { nullable: '5+', default: null }),
    f('protocolType', 'string', '0+'),
    list('protocols', '0+', [f('name', 'string', '0+'), f('metadata', 'bytes', '0+')]),
  ],
  response: [
    f('throttleTimeMs', 'int32', '2+'),
    f('errorCode', 'int16', '0+'),
    f('generationId', 'int32', '0+', { default: -1 }),
    f('protocolType', 'string', '7+', { nullable: '7+', default: null }),
    f('protocolName', 'string', '0+', { nullable: '7+' }),
    f('leader', 'string', '0+'),
    f('memberId', 'string', '0+'),
    list('members', '0+', [
      f('memberId', 'string', '0+'),
      f('groupInstanceId', 'string', '5+', { nullable: '5+', default: null }),
      f('metadata', 'bytes', '0+'),
    ]),
  ],
});
