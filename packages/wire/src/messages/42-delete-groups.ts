/**
 * DeleteGroups (api key 42): versions 0–2, flexible from v2.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface DeleteGroupsRequest {
  groupsNames: string[];
}

export interface DeleteGroupsResponse {
  throttleTimeMs: number;
  results: DeleteGroupsResponseDeletableGroupResult[];
}

export interface DeleteGroupsResponseDeletableGroupResult {
  groupId: string;
  errorCode: number;
}

export const deleteGroupsApi = defineApi<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: 42,
  name: 'DeleteGroups',
  versions: '0-2',
  flexibleVersions: '2+',
  request: [f('groupsNames', '[]string', '0+')],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    list('results', '0+', [f('groupId', 'string', '0+'), f('errorCode', 'int16', '0+')]),
  ],
});
