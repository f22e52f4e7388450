/**
 * DescribeConfigs (api key 32): versions 0–4, flexible from v4.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface DescribeConfigsRequest {
  resources: DescribeConfigsResource[];
  /** v1+ */ includeSynonyms: boolean;
  /** v3+ */ includeDocumentation: boolean;
}

export interface DescribeConfigsResource {
  resourceType: number;
  resourceName: string;
  /** nullable */ configurationKeys: string[] | null;
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}

export interface DescribeConfigsResult {
  errorCode: number;
  /** nullable */ errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsResourceResult[];
}

export interface DescribeConfigsResourceResult {
  name: string;
  /** nullable */ value: string | null;
  readOnly: boolean;
  /** v0 */ isDefault: boolean;
  /** v1+ */ configSource: number;
  isSensitive: boolean;
  /** v1+ */ synonyms: DescribeConfigsSynonym[];
  /** v3+ */ configType: number;
  /** v3+, nullable v0+ */ documentation: string | null;
}

export interface DescribeConfigsSynonym {
  name: string;
  /** nullable v0+ */ value: string | null;
  source: number;
}

export const describeConfigsApi = defineApi<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: 32,
  name: 'DescribeConfigs',
  versions: '0-4',
  flexibleVersions: '4+',
  request: [
    list('resources', '0+', [
      f('resourceType', 'int8', '0+'),
      f('resourceName', 'string', '0+'),
      f('configurationKeys', '[]string', '0+', { nullable: '0+' }),
    ]),
    f('includeSynonyms', 'bool', '1+'),
    f('includeDocumentation', 'bool', '3+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    list('results', '0+', [
      f('errorCode', 'int16', '0+'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
      f('resourceType', 'int8', '0+'),
      f('resourceName', 'string', '0+'),
      list('configs', '0+', [
        f('name', 'string', '0+'),
        f('value', 'string', '0+', { nullable: '0+' }),
        f('readOnly', 'bool', '0+'),
        f('isDefault', 'bool', '0'),
        f('configSource', 'int8', '1+', { default: -1 }),
        f('isSensitive', 'bool', '0+'),
        list('synonyms', '1+', [
          f('name', 'string', '1+'),
          f('value', 'string', '1+', { nullable: '0+' }),
          f('source', 'int8', '1+'),
        ]),
        f('configType', 'int8', '3+'),
        f('documentation', 'string', '3+', { nullable: '0+' }),
      ]),
    ]),
  ],
});
