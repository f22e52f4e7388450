/**
 * A broker node (Kafka's BrokerServer in KRaft mode).
 *
 * Lifecycle (BrokerLifecycleManager, KIP-631): starting → registered and fenced (it
 * catches up with the metadata log as a quorum observer) → running (the controller
 * unfenced it after a heartbeat showing it caught up) → pending controlled shutdown
 * (heartbeats ask to shut down; the controller moves leadership away) → stopped. It
 * heartbeats every broker.heartbeat.interval.ms; without heartbeats the controller fences
 * it after broker.session.timeout.ms.
 *
 * Metadata: committed records of `__cluster_metadata` replay into an immutable image; each
 * new image goes to the replica manager, which switches local replicas between leader and
 * follower; the fetcher manager then follows the new leaders.
 *
 * Background tasks: ISR expiration, the tiering task (log-maintenance.ts) and the log
 * cleaner (log-cleaner-task.ts, every log.cleaner.backoff.ms on leaders and followers).
 *
 * Coordinators: the broker hosts a group coordinator shard for each `__consumer_offsets`
 * partition it leads and a transaction coordinator shard for each `__transaction_state`
 * partition it leads (group-host.ts, txn-host.ts); they load and unload with leadership.
 *
 * Requests: client requests pass through the request channel (request-channel.ts: network
 * threads, request queue, I/O threads, purgatory, response queue), which times each one
 * with Kafka's request metrics. Deviation from Kafka: follower fetches and other
 * broker-to-broker requests skip the channel and are handled the moment they arrive.
 */
import { KafkaError } from '../errors';
import type { NodeConfig } from '../cluster/config';
import type { AlterPartitionItem, AlterPartitionResult, ControllerMessage, ControllerRequestBody, ResponseFor } from '../controller/messages';
import { MetadataImage } from '../metadata/image';
import type { MetadataRecord } from '../metadata/records';
import { raftConfigFrom } from '../controller/controller-node';
import { isRaftMessage, type RaftMessage } from '../raft/messages';
import type { RaftEntry, RaftLog } from '../raft/raft-log';
import { RaftNode } from '../raft/raft-node';
import type { NodeEnv } from '../sim/node';
import type { LogStore, RemoteStorage, StorageEvent } from '../storage';
import { runTieringTask } from './log-maintenance';
import { logCleanerBackoffMs, logCleanerEnabled, runLogCleanerTask } from './log-cleaner-task';
import { FollowerReplicationThrottle } from './throttle';
import { CHANNEL_TIMER, ControllerChannel } from './controller-channel';
import type { ReplicationMessage, TxnMarkerMessage } from './messages';
import { ReplicaFetcherManager } from './replica-fetcher';
import { ReplicaManager } from './replica-manager';
import { GroupCoordinatorHost, OFFSETS_TOPIC } from './group-host';
import { TxnCoordinatorHost } from './txn-host';
import { RequestChannel, requestChannelLimits, type RequestChannelLimits } from './request-channel';

export type BrokerNodeMessage = RaftMessage | ControllerMessage | ReplicationMessage | TxnMarkerMessage;

export type BrokerLifecycleState = 'starting' | 'recovery' | 'running' | 'pending-controlled-shutdown' | 'stopped';

export interface BrokerNodeOptions {
  readonly raftLog: RaftLog;
  readonly store: LogStore;
  readonly voters: readonly number[];
  readonly config: NodeConfig;
  readonly rack: string | null;
  readonly host: string;
  readonly port: number;
  readonly incarnationId: string;
  /** Called once a controlled shutdown has finished. */
  readonly onStopped: () => void;
  readonly onStorageEvent?: (brokerId: number, event: StorageEvent) => void;
  /** The cluster's object store for tiered topics (KIP-405). */
  readonly remoteStorage?: RemoteStorage;
  /** Bytes a follower appended; `adding` when this broker is an adding replica (reassignment). */
  readonly onReplicaAppend?: (brokerId: number, topic: string, partition: number, bytes: number, adding: boolean) => void;
}

