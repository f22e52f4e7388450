/**
 * A KRaft controller node (Kafka's QuorumController on top of KafkaRaftClient). Every
 * controller is a voter in the metadata quorum and replays committed records into its
 * image, so a standby is always hot. The quorum leader becomes the active controller once
 * its leader-change record is committed (everything written by earlier epochs is then
 * committed too).
 *
 * The active controller turns each request into `{records, response}` (see
 * replication-control.ts and cluster-control.ts), appends the records to the metadata log,
 * replays them into its `latest` image at once, and sends the response only when the
 * records commit (Kafka's deferred event queue). If it loses leadership first, it drops
 * the uncommitted state, goes back to the committed image and answers NOT_CONTROLLER.
 *
 * Periodic work of the active controller: fence brokers whose session expired and, with
 * `auto.leader.rebalance.enable`, move leadership back to preferred replicas.
 *
 * Deviations from Kafka: no NoOpRecord heartbeats in the log (metadata.max.idle.interval.ms),
 * no RegisterControllerRecord, and snapshots are triggered by an estimate of record bytes.
 */
import type { NodeConfig } from '../cluster/config';
import { validateTopicConfig } from '../cluster/config';
import type { ErrorName } from '../errors';
import { MetadataImage } from '../metadata/image';
import { ConfigResourceType, type MetadataRecord } from '../metadata/records';
import type { LeaderAndEpoch, RaftMessage } from '../raft/messages';
import { isRaftMessage } from '../raft/messages';
import type { RaftEntry, RaftLog, RaftSnapshot } from '../raft/raft-log';
import { RaftNode, type RaftConfig } from '../raft/raft-node';
import type { NodeEnv } from '../sim/node';
import type { TraceInput } from '../sim/trace';
import { BrokerHeartbeatManager, fenceBroker, processHeartbeat, registerBroker } from './cluster-control';
import type {
  AlterConfigsRequest,
  AlterConfigsResponse,
  AllocateProducerIdsRequest,
  AllocateProducerIdsResponse,
  ControllerMessage,
  ControllerRequest,
  ControllerRequestBody,
  ControllerResponseBody,
  ControllerResult,
} from './messages';
import {
  alterPartition,
  createTopics,
  deleteTopics,
  electLeaders,
  imbalancedPartitions,
  partitionChangesFor,
  type ControllerContext,
} from './replication-control';
import { alterPartitionReassignments, completeReassignments, listPartitionReassignments, unregisterBroker } from './reassignment';
import { createPartitions } from './create-partitions';

export type ControllerNodeMessage = RaftMessage | ControllerMessage;

interface Deferred {
  readonly offset: number;
  readonly to: number;
  readonly correlationId: number;
  readonly body: ControllerResponseBody;
}

const T_FENCE = 'controller-fence-check';
const T_REBALANCE = 'controller-leader-rebalance';
const PRODUCER_ID_BLOCK_SIZE = 1000;

export function raftConfigFrom(config: NodeConfig): RaftConfig {
  return {
    electionTimeoutMs: config.int('controller.quorum.election.timeout.ms'),
    fetchTimeoutMs: config.int('controller.quorum.fetch.timeout.ms'),
    electionBackoffMaxMs: config.int('controller.quorum.election.backoff.max.ms'),
    requestTimeoutMs: config.int('controller.quorum.request.timeout.ms'),
    retryBackoffMs: config.int('controller.quorum.retry.backoff.ms'),
    fetchMaxWaitMs: config.int('controller.quorum.fetch.max.wait.ms'),
  };
}

export class ControllerNode {
  readonly raft: RaftNode;
  /** The image of committed records: what every controller agrees on. */
  committed = MetadataImage.EMPTY;
  /** Committed plus this active controller's uncommitted records. */
  latest = MetadataImage.EMPTY;
  active = false;
  private deferred: Deferred[] = [];
  private heartbeats: BrokerHeartbeatManager;
  private bytesSinceSnapshot = 0;

  constructor(
    private readonly env: NodeEnv<ControllerNodeMessage>,
    log: RaftLog,
    voters: readonly number[],
    readonly config: NodeConfig,
  ) {
    this.heartbeats = new BrokerHeartbeatManager(config.int('broker.session.timeout.ms'));
    this.raft = new RaftNode(env, log, voters, raftConfigFrom(config), {
      handleCommit: (entries, hw) => this.handleCommit(entries, hw),
      handleLeaderChange: (leader) => this.handleLeaderChange(leader),
      handleSnapshot: (snapshot) => this.handleSnapshot(snapshot),
    });
  }

