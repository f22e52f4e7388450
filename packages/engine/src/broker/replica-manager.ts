/**
 * The broker's replica manager (Kafka's ReplicaManager): the partitions this broker hosts,
 * the leader side of produce and fetch, and the two purgatories where requests wait.
 *
 * - Metadata: `applyImage` compares the new metadata image with the last one and makes
 *   each local replica a leader, a follower or offline, creating or deleting logs.
 * - Produce: append on the leader; acks=0/1 answer at once; acks=all waits in the produce
 *   purgatory until the high watermark passes the batch, or the request times out.
 *   min.insync.replicas is checked before the append (NOT_ENOUGH_REPLICAS) and again when
 *   the batch commits (NOT_ENOUGH_REPLICAS_AFTER_APPEND). Changes of outcome are traced as
 *   `produce-completed` (produce-outcomes.ts).
 * - Fetch: consumers read up to the high watermark; followers read up to the log end and
 *   report their position, which moves the high watermark and the ISR. A fetch with nothing
 *   to return waits in the fetch purgatory up to its max wait (long polling).
 * - ISR: every replica.lag.time.max.ms / 2 the leader looks for followers that have not
 *   caught up, and proposes ISR changes through AlterPartition.
 *
 * Follower fetching (KIP-392) and catch-up throttles (KIP-73) hook in via follower-fetching.ts
 * and throttle.ts. Deviations: fetch
 * sessions (KIP-227) are implicit; one batch per produce call.
 */
import { KafkaError, type ErrorName } from '../errors';
import type { NodeConfig } from '../cluster/config';
import type { AlterPartitionItem, AlterPartitionResult } from '../controller/messages';
import type { MetadataImage } from '../metadata/image';
import type { TraceInput } from '../sim/trace';
import { Log, logConfigFromProps, type LogStore, type StorageEvent } from '../storage';
import type { ReplicaFetchPartitionData, ReplicaFetchRequest } from './messages';
import { Partition, type LeaderAppend } from './partition';
import type { TxnMarker } from '../txn/markers';
import type { AbortedTxn } from '../producer/producer-state';
import { selectPreferredReadReplica } from './follower-fetching';
import { LeaderReplicationThrottle } from './throttle';
import { ProduceOutcomes } from './produce-outcomes';
import type { RemoteStorage } from '../storage';

export interface ProduceInput {
  readonly topic: string;
  readonly partition: number;
  readonly batch: Uint8Array;
  readonly acks: number;
  readonly timeoutMs: number;
}

export interface ProduceOutput {
  readonly errorCode: ErrorName;
  readonly error: KafkaError | null;
  readonly baseOffset: number;
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
}

export interface FetchInput {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly isolationLevel: 'read_uncommitted' | 'read_committed';
  /** The consumer's client.rack (KIP-392); when set, followers may serve the fetch. */
  readonly clientRack?: string;
}

export interface FetchOutput {
  readonly errorCode: ErrorName;
  readonly error: KafkaError | null;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  readonly records: Uint8Array;
  /** read_committed only: aborted transactions overlapping the returned range (KIP-98). */
  readonly abortedTransactions?: readonly AbortedTxn[];
  /** KIP-392: the replica the consumer should fetch from instead (no records then). */
  readonly preferredReadReplica?: number;
}

interface DelayedProduce {
  readonly partition: Partition;
  readonly requiredOffset: number;
  readonly leaderEpoch: number;
  readonly minIsr: number;
  readonly deadlineMs: number;
  readonly baseOffset: number;
  readonly logAppendTimeMs: number;
  readonly respond: (out: ProduceOutput) => void;
}

interface DelayedFetch {
  readonly deadlineMs: number;
  /** Tries to complete; returns true when it answered. */
  readonly tryComplete: (expired: boolean) => boolean;
}

