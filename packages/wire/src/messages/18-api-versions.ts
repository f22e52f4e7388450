/**
 * ApiVersions (api key 18): versions 0–3, flexible from v3.
 * Field layouts follow Kafka's message specs; absent fields decode to their defaults.
 */
import { defineApi, f, list } from '../protocol/schema';

export interface ApiVersionsRequest {
  /** v3+ */ clientSoftwareName: string;
  /** v3+ */ clientSoftwareVersion: string;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionsResponseApiVersion[];
  /** v1+ */ throttleTimeMs: number;
  /** v3+, tag 0 */ supportedFeatures: ApiVersionsResponseSupportedFeatureKey[];
  /** v3+, tag 1 */ finalizedFeaturesEpoch: number;
  /** v3+, tag 2 */ finalizedFeatures: ApiVersionsResponseFinalizedFeatureKey[];
  /** v3+, tag 3 */ zkMigrationReady: boolean;
}

export interface ApiVersionsResponseApiVersion {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResponseSupportedFeatureKey {
  name: string;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResponseFinalizedFeatureKey {
  name: string;
  maxVersionLevel: number;
  minVersionLevel: number;
}

export const apiVersionsApi = defineApi<ApiVersionsRequest, ApiVersionsResponse>({
  apiKey: 18,
  name: 'ApiVersions',
  versions: '0-3',
  flexibleVersions: '3+',
  request: [f('clientSoftwareName', 'string', '3+'), f('clientSoftwareVersion', 'string', '3+')],
  response: [
    f('errorCode', 'int16', '0+'),
    list('apiKeys', '0+', [f('apiKey', 'int16', '0+'), f('minVersion', 'int16', '0+'), f('maxVersion', 'int16', '0+')]),
    f('throttleTimeMs', 'int32', '1+'),
    list('supportedFeatures', '3+', [f('name', 'string', '3+'), f('minVersion', 'int16', '3+'), f('maxVersion', 'int16', '3+')], {
      tag: 0,
    }),
    f('finalizedFeaturesEpoch', 'int64', '3+', { default: -1, tag: 1 }),
    list(
      'finalizedFeatures',
      '3+',
      [f('name', 'string', '3+'), f('maxVersionLevel', 'int16', '3+'), f('minVersionLevel', 'int16', '3+')],
      { tag: 2 },
    ),
    f('zkMigrationReady', 'bool', '3+', { tag: 3 }),
  ],
});
