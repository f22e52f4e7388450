/**
 * AlterConfigs (api key 33): versions 0–2, flexible from v2.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface AlterConfigsRequest {
  resources: AlterConfigsResource[];
  validateOnly: boolean;
}

export interface AlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: AlterConfigsRequestAlterableConfig[];
}

export interface AlterConfigsRequestAlterableConfig {
  name: string;
  /** nullable */ value: string | null;
}

export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: AlterConfigsResourceResponse[];
}

export interface AlterConfigsResourceResponse {
  errorCode: number;
  /** nullable */ errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export const alterConfigsApi = defineApi<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: 33,
  name: 'AlterConfigs',
  versions: '0-2',
  flexibleVersions: '2+',
  request: [
    list('resources', '0+', [
      f('resourceType', 'int8', '0+'),
      f('resourceName', 'string', '0+'),
      list('configs', '0+', [f('name', 'string', '0+'), f('value', 'string', '0+', { nullable: '0+' })]),
    ]),
    f('validateOnly', 'bool', '0+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    list('responses', '0+', [
      f('errorCode', 'int16', '0+'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
      f('resourceType', 'int8', '0+'),
      f('resourceName', 'string', '0+'),
    ]),
  ],
});