export interface ReplicaManagerHost {
  readonly brokerId: number;
  readonly config: NodeConfig;
  readonly store: LogStore;
  nowMs(): number;
  emit(event: TraceInput): void;
  emitStorage(event: StorageEvent): void;
  sendAlterPartition(items: readonly AlterPartitionItem[], onResult: (results: readonly AlterPartitionResult[]) => void): void;
  /** Called when the role of a local replica changed, so the fetcher can follow the new leader. */
  followersChanged(): void;
  armTimer(name: string, atMs: number): void;
  /** The object store of tiered storage (KIP-405), for topics with remote.storage.enable. */
  readonly remoteStorage?: RemoteStorage;
}

const EMPTY = new Uint8Array(0);

export class ReplicaManager {
  readonly partitions = new Map<string, Partition>();
  /** The same partitions by topic id, for follower fetches (Fetch v13 names topics by id). */
  private readonly byTopicId = new Map<string, Partition>();
  private image: MetadataImage | null = null;
  private delayedProduce: DelayedProduce[] = [];
  private delayedFetch: DelayedFetch[] = [];
  /** Replication quota for catch-up fetches this broker serves as leader (KIP-73). */
  readonly leaderThrottle: LeaderReplicationThrottle;
  /** `produce-completed` events: changes of produce outcome per replica and acks level. */
  private readonly produceOutcomes: ProduceOutcomes;

  constructor(private readonly host: ReplicaManagerHost) {
    this.leaderThrottle = new LeaderReplicationThrottle(host.brokerId, host.config);
    this.produceOutcomes = new ProduceOutcomes(host.brokerId, (event) => host.emit(event));
  }

  static key(topic: string, partition: number): string {
    return `${topic}-${partition}`;
  }

  get(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(ReplicaManager.key(topic, partition));
  }

  // ---- metadata -------------------------------------------------------------------------

  applyImage(image: MetadataImage): void {
    const previous = this.image;
    this.image = image;
    let rolesChanged = false;
    for (const [key, partition] of this.partitions) {
      const topic = image.topicsById.get(partition.topicId);
      const reg = topic?.partitions.get(partition.partitionId);
      if (reg === undefined || !reg.replicas.includes(this.host.brokerId)) {
        this.deletePartition(key, partition);
        rolesChanged = true;
      }
    }
    for (const topic of image.topicsById.values()) {
      if (previous !== null && previous.topicsById.get(topic.id) === topic) continue;
      for (const [id, reg] of topic.partitions) {
        if (!reg.replicas.includes(this.host.brokerId)) continue;
        const partition = this.getOrCreate(topic.name, id, topic.id, image);
        const change = partition.applyRegistration(reg);
        if (change === 'became-leader' || change === 'became-follower') rolesChanged = true;
      }
    }
    if (previous !== null && previous.configs !== image.configs) this.applyTopicConfigs(image);
    if (rolesChanged) {
      this.failRequestsOfFormerLeaders();
      this.host.followersChanged();
    }
    this.completeDelayed();
  }

  private getOrCreate(topic: string, partitionId: number, topicId: string, image: MetadataImage): Partition {
    const key = ReplicaManager.key(topic, partitionId);
    const existing = this.partitions.get(key);
    if (existing !== undefined && existing.topicId === topicId) return existing;
    const props: Record<string, string> = Object.fromEntries(image.topicConfigs(topic));
    const log = new Log({
      topic,
      partition: partitionId,
      config: logConfigFromProps(props),
      store: this.host.store,
      // A tiered replica created empty starts at the remote tier's end (KIP-405 follower).
      ...(props['remote.storage.enable'] === 'true' && this.host.remoteStorage !== undefined ? { remote: this.host.remoteStorage } : {}),
      nowMs: () => this.host.nowMs(),
      emit: (event) => this.host.emitStorage(event),
    });
    const partition = new Partition(topic, partitionId, topicId, log, this.host.brokerId, () => this.host.nowMs(), (e) => this.host.emit(e));
    this.partitions.set(key, partition);
    this.byTopicId.set(`${topicId}:${partitionId}`, partition);
    return partition;
  }

