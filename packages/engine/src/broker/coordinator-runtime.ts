/**
 * Hosting of coordinator shards on a broker (Kafka's CoordinatorRuntime, KIP-848's
 * design, shared by the group and transaction coordinators): one shard per partition of an
 * internal topic (`__consumer_offsets`, `__transaction_state`) that this broker leads.
 *
 * Shard states: loading (it became leader and replayed its log, but the high watermark has
 * not yet reached the log end it replayed to, so requests get COORDINATOR_LOAD_IN_PROGRESS)
 * → active → unloaded (leadership moved: requests get NOT_COORDINATOR and waiting ones are
 * answered with it). A shard is rebuilt from scratch on every new leader epoch.
 *
 * Writes: a command's records go to the partition as one batch with acks=all, and its
 * response is released only once the high watermark passes the batch. A response without
 * records still waits for earlier writes of the shard, so no answer ever reports state
 * that a failover could lose. If a write fails the shard reloads from its log, which drops
 * the in-memory effects of records that never made it there.
 *
 * Deviation: Kafka keeps a timeline of uncommitted state and serves reads from committed
 * state; here the shard applies records at once and holds the responses instead.
 */
import type { ErrorName } from '../errors';
import type { TraceInput } from '../sim/trace';
import type { BatchHeader } from '../storage';
import type { Partition } from './partition';
import { forEachLogBatch } from './producer-log';
import type { ProduceOutput, ReplicaManager } from './replica-manager';

export interface Shard<S> {
  readonly partition: number;
  readonly leaderEpoch: number;
  state: S;
  loaded: boolean;
  /** The log end offset the shard replayed to when it was (re)loaded. */
  loadEndOffset: number;
  /** Callbacks of the newest write that has not committed yet. */
  tail: Array<(error: ErrorName | null) => void> | null;
  /** After a failed write the shard's timers wait until then, so a failing write is not retried in a tight loop. */
  backoffUntilMs: number;
}

/** What a kind of coordinator plugs into the runtime. */
export interface ShardFactory<S> {
  create(partition: number, leaderEpoch: number): S;
  replay(state: S, bytes: Uint8Array, header: BatchHeader): void;
  /** Loading finished: start timers, resend what a predecessor left unfinished. */
  completeLoad(shard: Shard<S>, nowMs: number): void;
  /** The shard is going away (or reloading): answer whatever still waits on it. */
  unload(shard: Shard<S>, error: ErrorName): void;
  nextDeadlineMs(state: S): number | null;
  onTimer(shard: Shard<S>, nowMs: number): void;
}

export interface RuntimeHost {
  readonly brokerId: number;
  readonly replicaManager: ReplicaManager;
  nowMs(): number;
  emit(event: TraceInput): void;
  armTimer(atMs: number): void;
  /** How long a write may wait for the ISR (offsets.commit.timeout.ms). */
  readonly writeTimeoutMs: number;
}

/** How long a loading shard waits before it checks the high watermark again. */
const LOAD_CHECK_MS = 20;
/** How long a shard's timers pause after a failed write (Kafka's coordinators retry after a backoff too). */
const WRITE_RETRY_BACKOFF_MS = 100;

export class CoordinatorRuntime<S> {
  readonly shards = new Map<number, Shard<S>>();
  private armedAtMs: number | null = null;

  constructor(
    readonly topic: string,
    private readonly host: RuntimeHost,
    private readonly factory: ShardFactory<S>,
  ) {}

  /** After a metadata change: load shards for partitions we now lead, unload the others. */
  refresh(): void {
    const led = new Map<number, Partition>();
    for (const p of this.host.replicaManager.partitions.values()) if (p.topic === this.topic && p.isLeader) led.set(p.partitionId, p);
    for (const [id, shard] of [...this.shards]) {
      const p = led.get(id);
      if (p === undefined || p.leaderEpoch !== shard.leaderEpoch) this.unload(shard, 'NOT_COORDINATOR', 'leadership moved');
    }
    for (const [id, p] of led) if (!this.shards.has(id)) this.load(p);
    this.poll();
  }

  private load(p: Partition): void {
    const shard: Shard<S> = { partition: p.partitionId, leaderEpoch: p.leaderEpoch, state: this.factory.create(p.partitionId, p.leaderEpoch), loaded: false, loadEndOffset: 0, tail: null, backoffUntilMs: 0 };
    this.shards.set(p.partitionId, shard);
    this.replayLog(shard, p);
    this.host.emit({
      type: 'coordinator-loading',
      node: this.host.brokerId,
      topic: this.topic,
      partition: p.partitionId,
      message: `Broker ${this.host.brokerId} leads ${this.topic}-${p.partitionId} (leader epoch ${p.leaderEpoch}) and becomes its coordinator: it replayed offsets ${p.log.logStartOffset}..${shard.loadEndOffset} of the log.`,
      data: { leaderEpoch: p.leaderEpoch, loadEndOffset: shard.loadEndOffset },
    });
    this.checkLoaded(shard);
  }

  private replayLog(shard: Shard<S>, p: Partition): void {
    forEachLogBatch(p.log, p.log.logStartOffset, (bytes, header) => this.factory.replay(shard.state, bytes, header));
    shard.loadEndOffset = p.log.logEndOffset;
  }