  start(): void {
    this.raft.start();
  }

  /** Graceful stop: hand quorum leadership over before going away. */
  shutdown(): void {
    this.raft.resign();
  }

  receive(from: number, message: ControllerNodeMessage): void {
    if (isRaftMessage(message)) this.raft.receive(from, message);
    else if (message.kind === 'ControllerRequest') this.handleRequest(from, message);
  }

  onTimer(name: string): void {
    if (name === T_FENCE) this.fenceStaleBrokers();
    else if (name === T_REBALANCE) this.rebalanceLeaders();
    else this.raft.onTimer(name);
  }

  lastHeartbeatMs(brokerId: number): number | undefined {
    return this.heartbeats.lastContact(brokerId);
  }

  // ---- requests -----------------------------------------------------------------------

  private handleRequest(from: number, request: ControllerRequest): void {
    if (!this.active) {
      const leaderHint = this.raft.leaderId === this.env.id ? null : this.raft.leaderId;
      this.env.send(from, { kind: 'ControllerResponse', correlationId: request.correlationId, errorCode: 'NOT_CONTROLLER', leaderHint, body: null });
      return;
    }
    const result = this.decide(request.body);
    for (const event of result.events ?? []) this.env.emit(event);
    if (result.records.length === 0 && this.deferred.length === 0) {
      this.env.send(from, { kind: 'ControllerResponse', correlationId: request.correlationId, errorCode: 'NONE', leaderHint: this.env.id, body: result.response });
      return;
    }
    // A response without records still waits for earlier writes, so that it never
    // reports state that could be lost in a failover.
    const offset = result.records.length > 0 ? this.write(result.records) : this.raft.log.endOffset - 1;
    this.deferred.push({ offset, to: from, correlationId: request.correlationId, body: result.response });
    // With a single voter the records may already be committed.
    this.completeDeferred(this.raft.highWatermark);
  }

  private context(): ControllerContext {
    return { image: this.latest, config: this.config, prng: this.env.prng, nodeId: this.env.id };
  }

  private decide(body: ControllerRequestBody): ControllerResult<ControllerResponseBody> {
    const ctx = this.context();
    const now = this.env.nowMs();
    const nextOffset = this.raft.log.endOffset;
    switch (body.api) {
      case 'BrokerRegistration':
        return registerBroker(ctx, this.heartbeats, body, now, nextOffset);
      case 'BrokerHeartbeat': {
        const result = processHeartbeat(ctx, this.heartbeats, body, now, nextOffset);
        this.armFenceTimer();
        return result;
      }
      case 'CreateTopics':
        return createTopics(ctx, body);
      case 'DeleteTopics':
        return deleteTopics(ctx, body);
      case 'AlterPartition':
        return this.withCompletedReassignments(alterPartition(ctx, body));
      case 'AlterPartitionReassignments':
        return alterPartitionReassignments(ctx, body);
      case 'ListPartitionReassignments':
        return listPartitionReassignments(ctx, body);
      case 'CreatePartitions':
        return createPartitions(ctx, body);
      case 'UnregisterBroker':
        return unregisterBroker(ctx, body);
      case 'ElectLeaders':
        return electLeaders(ctx, body);
      case 'IncrementalAlterConfigs':
        return this.alterConfigs(ctx, body);
      case 'AllocateProducerIds':
        return this.allocateProducerIds(ctx, body);
    }
  }

  /**
   * An ISR expansion may complete a reassignment (KIP-455): append the completing records
   * right after the AlterPartition change, in the same write.
   */
  private withCompletedReassignments<T>(result: ControllerResult<T>): ControllerResult<T> {
    if (result.records.length === 0) return result;
    const image = this.latest.apply(result.records, this.raft.log.endOffset);
    const touched = new Set(result.records.flatMap((r) => (r.type === 'PartitionChangeRecord' ? [r.topicId] : [])));
    const done = completeReassignments(this.env.id, image, touched);
    if (done.records.length === 0) return result;
    return { ...result, records: [...result.records, ...done.records], events: [...(result.events ?? []), ...done.events] };
  }

