/**
 * The adapter's own ApiVersions answer (KIP-511): the served range of every API that has a
 * handler, plus ApiVersions itself. A request in a version above ours is answered in the v0
 * layout with UNSUPPORTED_VERSION and the same list, so the client can retry lower; the
 * connection stays open. Kafka lists only the ApiVersions entry in that error reply; we list
 * all of them, which clients accept and which saves nothing to omit.
 */
import { ApiKey, apiFor, type ApiKeyNumber } from '../protocol/apis';
import type { ApiVersionsResponse, ApiVersionsResponseApiVersion } from '../messages/18-api-versions';
import { encodeResponse } from '../protocol/frames';

const unsupportedVersionCode = 35;

export function advertisedVersions(apiKeys: Iterable<number>): ApiVersionsResponseApiVersion[] {
  const keys = new Set<number>([ApiKey.ApiVersions, ...apiKeys]);
  const out: ApiVersionsResponseApiVersion[] = [];
  for (const key of [...keys].sort((a, b) => a - b)) {
    const api = apiFor(key);
    if (api !== undefined) out.push({ apiKey: key, minVersion: api.minVersion, maxVersion: api.maxVersion });
  }
  return out;
}

export function apiVersionsResponse(apiKeys: Iterable<number>, errorCode = 0): ApiVersionsResponse {
  return {
    errorCode,
    apiKeys: advertisedVersions(apiKeys),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1,
    finalizedFeatures: [],
    zkMigrationReady: false,
  };
}

/** The size-prefixed v0 reply to an ApiVersions request in a version we do not serve. */
export function unsupportedApiVersionsFrame(correlationId: number, apiKeys: Iterable<number>): Uint8Array {
  return encodeResponse(ApiKey.ApiVersions, 0, correlationId, apiVersionsResponse(apiKeys, unsupportedVersionCode));
}

export function handledApiKeys(handlers: object): ApiKeyNumber[] {
  return Object.keys(handlers)
    .map(Number)
    .filter((key): key is ApiKeyNumber => apiFor(key) !== undefined);
}
