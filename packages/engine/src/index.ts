/**
 * Public API of @kil/engine: the cluster facade and its types, errors, ids, assertions,
 * and the storage layer's public types.
 */
export * from './cluster/api';
export { Cluster } from './cluster/cluster';
export type { RaftLogState, MetadataImageState } from './raft/raft-log-state';
export { settle, runUntil } from './cluster/settle';
export { offsetForLeaderEpoch, deleteRecords, type EpochEndOffsetResult, type DeleteRecordsResult } from './cluster/broker-extras';
export { serverDefaults, topicDefaults } from './cluster/config';
export { partitionForKey, murmur2, keyMoves } from './cluster/partitioner';
export { regionOfRack } from './cluster/regions';
export { MultiCluster, GroupOffsetStore, type MultiClusterOptions, type RegionOptions, type RegionState, type MirrorStatus } from './mirror/multi-cluster';
export { MirrorMaker2, type MirrorMakerOptions, type MirrorMakerStatus, type MirrorPartitionStatus, type Checkpoint, type OffsetSync } from './mirror/mm2';
export { LinkedTopic, type LinkedTopicOptions, type LinkedTopicStatus, type LinkedPartitionStatus } from './mirror/linked-topic';
export type { FailoverOptions, FailoverReport, FailoverPartition } from './mirror/failover';
export { KafkaError, ErrorCode, errorNameOf, isRetriable, type ErrorName } from './errors';
export * from './ids';
export { assert, unreachable, AssertionError } from './assert';
export type { MetadataRecord } from './metadata/records';
export * from './storage';
export * from './zk-compare';