  /**
   * Topic configs are dynamic (kafka-configs --alter): every local replica's log takes the
   * new values (segment.ms, delete.retention.ms, min.cleanable.dirty.ratio, ...) from its
   * next action on, as Kafka's ConfigHandler updates the logs of a changed topic.
   */
  private applyTopicConfigs(image: MetadataImage): void {
    for (const partition of this.partitions.values()) {
      const props: Record<string, string> = Object.fromEntries(image.topicConfigs(partition.topic));
      partition.log.updateConfig(logConfigFromProps(props));
    }
  }

  /** The local replica of a partition named by topic id, if this broker hosts it. */
  getById(topicId: string, partition: number): Partition | undefined {
    return this.byTopicId.get(`${topicId}:${partition}`);
  }

  private deletePartition(key: string, partition: Partition): void {
    this.partitions.delete(key);
    if (this.getById(partition.topicId, partition.partitionId) === partition) this.byTopicId.delete(`${partition.topicId}:${partition.partitionId}`);
    // Deleting the topic deletes the replica's data; a topic created later with the same
    // name must start from an empty log.
    partition.log.truncateFullyAndStartAt(0);
    this.host.emit({
      type: 'replica-deleted',
      node: this.host.brokerId,
      topic: partition.topic,
      partition: partition.partitionId,
      message: `Broker ${this.host.brokerId} deleted its replica of ${key}.`,
    });
  }

  minInsyncReplicas(topic: string): number {
    const overrides = this.image?.topicConfigs(topic) ?? new Map<string, string>();
    return Number(this.host.config.topicValue('min.insync.replicas', overrides) ?? '1');
  }

  // ---- produce --------------------------------------------------------------------------

  produce(input: ProduceInput, respond: (out: ProduceOutput) => void): void {
    if (input.acks !== 0 && input.acks !== 1 && input.acks !== -1) {
      const error = new KafkaError('INVALID_REQUIRED_ACKS', `acks=${input.acks} is not valid.`, 'Use acks 0, 1 or all (-1).');
      return respond({ errorCode: error.errorName, error, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: this.get(input.topic, input.partition)?.log.logStartOffset ?? -1 });
    }
    const minIsr = this.minInsyncReplicas(input.topic);
    const partition = this.get(input.topic, input.partition);
    const traced = (out: ProduceOutput): void => {
      if (partition !== undefined) this.produceOutcomes.record(partition, { acks: input.acks, batch: input.batch, errorCode: out.errorCode, errorMessage: out.error?.message ?? null, baseOffset: out.baseOffset });
      respond(out);
    };
    this.appendAndWait(input.topic, input.partition, input.acks, input.timeoutMs, traced, (p) => p.appendAsLeader(input.batch, input.acks, minIsr));
  }

  /**
   * WriteTxnMarkers for one partition (Kafka's ReplicaManager.appendRecords with the
   * coordinator origin): the control batch is appended with acks=all and answered once the
   * high watermark passes it.
   */
  writeTxnMarker(topic: string, partition: number, marker: TxnMarker, timeoutMs: number, respond: (out: ProduceOutput) => void): void {
    const minIsr = this.minInsyncReplicas(topic);
    this.appendAndWait(topic, partition, -1, timeoutMs, respond, (p) => p.appendTxnMarker(marker, minIsr));
  }

