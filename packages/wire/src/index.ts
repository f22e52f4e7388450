/**
 * @kil/wire: the Kafka protocol as bytes <-> typed messages (no I/O), and a node:net adapter
 * that serves it to standard Kafka clients. See SCOPE.md for the APIs and versions served.
 */
export { WireDecodeError, WireEncodeError, type WireDecodeErrorName } from './errors';

// Primitive codec.
export { WireReader } from './codec/reader';
export { WireWriter } from './codec/writer';
export { ZERO_UUID, uuidFromString, uuidToString } from './codec/uuid';

// Schemas and the generic codec.
export {
  defineApi,
  f,
  list,
  struct,
  inRange,
  parseVersions,
  type ApiDef,
  type ApiSpec,
  type FieldDef,
  type FieldOptions,
  type FieldType,
  type MessageSchema,
  type PrimitiveType,
  type VersionRange,
} from './protocol/schema';
export { decodeMessage, encodeMessage, defaultFor, defaultMessage } from './protocol/codec';
export {
  ApiKey,
  apis,
  apiList,
  apiFor,
  isApiKey,
  isFlexible,
  servesVersion,
  type AnyApiDef,
  type ApiKeyNumber,
  type Apis,
  type RequestOf,
  type ResponseOf,
} from './protocol/apis';
export {
  decodeRequestHeader,
  encodeRequestHeader,
  decodeResponseHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  skipTaggedFields,
  type RequestHeader,
  type RequestHeaderVersion,
  type ResponseHeaderVersion,
} from './protocol/headers';
export {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type DecodedRequest,
  type DecodedResponse,
  type UnsupportedApiVersionsRequest,
} from './protocol/frames';

// Message types, one module per API.
export type * from './messages/00-produce';
export type * from './messages/01-fetch';
export type * from './messages/02-list-offsets';
export type * from './messages/03-metadata';
export type * from './messages/08-offset-commit';
export type * from './messages/09-offset-fetch';
export type * from './messages/10-find-coordinator';
export type * from './messages/11-join-group';
export type * from './messages/12-heartbeat';
export type * from './messages/13-leave-group';
export type * from './messages/14-sync-group';
export type * from './messages/15-describe-groups';
export type * from './messages/16-list-groups';
export type * from './messages/18-api-versions';
export type * from './messages/19-create-topics';
export type * from './messages/20-delete-topics';
export type * from './messages/21-delete-records';
export type * from './messages/22-init-producer-id';
export type * from './messages/23-offset-for-leader-epoch';
export type * from './messages/24-add-partitions-to-txn';
export type * from './messages/25-add-offsets-to-txn';
export type * from './messages/26-end-txn';
export type * from './messages/28-txn-offset-commit';
export type * from './messages/32-describe-configs';
export type * from './messages/33-alter-configs';
export type * from './messages/37-create-partitions';
export type * from './messages/42-delete-groups';
export type * from './messages/43-elect-leaders';
export type * from './messages/44-incremental-alter-configs';
export type * from './messages/45-alter-partition-reassignments';
export type * from './messages/46-list-partition-reassignments';
export type * from './messages/55-describe-quorum';
export type * from './messages/60-describe-cluster';
export type * from './messages/61-describe-producers';
export type * from './messages/65-describe-transactions';
export type * from './messages/66-list-transactions';

// TCP server adapter.
export { WireServer, type ListenAddress } from './server/server';
export { FrameDecoder } from './server/framing';
export { advertisedVersions, apiVersionsResponse, unsupportedApiVersionsFrame } from './server/api-versions';
export {
  defaultConnectionsMaxIdleMs,
  defaultMaxInFlightRequestsPerConnection,
  defaultSocketRequestMaxBytes,
  type ApiHandler,
  type ConnectionInfo,
  type RequestContext,
  type RequestHandlers,
  type WireServerOptions,
} from './server/types';
export { benchFrames, type FrameBenchOptions, type FrameBenchResult } from './server/frames.bench';

// Request handlers that serve an engine broker over the adapter.
export { brokerHandlers, type BrokerHandlerOptions, type ListenerAddress } from './broker';

// Test support: seeded, valid messages for any API and version (fuzzing a broker behind the adapter).
export { Prng } from './testing/prng';
export { randomMessage } from './testing/random-message';
