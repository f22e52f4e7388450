/**
 * The registry of every API this package serves, keyed by api key, with the versions and first
 * flexible version of each (the table clients read in ApiVersions).
 */
import type { ApiDef } from './schema';
import { produceApi } from '../messages/00-produce';
import { fetchApi } from '../messages/01-fetch';
import { listOffsetsApi } from '../messages/02-list-offsets';
import { metadataApi } from '../messages/03-metadata';
import { offsetCommitApi } from '../messages/08-offset-commit';
import { offsetFetchApi } from '../messages/09-offset-fetch';
import { findCoordinatorApi } from '../messages/10-find-coordinator';
import { joinGroupApi } from '../messages/11-join-group';
import { heartbeatApi } from '../messages/12-heartbeat';
import { leaveGroupApi } from '../messages/13-leave-group';
import { syncGroupApi } from '../messages/14-sync-group';
import { describeGroupsApi } from '../messages/15-describe-groups';
import { listGroupsApi } from '../messages/16-list-groups';
import { apiVersionsApi } from '../messages/18-api-versions';
import { createTopicsApi } from '../messages/19-create-topics';
import { deleteTopicsApi } from '../messages/20-delete-topics';
import { deleteRecordsApi } from '../messages/21-delete-records';
import { initProducerIdApi } from '../messages/22-init-producer-id';
import { offsetForLeaderEpochApi } from '../messages/23-offset-for-leader-epoch';
import { addPartitionsToTxnApi } from '../messages/24-add-partitions-to-txn';
import { addOffsetsToTxnApi } from '../messages/25-add-offsets-to-txn';
import { endTxnApi } from '../messages/26-end-txn';
import { txnOffsetCommitApi } from '../messages/28-txn-offset-commit';
import { describeConfigsApi } from '../messages/32-describe-configs';
import { alterConfigsApi } from '../messages/33-alter-configs';
import { createPartitionsApi } from '../messages/37-create-partitions';
import { deleteGroupsApi } from '../messages/42-delete-groups';
import { electLeadersApi } from '../messages/43-elect-leaders';
import { incrementalAlterConfigsApi } from '../messages/44-incremental-alter-configs';
import { alterPartitionReassignmentsApi } from '../messages/45-alter-partition-reassignments';
import { listPartitionReassignmentsApi } from '../messages/46-list-partition-reassignments';
import { describeQuorumApi } from '../messages/55-describe-quorum';
import { describeClusterApi } from '../messages/60-describe-cluster';
import { describeProducersApi } from '../messages/61-describe-producers';
import { describeTransactionsApi } from '../messages/65-describe-transactions';
import { listTransactionsApi } from '../messages/66-list-transactions';

export const apis = {
  0: produceApi,
  1: fetchApi,
  2: listOffsetsApi,
  3: metadataApi,
  8: offsetCommitApi,
  9: offsetFetchApi,
  10: findCoordinatorApi,
  11: joinGroupApi,
  12: heartbeatApi,
  13: leaveGroupApi,
  14: syncGroupApi,
  15: describeGroupsApi,
  16: listGroupsApi,
  18: apiVersionsApi,
  19: createTopicsApi,
  20: deleteTopicsApi,
  21: deleteRecordsApi,
  22: initProducerIdApi,
  23: offsetForLeaderEpochApi,
  24: addPartitionsToTxnApi,
  25: addOffsetsToTxnApi,
  26: endTxnApi,
  28: txnOffsetCommitApi,
  32: describeConfigsApi,
  33: alterConfigsApi,
  37: createPartitionsApi,
  42: deleteGroupsApi,
  43: electLeadersApi,
  44: incrementalAlterConfigsApi,
  45: alterPartitionReassignmentsApi,
  46: listPartitionReassignmentsApi,
  55: describeQuorumApi,
  60: describeClusterApi,
  61: describeProducersApi,
  65: describeTransactionsApi,
  66: listTransactionsApi,
} as const;

/** Api keys by Kafka name, for readable handler maps: `{ [ApiKey.Metadata]: ... }`. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DeleteGroups: 42,
  ElectLeaders: 43,
  IncrementalAlterConfigs: 44,
  AlterPartitionReassignments: 45,
  ListPartitionReassignments: 46,
  DescribeQuorum: 55,
  DescribeCluster: 60,
  DescribeProducers: 61,
  DescribeTransactions: 65,
  ListTransactions: 66,
} as const;

export type Apis = typeof apis;
export type ApiKeyNumber = keyof Apis;
export type AnyApiDef = ApiDef<unknown, unknown>;

/** The decoded request body type of an api key. */
export type RequestOf<K extends ApiKeyNumber> = Apis[K] extends ApiDef<infer Req, unknown> ? Req : never;
/** The response body type of an api key. */
export type ResponseOf<K extends ApiKeyNumber> = Apis[K] extends ApiDef<unknown, infer Res> ? Res : never;

const byKey = new Map<number, AnyApiDef>(Object.values(apis).map((api) => [api.apiKey, api as AnyApiDef]));

/** Every API we serve, in api-key order. */
export const apiList: readonly AnyApiDef[] = [...byKey.values()].sort((a, b) => a.apiKey - b.apiKey);

export function apiFor(apiKey: number): AnyApiDef | undefined {
  return byKey.get(apiKey);
}

export function isApiKey(apiKey: number): apiKey is ApiKeyNumber {
  return byKey.has(apiKey);
}

export function isFlexible(api: AnyApiDef, apiVersion: number): boolean {
  return apiVersion >= api.flexibleFrom;
}

export function servesVersion(api: AnyApiDef, apiVersion: number): boolean {
  return apiVersion >= api.minVersion && apiVersion <= api.maxVersion;
}
