/**
 * DescribeGroups (api key 15): versions 0–5, flexible from v5.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface DescribeGroupsRequest {
  groups: string[];
  /** v3+ */ includeAuthorizedOperations: boolean;
}

export interface DescribeGroupsResponse {
  /** v1+ */ throttleTimeMs: number;
  groups: DescribeGroupsResponseDescribedGroup[];
}

export interface DescribeGroupsResponseDescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: DescribeGroupsResponseDescribedGroupMember[];
  /** v3+ */ authorizedOperations: number;
}

export interface DescribeGroupsResponseDescribedGroupMember {
  memberId: string;
  /** v4+, nullable */ groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Uint8Array;
  memberAssignment: Uint8Array;
}

export const describeGroupsApi = defineApi<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: 15,
  name: 'DescribeGroups',
  versions: '0-5',
  flexibleVersions: '5+',
  request: [f('groups', '[]string', '0+'), f('includeAuthorizedOperations', 'bool', '3+')],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    list('groups', '0+', [
      f('errorCode', 'int16', '0+'),
      f('groupId', 'string', '0+'),
      f('groupState', 'string', '0+'),
      f('protocolType', 'string', '0+'),
      f('protocolData', 'string', '0+'),
      list('members', '0+', [
        f('memberId', 'string', '0+'),
        f('groupInstanceId', 'string', '4+', { nullable: '4+', default: null }),
        f('clientId', 'string', '0+'),
        f('clientHost', 'string', '0+'),
        f('memberMetadata', 'bytes', '0+'),
        f('memberAssignment', 'bytes', '0+'),
      ]),
      f('authorizedOperations', 'int32', '3+', { default: -2147483648 }),
    ]),
  ],
});