  private unload(shard: Shard<S>, error: ErrorName, why: string): void {
    this.shards.delete(shard.partition);
    this.factory.unload(shard, error);
    this.host.emit({ type: 'coordinator-unloaded', node: this.host.brokerId, topic: this.topic, partition: shard.partition, message: `Broker ${this.host.brokerId} is no longer the coordinator for ${this.topic}-${shard.partition} (${why}).`, data: { leaderEpoch: shard.leaderEpoch } });
  }

  private partitionOf(shard: Shard<S>): Partition | undefined {
    const p = this.host.replicaManager.get(this.topic, shard.partition);
    return p !== undefined && p.isLeader && p.leaderEpoch === shard.leaderEpoch ? p : undefined;
  }

  /** A loading shard becomes active once everything it replayed is committed. */
  private checkLoaded(shard: Shard<S>): boolean {
    if (shard.loaded) return true;
    const p = this.partitionOf(shard);
    if (p === undefined || p.highWatermark < shard.loadEndOffset) return false;
    shard.loaded = true;
    this.factory.completeLoad(shard, this.host.nowMs());
    this.host.emit({ type: 'coordinator-loaded', node: this.host.brokerId, topic: this.topic, partition: shard.partition, message: `Broker ${this.host.brokerId} finished loading ${this.topic}-${shard.partition} and serves its coordinator requests.`, data: { leaderEpoch: shard.leaderEpoch } });
    return true;
  }

  /** The active shard for a partition, or the error a client gets instead. */
  active(partition: number): Shard<S> | ErrorName {
    const shard = this.shards.get(partition);
    if (shard === undefined || this.partitionOf(shard) === undefined) return 'NOT_COORDINATOR';
    return this.checkLoaded(shard) ? shard : 'COORDINATOR_LOAD_IN_PROGRESS';
  }

  /**
   * Appends a command's batch (or, with null, nothing) and calls `done` once it and every
   * earlier write of the shard have committed, or with the error a client should see.
   */
  write(shard: Shard<S>, batch: Uint8Array | null, done: (error: ErrorName | null) => void): void {
    if (batch === null) {
      if (shard.tail === null) done(null);
      else shard.tail.push(done);
      return;
    }
    const callbacks: Array<(error: ErrorName | null) => void> = [done];
    shard.tail = callbacks;
    this.host.replicaManager.produce({ topic: this.topic, partition: shard.partition, batch, acks: -1, timeoutMs: this.host.writeTimeoutMs }, (out) => {
      if (shard.tail === callbacks) shard.tail = null;
      const error = writeError(out);
      if (error !== null && this.shards.get(shard.partition) === shard) this.reload(shard, out);
      for (const callback of callbacks) callback(error);
      this.poll();
    });
  }

  /** A write failed while we still lead: rebuild the shard from what the log really holds. */
  private reload(shard: Shard<S>, out: ProduceOutput): void {
    const p = this.partitionOf(shard);
    if (p === undefined) return this.unload(shard, 'NOT_COORDINATOR', 'leadership moved');
    this.factory.unload(shard, 'COORDINATOR_NOT_AVAILABLE');
    shard.state = this.factory.create(shard.partition, shard.leaderEpoch);
    shard.loaded = false;
    shard.backoffUntilMs = this.host.nowMs() + WRITE_RETRY_BACKOFF_MS;
    this.replayLog(shard, p);
    this.host.emit({ type: 'coordinator-reloaded', node: this.host.brokerId, topic: this.topic, partition: shard.partition, message: `A write to ${this.topic}-${shard.partition} failed (${out.errorCode}); the coordinator reloads its state from the log.`, data: { error: out.errorCode } });
    this.checkLoaded(shard);
  }

  /** Arms the broker timer for the earliest shard deadline (or a loading check). */
  poll(): void {
    const now = this.host.nowMs();
    let next: number | null = null;
    for (const shard of this.shards.values()) {
      const due = shard.loaded ? this.factory.nextDeadlineMs(shard.state) : now + LOAD_CHECK_MS;
      const at = due === null ? null : Math.max(due, shard.backoffUntilMs);
      if (at !== null) next = next === null ? at : Math.min(next, at);
    }
    if (next === null) return;
    if (this.armedAtMs !== null && this.armedAtMs <= next && this.armedAtMs >= now) return;
    this.armedAtMs = Math.max(next, now);
    this.host.armTimer(this.armedAtMs);
  }

  onTimer(): void {
    this.armedAtMs = null;
    const now = this.host.nowMs();
    for (const shard of [...this.shards.values()]) {
      if (!this.checkLoaded(shard) || now < shard.backoffUntilMs) continue;
      const due = this.factory.nextDeadlineMs(shard.state);
      if (due !== null && due <= now) this.factory.onTimer(shard, now);
    }
    this.poll();
  }
}

/** Kafka's mapping of append errors onto what a coordinator's client is told. */
function writeError(out: ProduceOutput): ErrorName | null {
  switch (out.errorCode) {
    case 'NONE':
      return null;
    case 'NOT_LEADER_OR_FOLLOWER':
    case 'KAFKA_STORAGE_ERROR':
      return 'NOT_COORDINATOR';
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'NOT_ENOUGH_REPLICAS':
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
    case 'REQUEST_TIMED_OUT':
      return 'COORDINATOR_NOT_AVAILABLE';
    case 'INVALID_PRODUCER_EPOCH':
    case 'PRODUCER_FENCED':
      return 'PRODUCER_FENCED';
    default:
      return 'UNKNOWN_SERVER_ERROR';
  }
}