const T_HEARTBEAT = 'broker-heartbeat';
const T_REGISTER = 'broker-register';
const T_ISR_EXPIRATION = 'isr-expiration';
const T_PURGATORY = 'purgatory';
const T_SHUTDOWN_DEADLINE = 'controlled-shutdown-deadline';
const T_GROUP_COORDINATOR = 'group-coordinator';
const T_TXN_COORDINATOR = 'txn-coordinator';
const T_TIERING = 'remote-log-manager-task';
const T_LOG_CLEANER = 'log-cleaner';
const T_REQUEST_CHANNEL = 'request-channel';

export class BrokerNode {
  state: BrokerLifecycleState = 'starting';
  brokerEpoch = -1;
  fenced = true;
  image = MetadataImage.EMPTY;
  readonly raft: RaftNode;
  readonly replicaManager: ReplicaManager;
  readonly groupCoordinator: GroupCoordinatorHost;
  readonly txnCoordinator: TxnCoordinatorHost;
  /** Network threads, request queue and I/O threads that client requests pass through. */
  readonly requestChannel: RequestChannel;
  /** Client requests waiting for an answer; a stopping process closes their connections. */
  private readonly openRequests = new Set<(error: KafkaError) => void>();
  private readonly channel: ControllerChannel;
  private readonly fetchers: ReplicaFetcherManager;
  /** KIP-73 quota on catch-up bytes this broker fetches as a follower. */
  readonly followerThrottle: FollowerReplicationThrottle;
  private heartbeatInFlight = false;
  /**
   * A (re)starting broker replays the metadata log from the beginning; it must not act on
   * old states (leaderships long gone, or its previous incarnation's) on the way. As in
   * Kafka's initial catch-up, it publishes images to the replica manager only once its
   * registration is accepted and it has replayed the log up to that registration record.
   */
  private caughtUpOnce = false;

  constructor(
    private readonly env: NodeEnv<BrokerNodeMessage>,
    readonly options: BrokerNodeOptions,
  ) {
    const config = options.config;
    this.raft = new RaftNode(env, options.raftLog, options.voters, raftConfigFrom(config), {
      handleCommit: (entries) => this.handleMetadataCommit(entries),
      handleLeaderChange: () => undefined,
      handleSnapshot: (snapshot) => this.publish(snapshot.image),
    });
    this.channel = new ControllerChannel({
      nowMs: () => env.nowMs(),
      send: (to, message) => env.send(to, message),
      armTimer: (name, atMs) => env.setTimer(name, atMs),
      controllerId: () => this.raft.leaderId,
      retryBackoffMs: config.int('controller.quorum.retry.backoff.ms'),
      requestTimeoutMs: config.int('controller.quorum.request.timeout.ms'),
    });
    this.replicaManager = new ReplicaManager({
      brokerId: env.id,
      config,
      store: options.store,
      nowMs: () => env.nowMs(),
      emit: (event) => env.emit(event),
      emitStorage: (event) => options.onStorageEvent?.(env.id, event),
      sendAlterPartition: (items, onResult) => this.sendAlterPartition(items, onResult),
      followersChanged: () => this.fetchers.refresh(),
      armTimer: (name, atMs) => env.setTimer(name === 'purgatory' ? T_PURGATORY : name, atMs),
      ...(options.remoteStorage === undefined ? {} : { remoteStorage: options.remoteStorage }),
    });
    this.followerThrottle = new FollowerReplicationThrottle(env.id, config, () => this.image);
    this.requestChannel = this.createRequestChannel();
    this.fetchers = new ReplicaFetcherManager({
      brokerId: env.id,
      config,
      brokerEpoch: () => this.brokerEpoch,
      nowMs: () => env.nowMs(),
      send: (to, message) => env.send(to, message),
      armTimer: (name, atMs) => env.setTimer(name, atMs),
      diskDelayMs: () => env.diskDelayMs(),
      emit: (event) => env.emit(event),
      followedPartitions: () => [...this.replicaManager.partitions.values()].filter((p) => p.role === 'follower'),
      followerThrottle: {
        throttled: (p) => this.followerThrottle.throttled(p.topic, p.partitionId, p.isr),
        allowance: () => this.followerThrottle.quota.allowance(env.nowMs(), this.followerThrottle.rate()),
        record: (bytes) => this.followerThrottle.quota.record(bytes),
        waitMs: () => this.followerThrottle.quota.waitMs(this.followerThrottle.rate()),
      },
      onFollowerAppend: (p, bytes) => {
        const adding = this.image.partition(p.topic, p.partitionId)?.addingReplicas.includes(env.id) ?? false;
        options.onReplicaAppend?.(env.id, p.topic, p.partitionId, bytes, adding);
      },
    });
    const runtimeHost = {
      brokerId: env.id,
      replicaManager: this.replicaManager,
      nowMs: () => env.nowMs(),
      emit: (event: Parameters<NodeEnv<BrokerNodeMessage>['emit']>[0]) => env.emit(event),
      writeTimeoutMs: Number(config.get('offsets.commit.timeout.ms') ?? 5000),
    };
    this.groupCoordinator = new GroupCoordinatorHost({
      ...runtimeHost,
      armTimer: (atMs) => env.setTimer(T_GROUP_COORDINATOR, atMs),
      config,
      rng: env.prng,
      image: () => this.image,
    });
    this.txnCoordinator = new TxnCoordinatorHost({
      ...runtimeHost,
      armTimer: (atMs) => env.setTimer(T_TXN_COORDINATOR, atMs),
      config,
      image: () => this.image,
      offsetsTopicPartitions: () => this.groupCoordinator.numPartitions(),
      send: (to, message) => env.send(to, message),
      allocateProducerIds: (callback) =>
        this.forward({ api: 'AllocateProducerIds', brokerId: this.id, brokerEpoch: this.brokerEpoch }, (response) =>
          callback(response !== null && response.errorCode === 'NONE' ? { start: response.producerIdStart, length: response.producerIdLen } : null),
        ),
      onMarkerAppended: (topic, partition, producerId, commit) => {
        if (topic === OFFSETS_TOPIC) this.groupCoordinator.onMarkerWritten(partition, producerId, commit);
      },
    });
  }