  /** Appends records and replays them into the latest image at once. */
  private write(records: readonly MetadataRecord[]): number {
    const last = this.raft.append(records);
    this.latest = this.latest.apply(records, last);
    return last;
  }

  private alterConfigs(ctx: ControllerContext, request: AlterConfigsRequest): ControllerResult<AlterConfigsResponse> {
    const fail = (errorCode: ErrorName, errorMessage: string): ControllerResult<AlterConfigsResponse> => ({ records: [], response: { api: 'IncrementalAlterConfigs', errorCode, errorMessage } });
    const isTopic = request.resourceType === ConfigResourceType.TOPIC;
    if (isTopic && ctx.image.topic(request.resourceName) === undefined) return fail('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${request.resourceName} does not exist.`);
    for (const change of request.changes) {
      const error = isTopic && change.value !== null ? validateTopicConfig(change.name, change.value) : null;
      if (error !== null) return fail(error.errorName, error.message);
    }
    if (request.validateOnly) return { records: [], response: { api: 'IncrementalAlterConfigs', errorCode: 'NONE', errorMessage: null } };
    const records: MetadataRecord[] = request.changes.map((c) => ({ type: 'ConfigRecord', resourceType: request.resourceType, resourceName: request.resourceName, name: c.name, value: c.value }));
    const image = ctx.image.apply(records, this.raft.log.endOffset);
    // Turning on unclean election may bring an offline partition back at once.
    const moves = partitionChangesFor({ ...ctx, image }, image, new Set(), 'topic config changed');
    const event: TraceInput = {
      type: 'config-changed',
      node: this.env.id,
      message: `Controller ${this.env.id} updated configs of ${isTopic ? 'topic' : 'broker'} ${request.resourceName || '(cluster default)'}: ${request.changes.map((c) => `${c.name}=${c.value ?? '(deleted)'}`).join(', ')}.`,
      ...(isTopic ? { topic: request.resourceName } : {}),
    };
    return { records: [...records, ...moves.records], response: { api: 'IncrementalAlterConfigs', errorCode: 'NONE', errorMessage: null }, events: [event, ...moves.events] };
  }

  private allocateProducerIds(ctx: ControllerContext, request: AllocateProducerIdsRequest): ControllerResult<AllocateProducerIdsResponse> {
    const broker = ctx.image.brokers.get(request.brokerId);
    if (broker === undefined || broker.epoch !== request.brokerEpoch) {
      return { records: [], response: { api: 'AllocateProducerIds', errorCode: 'STALE_BROKER_EPOCH', producerIdStart: -1, producerIdLen: 0 } };
    }
    const start = ctx.image.nextProducerId;
    return {
      records: [{ type: 'ProducerIdsRecord', brokerId: request.brokerId, brokerEpoch: request.brokerEpoch, nextProducerId: start + PRODUCER_ID_BLOCK_SIZE }],
      response: { api: 'AllocateProducerIds', errorCode: 'NONE', producerIdStart: start, producerIdLen: PRODUCER_ID_BLOCK_SIZE },
    };
  }

  // ---- periodic work ------------------------------------------------------------------

  private armFenceTimer(): void {
    const next = this.heartbeats.nextExpiryMs(this.latest);
    if (next === null) this.env.cancelTimer(T_FENCE);
    else this.env.setTimer(T_FENCE, next);
  }

  private fenceStaleBrokers(): void {
    if (!this.active) return;
    const timeoutMs = this.config.int('broker.session.timeout.ms');
    for (const brokerId of this.heartbeats.staleBrokers(this.latest, this.env.nowMs())) {
      const fenced = fenceBroker(this.context(), brokerId, `no heartbeat for ${timeoutMs} ms (broker.session.timeout.ms)`, this.raft.log.endOffset);
      for (const event of fenced.events) this.env.emit(event);
      if (fenced.records.length > 0) this.write(fenced.records);
    }
    this.armFenceTimer();
  }

  private rebalanceLeaders(): void {
    if (!this.active) return;
    this.env.setTimer(T_REBALANCE, this.env.nowMs() + this.config.int('leader.imbalance.check.interval.seconds') * 1000);
    const imbalanced = imbalancedPartitions(this.latest);
    const total = [...this.latest.topicsById.values()].reduce((n, t) => n + t.partitions.size, 0);
    const ratio = total === 0 ? 0 : imbalanced.length / total;
    if (imbalanced.length === 0 || ratio * 100 <= this.config.int('leader.imbalance.per.broker.percentage')) return;
    const result = electLeaders(this.context(), { api: 'ElectLeaders', electionType: 0, partitions: imbalanced });
    for (const event of result.events ?? []) this.env.emit(event);
    if (result.records.length > 0) this.write(result.records);
  }

  // ---- raft callbacks -------------------------------------------------------------------

  private handleCommit(entries: readonly RaftEntry[], highWatermark: number): void {
    const records: MetadataRecord[] = [];
    for (const entry of entries) if (entry.payload.kind === 'metadata') records.push(entry.payload.record);
    const last = entries[entries.length - 1];
    if (last !== undefined) this.committed = this.committed.apply(records, last.offset);
    if (!this.active) this.latest = this.committed;
    this.completeDeferred(highWatermark);
    if (!this.active && this.raft.role === 'leader') this.activate();
    this.bytesSinceSnapshot += records.reduce((n, r) => n + JSON.stringify(r).length, 0);
    this.maybeSnapshot(last);
  }

  private completeDeferred(highWatermark: number): void {
    const ready = this.deferred.filter((d) => d.offset < highWatermark);
    this.deferred = this.deferred.filter((d) => d.offset >= highWatermark);
    for (const d of ready) {
      this.env.send(d.to, { kind: 'ControllerResponse', correlationId: d.correlationId, errorCode: 'NONE', leaderHint: this.env.id, body: d.body });
    }
  }

  private activate(): void {
    this.active = true;
    this.latest = this.committed;
    this.heartbeats = new BrokerHeartbeatManager(this.config.int('broker.session.timeout.ms'));
    const now = this.env.nowMs();
    for (const id of this.latest.brokers.keys()) this.heartbeats.touch(id, now);
    this.env.emit({
      type: 'controller-activated',
      node: this.env.id,
      message: `Controller ${this.env.id} is now the active controller (quorum epoch ${this.raft.epoch}); it loaded metadata up to offset ${this.committed.offset} from its own replica of the log.`,
      data: { epoch: this.raft.epoch, metadataOffset: this.committed.offset },
    });
    if (!this.latest.features.has('metadata.version')) {
      this.write([{ type: 'FeatureLevelRecord', name: 'metadata.version', featureLevel: 21 }]);
    }
    this.armFenceTimer();
    if (this.config.bool('auto.leader.rebalance.enable')) {
      this.env.setTimer(T_REBALANCE, now + this.config.int('leader.imbalance.check.interval.seconds') * 1000);
    }
  }

  private handleLeaderChange(leader: LeaderAndEpoch): void {
    if (leader.leaderId === this.env.id || !this.active) return;
    this.active = false;
    this.latest = this.committed;
    this.env.cancelTimer(T_FENCE);
    this.env.cancelTimer(T_REBALANCE);
    // Requests whose records may never commit are answered NOT_CONTROLLER; brokers retry.
    for (const d of this.deferred) {
      this.env.send(d.to, { kind: 'ControllerResponse', correlationId: d.correlationId, errorCode: 'NOT_CONTROLLER', leaderHint: leader.leaderId, body: null });
    }
    this.deferred = [];
    this.env.emit({
      type: 'controller-renounced',
      node: this.env.id,
      message: `Controller ${this.env.id} is no longer active (quorum epoch ${leader.epoch}); it dropped uncommitted changes and keeps replaying committed metadata as a standby.`,
      data: { epoch: leader.epoch, leaderId: leader.leaderId },
    });
  }

  private handleSnapshot(snapshot: RaftSnapshot): void {
    this.committed = snapshot.image;
    this.latest = snapshot.image;
    this.bytesSinceSnapshot = 0;
  }

  private maybeSnapshot(last: RaftEntry | undefined): void {
    if (last === undefined || this.bytesSinceSnapshot < this.config.int('metadata.log.max.record.bytes.between.snapshots')) return;
    this.bytesSinceSnapshot = 0;
    this.raft.createSnapshot({ endOffset: last.offset + 1, epoch: last.epoch, image: this.committed });
  }
}
