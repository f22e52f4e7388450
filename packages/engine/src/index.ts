/**
 * Public API of @kil/engine: the cluster facade and its types, errors, ids, assertions,
 * and the storage layer's public types.
 */
export * from './cluster/api';
export { Cluster } from './cluster/cluster';
export { settle, runUntil } from './cluster/settle';
export { serverDefaults, topicDefaults } from './cluster/config';
export { KafkaError, ErrorCode, errorNameOf, isRetriable, type ErrorName } from './errors';
export * from './ids';
export { assert, unreachable, AssertionError } from './assert';
export type { MetadataRecord } from './metadata/records';
export * from './storage';