  private createRequestChannel(): RequestChannel {
    // The thread counts are dynamic broker configs; recompute them only when the image changes.
    let limitsImage: MetadataImage | null = null;
    let limits: RequestChannelLimits | null = null;
    return new RequestChannel({
      brokerId: this.env.id,
      nowMs: () => this.env.nowMs(),
      armTimer: (atMs) => this.env.setTimer(T_REQUEST_CHANNEL, atMs),
      emit: (event) => this.env.emit(event),
      diskDelayMs: () => this.env.diskDelayMs(),
      limits: () => {
        if (limits === null || limitsImage !== this.image) {
          limitsImage = this.image;
          limits = requestChannelLimits(this.image, this.config, this.env.id);
        }
        return limits;
      },
    });
  }

  /** Tracks a client request until it is answered, so a stopping process can refuse it. */
  openRequest(reject: (error: KafkaError) => void): () => void {
    this.openRequests.add(reject);
    return () => this.openRequests.delete(reject);
  }

  /** The process went away: every open client connection breaks (NETWORK_EXCEPTION). */
  closeConnections(): void {
    const open = [...this.openRequests];
    this.openRequests.clear();
    for (const reject of open) reject(new KafkaError('NETWORK_EXCEPTION', `The connection to broker ${this.id} was closed: the broker went down.`, 'Clients reconnect to another broker and retry.'));
  }

  get id(): number {
    return this.env.id;
  }

  get config(): NodeConfig {
    return this.options.config;
  }

  start(): void {
    this.raft.start();
    this.register();
    this.env.setTimer(T_ISR_EXPIRATION, this.env.nowMs() + this.config.int('replica.lag.time.max.ms') / 2);
    if (this.options.remoteStorage !== undefined) this.env.setTimer(T_TIERING, this.env.nowMs() + this.config.int('remote.log.manager.task.interval.ms'));
    if (logCleanerEnabled(this.config)) this.env.setTimer(T_LOG_CLEANER, this.env.nowMs() + logCleanerBackoffMs(this.image, this.config, this.id));
  }

