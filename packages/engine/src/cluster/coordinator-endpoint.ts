/**
 * The group and transaction half of a broker's request entry point (BrokerEndpoint extends
 * it): FindCoordinator, the group APIs, the transaction APIs, DescribeProducers and
 * WriteTxnMarkers, each answered the way the broker's coordinator shards decide. Requests
 * that wait (a held JoinGroup, a commit waiting for the ISR) settle when the broker answers;
 * if the broker goes down first they reject with NETWORK_EXCEPTION.
 */
import { KafkaError, type ErrorName } from '../errors';
import type { BrokerNode } from '../broker/broker-node';
import { OFFSETS_TOPIC } from '../broker/group-host';
import { TRANSACTION_TOPIC } from '../broker/txn-host';
import { NO_LEADER } from '../metadata/records';
import type {
  CoordinatorBrokerApi, CoordinatorKeyType, DeleteGroupsResult, DescribedGroup, DescribedTransaction, FindCoordinatorResult, HeartbeatRequest,
  HeartbeatResponse, InitProducerIdRequest, InitProducerIdResponse, JoinGroupRequest, JoinGroupResponse, LeaveGroupRequest, LeaveGroupResponse,
  ListedGroup, ListedTransaction, OffsetCommitRequest, OffsetCommitResponse, OffsetDeleteRequest, OffsetDeleteResponse, OffsetFetchRequest, OffsetFetchResponse, PartitionProducers,
  SyncGroupRequest, SyncGroupResponse, TxnMarkerEntry, TxnMarkerResult, TxnOffsetCommitRequest, TxnRequestBase, TxnTopics,
  AddPartitionsToTxnResponse, ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse,
} from './coordinator-api';
import type { Cluster } from './cluster';

/** Retry creating an internal topic at most this often while it does not exist. */
const INTERNAL_TOPIC_RETRY_MS = 1_000;
const creationAttempts = new WeakMap<BrokerNode, Map<string, number>>();

export abstract class CoordinatorEndpoint implements CoordinatorBrokerApi {
  constructor(
    private readonly owner: Cluster,
    private readonly brokerId: number,
  ) {}

  private live(): BrokerNode {
    const node = this.owner.brokerNode(this.brokerId);
    if (node === null) throw new KafkaError('NETWORK_EXCEPTION', `Broker ${this.brokerId} is not running (connection refused).`, `Start it with \`broker start ${this.brokerId}\` or use another broker.`);
    return node;
  }

