/**
 * ApiVersions (api key 18), versions 0–3, for the broker listener.
 *
 * Behaviour: the adapter's own answer (every API with a handler, each with its full range
 * from 0) plus SaslHandshake (17) v0–1 and SaslAuthenticate (36) v0–2, which Kafka lists on
 * every listener, SASL or not. librdkafka turns its SASL features off when they are missing
 * ("Disabling feature SaslHandshake"), which is harmless on PLAINTEXT but is the one feature
 * line a client would otherwise show. Versions above 3 are answered by the adapter in the v0
 * layout with UNSUPPORTED_VERSION.
 *
 * Deviations: no SASL mechanism is enabled and the codec has no SASL messages, so a client
 * that does send SaslHandshake is disconnected, where Kafka would answer
 * UNSUPPORTED_SASL_MECHANISM with an empty mechanism list: either way it cannot
 * authenticate, and the lab's listeners are PLAINTEXT only.
 */
import type { ApiVersionsResponse } from '../messages/18-api-versions';
import { apiVersionsResponse } from '../server/api-versions';

const saslApis = [
  { apiKey: 17, minVersion: 0, maxVersion: 1 },
  { apiKey: 36, minVersion: 0, maxVersion: 2 },
];

export function apiVersionsHandler(handledKeys: readonly number[]): () => ApiVersionsResponse {
  const response = apiVersionsResponse(handledKeys);
  const apiKeys = [...response.apiKeys, ...saslApis].sort((a, b) => a.apiKey - b.apiKey);
  const answer = { ...response, apiKeys };
  return () => answer;
}
