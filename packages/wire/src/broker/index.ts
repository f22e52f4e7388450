/**
 * The Kafka listener's request handlers for one engine broker: every API in SCOPE.md's table
 * mapped onto the engine's BrokerApi, with Kafka's error codes. One file per API key group,
 * each opening with the versions it serves and where it deviates from Kafka.
 */
import type { RequestHandlers } from '../server/types';
import { handleProduce } from './00-produce';
import { handleFetch } from './01-fetch';
import { handleListOffsets } from './02-list-offsets';
import { handleDescribeCluster, handleMetadata } from './03-metadata';
import { handleCreatePartitions, handleCreateTopics, handleDeleteTopics } from './19-20-37-topics';
import { handleDeleteRecords, handleOffsetForLeaderEpoch } from './21-23-partition-leader';
import { handleAlterConfigs, handleDescribeConfigs, handleIncrementalAlterConfigs } from './32-33-44-configs';
import {
  handleAlterPartitionReassignments,
  handleDescribeQuorum,
  handleElectLeaders,
  handleListPartitionReassignments,
} from './43-45-46-55-cluster-admin';
import { apiVersionsHandler } from './18-api-versions';
import { handleOffsetCommit, handleOffsetFetch, handleTxnOffsetCommit } from './08-09-28-offsets';
import { handleFindCoordinator } from './10-find-coordinator';
import { handleHeartbeat, handleJoinGroup, handleLeaveGroup, handleSyncGroup } from './11-14-group-membership';
import { handleDeleteGroups, handleDescribeGroups, handleListGroups } from './15-16-42-group-admin';
import { handleAddOffsetsToTxn, handleAddPartitionsToTxn, handleEndTxn, handleInitProducerId } from './22-24-25-26-transactions';
import { handleDescribeProducers, handleDescribeTransactions, handleListTransactions } from './61-65-66-transaction-admin';
import { handlerEnv, type BrokerHandlerOptions } from './context';

export type { BrokerHandlerOptions, ListenerAddress } from './context';

export function brokerHandlers(options: BrokerHandlerOptions): RequestHandlers {
  const env = handlerEnv(options);
  const handlers: RequestHandlers = {
    0: (request, context) => handleProduce(env, request, context),
    1: (request, context) => handleFetch(env, request, context),
    2: (request) => handleListOffsets(env, request),
    3: (request, context) => handleMetadata(env, request, context),
    8: (request) => handleOffsetCommit(env, request),
    9: (request, context) => handleOffsetFetch(env, request, context),
    10: (request, context) => handleFindCoordinator(env, request, context),
    11: (request, context) => handleJoinGroup(env, request, context),
    12: (request) => handleHeartbeat(env, request),
    13: (request, context) => handleLeaveGroup(env, request, context),
    14: (request) => handleSyncGroup(env, request),
    15: (request) => handleDescribeGroups(env, request),
    16: (request) => handleListGroups(env, request),
    19: (request) => handleCreateTopics(env, request),
    20: (request, context) => handleDeleteTopics(env, request, context),
    21: (request) => handleDeleteRecords(env, request),
    22: (request, context) => handleInitProducerId(env, request, context),
    23: (request) => handleOffsetForLeaderEpoch(env, request),
    24: (request, context) => handleAddPartitionsToTxn(env, request, context),
    25: (request, context) => handleAddOffsetsToTxn(env, request, context),
    26: (request, context) => handleEndTxn(env, request, context),
    28: (request) => handleTxnOffsetCommit(env, request),
    32: (request) => handleDescribeConfigs(env, request),
    33: (request) => handleAlterConfigs(env, request),
    37: (request) => handleCreatePartitions(env, request),
    42: (request) => handleDeleteGroups(env, request),
    43: (request, context) => handleElectLeaders(env, request, context),
    44: (request) => handleIncrementalAlterConfigs(env, request),
    45: (request) => handleAlterPartitionReassignments(env, request),
    46: (request) => handleListPartitionReassignments(env, request),
    55: (request) => handleDescribeQuorum(env, request),
    60: (request) => handleDescribeCluster(env, request),
    61: (request) => handleDescribeProducers(env, request),
    65: (request) => handleDescribeTransactions(env, request),
    66: (request) => handleListTransactions(env, request),
  };
  return { ...handlers, 18: apiVersionsHandler(Object.keys(handlers).map(Number)) };
}