  receive(from: number, message: BrokerNodeMessage): void {
    if (this.state === 'stopped') return;
    if (isRaftMessage(message)) return this.raft.receive(from, message);
    switch (message.kind) {
      case 'ControllerResponse':
        return this.channel.handleResponse(message);
      case 'ReplicaFetchRequest':
        return this.replicaManager.handleReplicaFetch(message, (partitions) =>
          this.env.send(from, { kind: 'ReplicaFetchResponse', correlationId: message.correlationId, errorCode: 'NONE', partitions }),
        );
      case 'ReplicaFetchResponse':
        return this.fetchers.handleResponse(from, message);
      case 'WriteTxnMarkersRequest':
        return this.txnCoordinator.writeMarkers(message.markers, (results) =>
          this.env.send(from, { kind: 'WriteTxnMarkersResponse', correlationId: message.correlationId, results }),
        );
      case 'WriteTxnMarkersResponse':
        return this.txnCoordinator.handleMarkersResponse(message);
      case 'ControllerRequest':
        return;
    }
  }

  onTimer(name: string): void {
    if (this.state === 'stopped') return;
    if (name === CHANNEL_TIMER) this.channel.onTimer();
    else if (name === T_REQUEST_CHANNEL) this.requestChannel.onTimer();
    else if (name === T_HEARTBEAT) this.heartbeat();
    else if (name === T_REGISTER) this.register();
    else if (name === T_PURGATORY) this.replicaManager.completeDelayed();
    else if (name === T_ISR_EXPIRATION) this.isrExpiration();
    else if (name === T_TIERING) this.tieringTask();
    else if (name === T_LOG_CLEANER) this.logCleanerTask();
    else if (name === T_SHUTDOWN_DEADLINE) this.finishShutdown('the controller did not complete the controlled shutdown in time');
    else if (name === T_GROUP_COORDINATOR) this.groupCoordinator.runtime.onTimer();
    else if (name === T_TXN_COORDINATOR) this.txnCoordinator.runtime.onTimer();
    else if (!this.fetchers.onTimer(name)) this.raft.onTimer(name);
  }

  /** Forwards an admin request to the active controller, as Kafka brokers do. */
  forward<R extends ControllerRequestBody>(body: R, callback: (response: ResponseFor<R> | null, error: KafkaError | null) => void): void {
    this.channel.send(body, this.config.int('request.timeout.ms'), callback);
  }

  /** Starts a controlled shutdown: the controller moves leaderships, then says when to stop. */
  beginControlledShutdown(): void {
    if (this.state === 'stopped' || this.state === 'pending-controlled-shutdown') return;
    const registered = this.brokerEpoch >= 0;
    this.state = 'pending-controlled-shutdown';
    this.env.emit({
      type: 'broker-stopping',
      node: this.id,
      message: `Broker ${this.id} begins a controlled shutdown: it asks the controller to move its leaderships away before it stops.`,
    });
    if (!registered) return this.finishShutdown('it was not registered yet');
    this.env.setTimer(T_SHUTDOWN_DEADLINE, this.env.nowMs() + this.config.int('request.timeout.ms'));
    this.heartbeat();
  }