  /** Appends on the leader, then answers at once (acks 0/1) or from the produce purgatory (acks=all). */
  private appendAndWait(topic: string, partitionId: number, acks: number, timeoutMs: number, respond: (out: ProduceOutput) => void, append: (p: Partition) => LeaderAppend): void {
    const partition = this.get(topic, partitionId);
    const fail = (error: KafkaError): void =>
      respond({ errorCode: error.errorName, error, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: partition?.log.logStartOffset ?? -1 });
    if (partition === undefined) return fail(this.unknownPartition(topic, partitionId));
    const minIsr = this.minInsyncReplicas(topic);
    let info: LeaderAppend;
    try {
      info = append(partition);
    } catch (error) {
      if (error instanceof KafkaError) return fail(error);
      throw error;
    }
    // Followers waiting in the fetch purgatory get the new batch at once.
    this.completeDelayed();
    const out: ProduceOutput = { errorCode: 'NONE', error: null, baseOffset: info.baseOffset, logAppendTimeMs: info.logAppendTimeMs, logStartOffset: partition.log.logStartOffset };
    if (acks !== -1) return respond(out);
    this.delayedProduce.push({
      partition,
      requiredOffset: info.lastOffset + 1,
      leaderEpoch: partition.leaderEpoch,
      minIsr,
      deadlineMs: this.host.nowMs() + timeoutMs,
      baseOffset: info.baseOffset,
      logAppendTimeMs: info.logAppendTimeMs,
      respond,
    });
    this.completeDelayed();
    this.armPurgatoryTimer();
  }