  /** Runs `body` on the live node; the promise rejects if the node goes down before answering. */
  private ask<T>(body: (node: BrokerNode, resolve: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        const node = this.live();
        const close = node.openRequest(reject);
        body(node, (value) => {
          close();
          resolve(value);
        });
      } catch (error) {
        reject(error);
      }
    });
  }

  findCoordinator(keyType: CoordinatorKeyType, key: string): Promise<FindCoordinatorResult> {
    return this.ask((node, resolve) => {
      const topic = keyType === 'group' ? OFFSETS_TOPIC : TRANSACTION_TOPIC;
      const fail = (message: string): void => resolve({ key, error: new KafkaError('COORDINATOR_NOT_AVAILABLE', message, 'Clients retry FindCoordinator after retry.backoff.ms.'), nodeId: -1, host: '', port: -1 });
      if (node.image.topic(topic) === undefined) {
        ensureInternalTopic(node, topic, this.owner.nowMs());
        return fail(`The ${topic} topic does not exist yet; broker ${this.brokerId} asked the controller to create it.`);
      }
      const partition = keyType === 'group' ? node.groupCoordinator.partitionFor(key) : node.txnCoordinator.partitionFor(key);
      const leader = node.image.partition(topic, partition)?.leader ?? NO_LEADER;
      const endpoint = node.image.brokers.get(leader)?.endPoints[0];
      if (leader === NO_LEADER || endpoint === undefined) return fail(`${topic}-${partition}, which owns ${keyType} ${key}, has no leader right now.`);
      resolve({ key, error: null, nodeId: leader, host: endpoint.host, port: endpoint.port });
    });
  }

  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.joinGroup(request, resolve));
  }

  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.syncGroup(request, resolve));
  }

  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.heartbeat(request, resolve));
  }

  leaveGroup(request: LeaveGroupRequest): Promise<LeaveGroupResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.leaveGroup(request, resolve));
  }

  offsetCommit(request: OffsetCommitRequest): Promise<OffsetCommitResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.offsetCommit(request, resolve));
  }

  offsetFetch(request: OffsetFetchRequest): Promise<OffsetFetchResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.offsetFetch(request, resolve));
  }

  txnOffsetCommit(request: TxnOffsetCommitRequest): Promise<OffsetCommitResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.txnOffsetCommit(request, resolve));
  }

  describeGroups(groupIds: readonly string[]): Promise<Array<DescribedGroup & { readonly generationId: number }>> {
    return this.ask((node, resolve) => node.groupCoordinator.describeGroups(groupIds, resolve));
  }

  listGroups(options: { readonly statesFilter?: readonly string[] } = {}): Promise<ListedGroup[]> {
    return this.ask((node, resolve) => resolve(node.groupCoordinator.listGroups(options.statesFilter ?? [])));
  }

  deleteGroups(groupIds: readonly string[]): Promise<DeleteGroupsResult[]> {
    return this.ask((node, resolve) => node.groupCoordinator.deleteGroups(groupIds, resolve));
  }

  offsetDelete(request: OffsetDeleteRequest): Promise<OffsetDeleteResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.offsetDelete(request, resolve));
  }

  consumerGroupHeartbeat(request: ConsumerGroupHeartbeatRequest): Promise<ConsumerGroupHeartbeatResponse> {
    return this.ask((node, resolve) => node.groupCoordinator.consumerGroupHeartbeat(request, resolve));
  }

  initProducerId(request: InitProducerIdRequest): Promise<InitProducerIdResponse> {
    return this.ask((node, resolve) => node.txnCoordinator.initProducerId(request, resolve));
  }

  addPartitionsToTxn(request: TxnRequestBase & TxnTopics): Promise<AddPartitionsToTxnResponse> {
    return this.ask((node, resolve) => node.txnCoordinator.addPartitionsToTxn(request, resolve));
  }

  addOffsetsToTxn(request: TxnRequestBase & { readonly groupId: string }): Promise<{ readonly error: ErrorName }> {
    return this.ask((node, resolve) => node.txnCoordinator.addOffsetsToTxn(request, resolve));
  }

  endTxn(request: TxnRequestBase & { readonly committed: boolean }): Promise<{ readonly error: ErrorName }> {
    return this.ask((node, resolve) => node.txnCoordinator.endTxn(request, resolve));
  }

  describeTransactions(transactionalIds: readonly string[]): Promise<DescribedTransaction[]> {
    return this.ask((node, resolve) => resolve(node.txnCoordinator.describeTransactions(transactionalIds)));
  }

  listTransactions(filters: { readonly stateFilters?: readonly string[]; readonly producerIdFilters?: readonly number[] } = {}): Promise<ListedTransaction[]> {
    return this.ask((node, resolve) => resolve(node.txnCoordinator.listTransactions(filters)));
  }

  describeProducers(partitions: readonly { readonly topic: string; readonly partition: number }[]): Promise<PartitionProducers[]> {
    return this.ask((node, resolve) =>
      resolve(
        partitions.map(({ topic, partition }) => {
          const p = node.replicaManager.get(topic, partition);
          if (p === undefined || !p.isLeader) return { topic, partition, error: p?.notLeader() ?? node.replicaManager.unknownPartition(topic, partition), activeProducers: [] };
          return { topic, partition, error: null, activeProducers: p.producerState.activeProducers() };
        }),
      ),
    );
  }

  writeTxnMarkers(markers: readonly TxnMarkerEntry[]): Promise<TxnMarkerResult[]> {
    return this.ask((node, resolve) => node.txnCoordinator.writeMarkers(markers, resolve));
  }
}

/**
 * Kafka creates `__consumer_offsets` and `__transaction_state` when a client first asks for
 * a coordinator. The replication factor is capped by the brokers registered, so a one-broker
 * lab works; min.insync.replicas of the transaction log is capped likewise.
 */
function ensureInternalTopic(node: BrokerNode, topic: string, now: number): void {
  const attempts = creationAttempts.get(node) ?? new Map<string, number>();
  creationAttempts.set(node, attempts);
  const last = attempts.get(topic);
  if (last !== undefined && now - last < INTERNAL_TOPIC_RETRY_MS) return;
  attempts.set(topic, now);
  const config = node.config;
  const brokers = node.image.brokers.size;
  const isOffsets = topic === OFFSETS_TOPIC;
  const replicationFactor = Math.max(1, Math.min(config.int(isOffsets ? 'offsets.topic.replication.factor' : 'transaction.state.log.replication.factor'), brokers));
  const configs: Record<string, string> = { 'cleanup.policy': 'compact', 'segment.bytes': '104857600' };
  if (!isOffsets) configs['min.insync.replicas'] = String(Math.min(config.int('transaction.state.log.min.isr'), replicationFactor));
  node.forward(
    { api: 'CreateTopics', topics: [{ name: topic, numPartitions: config.int(isOffsets ? 'offsets.topic.num.partitions' : 'transaction.state.log.num.partitions'), replicationFactor, configs }], validateOnly: false },
    () => undefined,
  );
}
