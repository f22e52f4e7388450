/**
 * LeaveGroup (api key 13): versions 0–4, flexible from v4.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface LeaveGroupRequest {
  groupId: string;
  /** v0-2 */ memberId: string;
  /** v3+ */ members: LeaveGroupRequestMemberIdentity[];
}

export interface LeaveGroupRequestMemberIdentity {
  memberId: string;
  /** nullable */ groupInstanceId: string | null;
}

export interface LeaveGroupResponse {
  /** v1+ */ throttleTimeMs: number;
  errorCode: number;
  /** v3+ */ members: LeaveGroupResponseMemberResponse[];
}

export interface LeaveGroupResponseMemberResponse {
  memberId: string;
  /** nullable */ groupInstanceId: string | null;
  errorCode: number;
}

export const leaveGroupApi = defineApi<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: 13,
  name: 'LeaveGroup',
  versions: '0-4',
  flexibleVersions: '4+',
  request: [
    f('groupId', 'string', '0+'),
    f('memberId', 'string', '0-2'),
    list('members', '3+', [
      f('memberId', 'string', '3+'),
      f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
    ]),
  ],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '0+'),
    list('members', '3+', [
      f('memberId', 'string', '3+'),
      f('groupInstanceId', 'string', '3+', { nullable: '3+' }),
      f('errorCode', 'int16', '3+'),
    ]),
  ],
});
