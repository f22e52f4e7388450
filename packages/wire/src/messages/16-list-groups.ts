/**
 * ListGroups (api key 16): versions 0–4, flexible from v3.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface ListGroupsRequest {
  /** v4+ */ statesFilter: string[];
}

export interface ListGroupsResponse {
  /** v1+ */ throttleTimeMs: number;
  errorCode: number;
  groups: ListGroupsResponseListedGroup[];
}

export interface ListGroupsResponseListedGroup {
  groupId: string;
  protocolType: string;
  /** v4+ */ groupState: string;
}

export const listGroupsApi = defineApi<ListGroupsRequest, ListGroupsResponse>({
  apiKey: 16,
  name: 'ListGroups',
  versions: '0-4',
  flexibleVersions: '3+',
  request: [f('statesFilter', '[]string', '4+')],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '0+'),
    list('groups', '0+', [f('groupId', 'string', '0+'), f('protocolType', 'string', '0+'), f('groupState', 'string', '4+')]),
  ],
});