  /** The process stops: flush logs on a clean stop, nothing more. */
  private finishShutdown(reason: string): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.replicaManager.flushAll();
    this.channel.clear();
    this.closeConnections();
    this.env.emit({ type: 'broker-stopped', node: this.id, message: `Broker ${this.id} stopped (${reason}); its logs were flushed to disk.` });
    this.options.onStopped();
  }

  // ---- registration and heartbeats ----------------------------------------------------

  private register(): void {
    const { rack, host, port, incarnationId } = this.options;
    this.forward(
      { api: 'BrokerRegistration', brokerId: this.id, incarnationId, rack, listeners: [{ name: 'PLAINTEXT', host, port, securityProtocol: 0 }] },
      (response, error) => {
        if (this.state === 'stopped') return;
        if (response === null || response.errorCode !== 'NONE') {
          const why = error?.message ?? response?.message ?? response?.errorCode ?? 'no answer';
          this.env.emit({ type: 'broker-registration-failed', node: this.id, message: `Broker ${this.id} could not register: ${why}. It retries.`, data: { errorCode: response?.errorCode ?? error?.errorName } });
          this.env.setTimer(T_REGISTER, this.env.nowMs() + this.config.int('broker.heartbeat.interval.ms'));
          return;
        }
        this.brokerEpoch = response.brokerEpoch;
        if (this.state === 'starting') this.state = 'recovery';
        this.heartbeat();
      },
    );
  }

  private heartbeat(): void {
    if (this.brokerEpoch < 0 || this.heartbeatInFlight || this.state === 'stopped') return;
    this.heartbeatInFlight = true;
    const interval = this.config.int('broker.heartbeat.interval.ms');
    this.channel.send(
      {
        api: 'BrokerHeartbeat',
        brokerId: this.id,
        brokerEpoch: this.brokerEpoch,
        currentMetadataOffset: this.image.offset,
        wantFence: false,
        wantShutDown: this.state === 'pending-controlled-shutdown',
      },
      interval,
      (response) => {
        this.heartbeatInFlight = false;
        if (this.state === 'stopped') return;
        this.env.setTimer(T_HEARTBEAT, this.env.nowMs() + interval);
        if (response === null) return;
        if (response.errorCode === 'STALE_BROKER_EPOCH' || response.errorCode === 'BROKER_ID_NOT_REGISTERED') {
          this.brokerEpoch = -1;
          this.env.cancelTimer(T_HEARTBEAT);
          return this.register();
        }
        this.handleHeartbeatResponse(response.isFenced, response.shouldShutDown);
      },
    );
  }

  private handleHeartbeatResponse(isFenced: boolean, shouldShutDown: boolean): void {
    this.fenced = isFenced;
    if (this.state === 'recovery' && !isFenced) {
      this.state = 'running';
      this.env.emit({ type: 'broker-running', node: this.id, message: `Broker ${this.id} is unfenced and running.` });
    }
    if (shouldShutDown && this.state === 'pending-controlled-shutdown') this.finishShutdown('controlled shutdown completed');
  }

  // ---- metadata ---------------------------------------------------------------------------

  private handleMetadataCommit(entries: readonly RaftEntry[]): void {
    const records: MetadataRecord[] = [];
    for (const entry of entries) if (entry.payload.kind === 'metadata') records.push(entry.payload.record);
    const last = entries[entries.length - 1];
    if (last === undefined) return;
    const caughtUpBefore = this.brokerEpoch >= 0 && this.image.offset >= this.brokerEpoch;
    this.publish(this.image.apply(records, last.offset));
    // The controller unfences a broker only once it has caught up; say so at once.
    const caughtUpNow = this.brokerEpoch >= 0 && this.image.offset >= this.brokerEpoch;
    if (!caughtUpBefore && caughtUpNow && this.fenced) this.heartbeat();
  }

  private publish(image: MetadataImage): void {
    this.image = image;
    if (!this.caughtUpOnce && (this.brokerEpoch < 0 || image.offset < this.brokerEpoch)) return;
    if (!this.caughtUpOnce) {
      this.caughtUpOnce = true;
      this.env.emit({ type: 'broker-metadata-caught-up', node: this.id, message: `Broker ${this.id} caught up with the metadata log at offset ${image.offset} and starts serving its replicas.`, data: { offset: image.offset } });
    }
    this.replicaManager.applyImage(image);
    this.groupCoordinator.runtime.refresh();
    this.txnCoordinator.runtime.refresh();
  }

  // ---- replication housekeeping -------------------------------------------------------

  private tieringTask(): void {
    runTieringTask(this.replicaManager.partitions.values());
    this.env.setTimer(T_TIERING, this.env.nowMs() + this.config.int('remote.log.manager.task.interval.ms'));
  }

  /** Kafka's cleaner thread: clean what is cleanable, then back off (log-cleaner-task.ts). */
  private logCleanerTask(): void {
    runLogCleanerTask(this.replicaManager.partitions.values(), this.env.nowMs());
    this.env.setTimer(T_LOG_CLEANER, this.env.nowMs() + logCleanerBackoffMs(this.image, this.config, this.id));
  }

  private isrExpiration(): void {
    this.replicaManager.shrinkIsrs();
    this.env.setTimer(T_ISR_EXPIRATION, this.env.nowMs() + this.config.int('replica.lag.time.max.ms') / 2);
  }

  private sendAlterPartition(items: readonly AlterPartitionItem[], onResult: (results: readonly AlterPartitionResult[]) => void): void {
    this.forward({ api: 'AlterPartition', brokerId: this.id, brokerEpoch: this.brokerEpoch, partitions: items }, (response) => {
      if (response === null) this.replicaManager.clearPendingIsr(items);
      else onResult(response.partitions);
    });
  }
}