  unknownPartition(topic: string, partition: number): KafkaError {
    const known = this.image?.partition(topic, partition) !== undefined;
    if (known) {
      const leader = this.image?.partition(topic, partition)?.leader ?? -1;
      return new KafkaError('NOT_LEADER_OR_FOLLOWER', `Broker ${this.host.brokerId} does not host ${topic}-${partition}; its leader is ${leader === -1 ? 'unavailable' : `broker ${leader}`}.`, 'Send the request to the partition leader.');
    }
    return new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition: ${topic}-${partition}.`, 'Check the topic name with kafka-topics --list.');
  }

  /** Answers delayed produces whose batch committed, whose leader moved, or whose time ran out. */
  private completeDelayedProduce(): void {
    const now = this.host.nowMs();
    this.delayedProduce = this.delayedProduce.filter((op) => {
      const p = op.partition;
      const base = { baseOffset: op.baseOffset, logAppendTimeMs: op.logAppendTimeMs, logStartOffset: p.log.logStartOffset };
      if (!p.isLeader || p.leaderEpoch !== op.leaderEpoch || this.partitions.get(ReplicaManager.key(p.topic, p.partitionId)) !== p) {
        op.respond({ ...base, errorCode: 'NOT_LEADER_OR_FOLLOWER', error: p.notLeader() });
        return false;
      }
      if (p.highWatermark >= op.requiredOffset) {
        if (p.maximalIsr.length < op.minIsr) {
          const error = new KafkaError('NOT_ENOUGH_REPLICAS_AFTER_APPEND', `The batch at offset ${op.baseOffset} of ${p.topic}-${p.partitionId} was written, but the ISR [${p.isr.join(',')}] shrank below min.insync.replicas=${op.minIsr}.`, 'The record may be duplicated if the producer retries.');
          op.respond({ ...base, errorCode: error.errorName, error });
        } else {
          op.respond({ ...base, errorCode: 'NONE', error: null });
        }
        return false;
      }
      if (now >= op.deadlineMs) {
        const error = new KafkaError('REQUEST_TIMED_OUT', `acks=all for ${p.topic}-${p.partitionId} offset ${op.baseOffset} timed out: the ISR [${p.isr.join(',')}] did not replicate it in time.`, 'Check for slow or stopped followers; the record may still be committed later.');
        op.respond({ ...base, errorCode: error.errorName, error });
        return false;
      }
      return true;
    });
  }

  private failRequestsOfFormerLeaders(): void {
    this.completeDelayedProduce();
  }

  // ---- consumer fetch -------------------------------------------------------------------

  fetch(input: FetchInput, respond: (out: FetchOutput) => void): void {
    const deadlineMs = this.host.nowMs() + Math.max(0, input.maxWaitMs);
    const attempt = (expired: boolean): boolean => {
      const partition = this.get(input.topic, input.partition);
      const servesAsFollower = partition?.role === 'follower' && input.clientRack !== undefined;
      if (partition === undefined || (!partition.isLeader && !servesAsFollower)) {
        const error = partition?.notLeader() ?? this.unknownPartition(input.topic, input.partition);
        respond({ errorCode: error.errorName, error, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: EMPTY });
        return true;
      }
      const log = partition.log;
      const hw = partition.highWatermark;
      const lso = partition.lastStableOffset;
      const base = { highWatermark: hw, lastStableOffset: lso, logStartOffset: log.logStartOffset };
      if (input.fetchOffset < log.logStartOffset || input.fetchOffset > log.logEndOffset) {
        const error = new KafkaError('OFFSET_OUT_OF_RANGE', `Fetch offset ${input.fetchOffset} is out of range for ${input.topic}-${input.partition}: the log holds [${log.logStartOffset}, ${log.logEndOffset}).`, 'Reset the position with auto.offset.reset or kafka-consumer-groups --reset-offsets.');
        respond({ ...base, errorCode: error.errorName, error, records: EMPTY });
        return true;
      }
      // read_committed consumers stop at the last stable offset and learn which transactions
      // in the range were aborted, so they can skip those records (KIP-98).
      const committedOnly = input.isolationLevel === 'read_committed';
      const preferred = this.image === null ? null : selectPreferredReadReplica(partition, this.image, this.host.config.get('replica.selector.class'), input.clientRack, input.fetchOffset);
      if (preferred !== null) {
        respond({ ...base, errorCode: 'NONE', error: null, records: EMPTY, preferredReadReplica: preferred });
        return true;
      }
      const read = log.read(input.fetchOffset, { maxBytes: input.maxBytes, upperBoundOffset: committedOnly ? lso : hw, minOneBatch: true });
      if (read.bytes.length >= Math.max(1, input.minBytes) || expired || input.maxWaitMs <= 0) {
        const abortedTransactions = committedOnly ? partition.producerState.abortedTransactions(input.fetchOffset, read.nextOffset) : undefined;
        respond({ ...base, errorCode: 'NONE', error: null, records: read.bytes, abortedTransactions });
        return true;
      }
      return false;
    };
    if (attempt(false)) return;
    this.delayedFetch.push({ deadlineMs, tryComplete: attempt });
    this.armPurgatoryTimer();
  }

  // ---- follower fetch (leader side) -----------------------------------------------------

  handleReplicaFetch(request: ReplicaFetchRequest, respond: (partitions: readonly ReplicaFetchPartitionData[]) => void): void {
    const deadlineMs = this.host.nowMs() + request.maxWaitMs;
    let first = true;
    const attempt = (expired: boolean): boolean => {
      const data = request.partitions.map((p) => this.readForFollower(request.replicaId, p, first));
      first = false;
      const bytes = data.reduce((n, d) => n + d.records.length, 0);
      const urgent = data.some((d) => d.errorCode !== 'NONE' || d.divergingEpoch !== null);
      if (bytes >= Math.max(1, request.minBytes) || urgent || expired || request.maxWaitMs <= 0) {
        respond(data);
        return true;
      }
      return false;
    };
    if (attempt(false)) return;
    this.delayedFetch.push({ deadlineMs, tryComplete: attempt });
    this.armPurgatoryTimer();
  }

  private readForFollower(replicaId: number, p: ReplicaFetchRequest['partitions'][number], record: boolean): ReplicaFetchPartitionData {
    const partition = this.getById(p.topicId, p.partition);
    const out = (errorCode: ErrorName, extra: Partial<ReplicaFetchPartitionData> = {}): ReplicaFetchPartitionData => ({
      topicId: p.topicId,
      partition: p.partition,
      errorCode,
      highWatermark: partition?.highWatermark ?? -1,
      logStartOffset: partition?.log.logStartOffset ?? -1,
      logEndOffset: partition?.log.logEndOffset ?? -1,
      divergingEpoch: null,
      records: EMPTY,
      ...extra,
    });
    if (partition === undefined) return out('UNKNOWN_TOPIC_OR_PARTITION');
    if (!partition.isLeader) return out('NOT_LEADER_OR_FOLLOWER');
    if (p.currentLeaderEpoch < partition.leaderEpoch) return out('FENCED_LEADER_EPOCH');
    if (p.currentLeaderEpoch > partition.leaderEpoch) return out('UNKNOWN_LEADER_EPOCH');
    const log = partition.log;
    if (p.lastFetchedEpoch >= 0 && p.fetchOffset > log.logStartOffset) {
      const mine = log.endOffsetForEpoch(p.lastFetchedEpoch);
      if (mine.epoch !== p.lastFetchedEpoch || mine.endOffset < p.fetchOffset) {
        return out('NONE', { divergingEpoch: mine.epoch < 0 ? { epoch: -1, endOffset: log.logStartOffset } : mine });
      }
    }
    if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) return out('OFFSET_OUT_OF_RANGE');
    if (record) this.recordFollowerPosition(partition, replicaId, p.fetchOffset);
    // KIP-73: a throttled catch-up fetch gets no data while the leader's quota is used up.
    const limit = this.leaderThrottle.limit(this.image, partition.topic, partition.partitionId, partition.isr, replicaId, this.host.nowMs());
    if (limit <= 0) return out('NONE');
    const read = log.read(p.fetchOffset, { maxBytes: Math.min(this.host.config.int('replica.fetch.max.bytes'), p.partitionMaxBytes ?? Infinity, limit), minOneBatch: true });
    this.leaderThrottle.recordRead(this.image, partition.topic, partition.partitionId, partition.isr, replicaId, read.bytes.length);
    return out('NONE', { records: read.bytes });
  }

  private recordFollowerPosition(partition: Partition, replicaId: number, fetchOffset: number): void {
    partition.updateFollowerFetch(replicaId, fetchOffset);
    const active = this.image?.isActiveBroker(replicaId) ?? false;
    const expand = partition.maybeExpandIsr(replicaId, active);
    if (expand !== null) this.sendAlterPartition([expand]);
    if (partition.maybeIncrementHighWatermark()) this.completeDelayed();
  }

  // ---- ISR maintenance ------------------------------------------------------------------

  /** The isr-expiration task: propose shrinking the ISR of partitions with lagging followers. */
  shrinkIsrs(): void {
    const lagTimeMaxMs = this.host.config.int('replica.lag.time.max.ms');
    const items: AlterPartitionItem[] = [];
    for (const partition of this.partitions.values()) {
      const item = partition.maybeShrinkIsr(lagTimeMaxMs);
      if (item !== null) items.push(item);
    }
    if (items.length > 0) this.sendAlterPartition(items);
  }

  private sendAlterPartition(items: readonly AlterPartitionItem[]): void {
    this.host.sendAlterPartition(items, (results) => {
      for (const result of results) {
        const partition = this.getById(result.topicId, result.partitionIndex);
        partition?.handleAlterPartitionResult(result);
      }
      this.completeDelayed();
    });
  }

  /** The AlterPartition request failed as a whole (timeout): allow a new proposal. */
  clearPendingIsr(items: readonly AlterPartitionItem[]): void {
    for (const item of items) {
      const partition = this.getById(item.topicId, item.partitionIndex);
      if (partition !== undefined) partition.pendingIsr = null;
    }
  }

  // ---- purgatory ------------------------------------------------------------------------

  completeDelayed(): void {
    this.completeDelayedProduce();
    const now = this.host.nowMs();
    const waiting = this.delayedFetch;
    this.delayedFetch = [];
    for (const op of waiting) if (!op.tryComplete(now >= op.deadlineMs)) this.delayedFetch.push(op);
    this.armPurgatoryTimer();
  }

  private armPurgatoryTimer(): void {
    const deadlines = [...this.delayedProduce.map((d) => d.deadlineMs), ...this.delayedFetch.map((d) => d.deadlineMs)];
    if (deadlines.length > 0) this.host.armTimer('purgatory', Math.min(...deadlines));
  }

  /** Flushes every log (clean shutdown). */
  flushAll(): void {
    for (const partition of this.partitions.values()) partition.log.flush();
  }

  crashAll(): void {
    for (const partition of this.partitions.values()) partition.log.crash();
  }
}
