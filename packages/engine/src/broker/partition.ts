/**
 * One partition replica on one broker (Kafka's Partition.scala): its log, its role, and,
 * when it leads, what it knows about its followers.
 *
 * Roles: leader, follower, or offline (the metadata names no leader). The role and the
 * leader epoch come only from the metadata image; the partition never promotes itself.
 *
 * As leader it tracks each follower's log end offset from its fetches and the last time
 * the follower was caught up (KIP-16 style: caught up to the leader's LEO at the previous
 * fetch). The high watermark is the smallest LEO among the ISR, and it only moves forward.
 * It proposes ISR changes to the controller with AlterPartition (KIP-497): expansion once
 * a follower reaches the high watermark, shrinking after `replica.lag.time.max.ms` without
 * catching up. While a change is in flight, the "maximal ISR" (current ISR plus any
 * replica being added) decides the high watermark, so it can never advance on a promise.
 *
 * Producer state (KIP-98): every replica keeps a ProducerStateManager. The leader checks each
 * produced batch with it before assigning offsets (a retried batch is answered with its
 * original offsets, a fenced or out-of-order one is refused) and replays it after the
 * append; followers replay what they fetch; a new leader and a truncated follower rebuild
 * it from the log. It gives the last stable offset (LSO) and the aborted-transaction index
 * that read_committed fetches use.
 *
 * Deviations from Kafka: no eligible leader replicas (KIP-966); during a reassignment the
 * leader tracks adding replicas like any follower (replica-set.ts), with no separate states;
 * producer state is rebuilt from the whole log rather than from a snapshot file.
 */
import { assert } from '../assert';
import { syncFollowers } from './replica-set';
import { KafkaError } from '../errors';
import type { PartitionRegistration } from '../metadata/image';
import { NO_LEADER } from '../metadata/records';
import type { TraceInput } from '../sim/trace';
import { readBatchHeader, RECORD_BATCH_OVERHEAD, type Log, type AppendOrigin } from '../storage';
import type { AlterPartitionItem, AlterPartitionResult } from '../controller/messages';
import { ProducerStateManager } from '../producer/producer-state';
import { encodeTxnMarker, type TxnMarker } from '../txn/markers';
import { forEachBatch, forEachLogBatch, producerBatchInfo } from './producer-log';

export interface FollowerState {
  readonly brokerId: number;
  /** -1 until the follower fetches in this leader epoch. */
  logEndOffset: number;
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  lastFetchLeaderLogEndOffset: number;
}

export type PartitionRole = 'leader' | 'follower' | 'offline';

/** Where a leader append landed; a retried idempotent batch keeps its original offsets. */
export interface LeaderAppend {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly logAppendTimeMs: number;
  readonly duplicate: boolean;
}

export class Partition {
  role: PartitionRole = 'offline';
  leaderId = NO_LEADER;
  leaderEpoch = -1;
  partitionEpoch = -1;
  replicas: readonly number[] = [];
  isr: readonly number[] = [];
  leaderRecoveryState = 0;
  /** ISR change sent to the controller and not yet answered. */
  pendingIsr: { readonly isr: readonly number[]; readonly expanding: boolean } | null = null;
  readonly followers = new Map<number, FollowerState>();
  /** Offset where this broker's current leadership began (the LEO when it became leader). */
  leaderEpochStartOffset = 0;
  /** Idempotence and transaction state rebuilt from this replica's log (KIP-98). */
  producerState: ProducerStateManager;
  /** Producer-state events are told only on the leader's live path, not on replays. */
  private producerEventsOn = false;
  /** The high watermark before the update in progress, to tell whether the LSO was held back. */
  private previousHighWatermark = 0;

  constructor(
    readonly topic: string,
    readonly partitionId: number,
    readonly topicId: string,
    readonly log: Log,
    private readonly brokerId: number,
    private readonly nowMs: () => number,
    private readonly emit: (event: TraceInput) => void,
  ) {
    this.producerState = this.rebuildProducerState();
  }

  /** Rebuilds producer state from every batch of the local log (load, leader change, truncation). */
  rebuildProducerState(): ProducerStateManager {
    const state = new ProducerStateManager(this.topic, this.partitionId, (event) => this.onProducerEvent(event));
    forEachLogBatch(this.log, this.log.logStartOffset, (bytes, header) => state.replayBatch(producerBatchInfo(bytes, header)));
    state.updateHighWatermark(this.log.highWatermark);
    this.producerState = state;
    return state;
  }

  private onProducerEvent(event: TraceInput): void {
    if (!this.producerEventsOn) return;
    if (event.type === 'lso-moved') {
      // With no transaction in the way the LSO simply follows the high watermark; only moves
      // that a transaction holds back (or releases) are worth telling.
      const data = event.data as { from: number; to: number; highWatermark: number };
      if (data.to >= data.highWatermark && data.from >= this.previousHighWatermark) return;
    }
    this.emit({ ...event, node: this.brokerId });
  }

  private withProducerEvents<T>(body: () => T): T {
    const before = this.producerEventsOn;
    this.producerEventsOn = true;
    try {
      return body();
    } finally {
      this.producerEventsOn = before;
    }
  }

  /** Read_committed consumers read below this offset: min(high watermark, first open transaction). */
  get lastStableOffset(): number {
    return this.producerState.lastStableOffset(this.log.highWatermark);
  }

  get isLeader(): boolean {
    return this.role === 'leader';
  }

  get highWatermark(): number {
    return this.log.highWatermark;
  }

  /** ISR that governs the high watermark: the current ISR plus a replica being added. */
  get maximalIsr(): readonly number[] {
    return this.pendingIsr?.expanding ? this.pendingIsr.isr : this.isr;
  }

  /** Applies the partition's registration from the metadata image; returns what changed. */
  applyRegistration(reg: PartitionRegistration): 'became-leader' | 'became-follower' | 'updated' | 'none' {
    const newEpoch = reg.leaderEpoch !== this.leaderEpoch;
    const wasLeader = this.isLeader;
    if (!newEpoch && reg.partitionEpoch <= this.partitionEpoch) return 'none';
    this.replicas = reg.replicas;
    this.isr = reg.isr;
    this.partitionEpoch = reg.partitionEpoch;
    this.leaderRecoveryState = reg.leaderRecoveryState;
    this.pendingIsr = null;
    if (!newEpoch) {
      if (this.isLeader) {
        // A reassignment changes the replica list without a new leader epoch.
        syncFollowers(this.followers, this.replicas, this.brokerId);
        this.maybeIncrementHighWatermark();
      }
      return 'updated';
    }
    this.leaderEpoch = reg.leaderEpoch;
    this.leaderId = reg.leader;
    if (reg.leader === this.brokerId) {
      this.makeLeader();
      return 'became-leader';
    }
    this.role = reg.leader === NO_LEADER ? 'offline' : 'follower';
    this.followers.clear();
    return wasLeader || this.role === 'follower' ? 'became-follower' : 'updated';
  }

  private makeLeader(): void {
    this.role = 'leader';
    this.leaderEpochStartOffset = this.log.logEndOffset;
    this.rebuildProducerState();
    const now = this.nowMs();
    this.followers.clear();
    for (const id of this.replicas) {
      if (id === this.brokerId) continue;
      // ISR members count as caught up when leadership starts, as in Kafka.
      const caughtUp = this.isr.includes(id) ? now : 0;
      this.followers.set(id, { brokerId: id, logEndOffset: -1, lastCaughtUpTimeMs: caughtUp, lastFetchTimeMs: 0, lastFetchLeaderLogEndOffset: -1 });
    }
    this.emit({
      type: 'became-leader',
      node: this.brokerId,
      topic: this.topic,
      partition: this.partitionId,
      message: `Broker ${this.brokerId} is now leader of ${this.topic}-${this.partitionId} in leader epoch ${this.leaderEpoch} (LEO ${this.log.logEndOffset}, HW ${this.log.highWatermark}).`,
      data: { leaderEpoch: this.leaderEpoch, logEndOffset: this.log.logEndOffset, highWatermark: this.log.highWatermark },
    });
    this.maybeIncrementHighWatermark();
  }

  // ---- leader: produce ------------------------------------------------------------------

  /**
   * Appends a produced batch: min.insync.replicas, then the producer-state check (a retry of
   * one of the producer's last five batches is answered with its original offsets; a fenced
   * epoch or a sequence gap is refused with Kafka's error), then the append and its replay.
   */
  appendAsLeader(batch: Uint8Array, requiredAcks: number, minInsyncReplicas: number, origin: AppendOrigin = 'client'): LeaderAppend {
    if (!this.isLeader) throw this.notLeader();
    if (requiredAcks === -1 && this.isr.length < minInsyncReplicas) {
      throw new KafkaError(
        'NOT_ENOUGH_REPLICAS',
        `The size of the current ISR [${this.isr.join(',')}] is insufficient to satisfy the min.isr requirement of ${minInsyncReplicas} for partition ${this.topic}-${this.partitionId}.`,
        'Bring replicas back (broker start <id>) or produce with acks=1.',
      );
    }
    return this.withProducerEvents(() => {
      const header = batch.length >= RECORD_BATCH_OVERHEAD ? readBatchHeader(batch, 0) : null;
      if (header !== null) {
        const check = this.producerState.checkAppend(producerBatchInfo(batch, header));
        if (check.kind === 'error') throw new KafkaError(check.error, check.message, producerErrorSuggestion(check.error));
        if (check.kind === 'duplicate') return { baseOffset: check.firstOffset, lastOffset: check.lastOffset, logAppendTimeMs: -1, duplicate: true };
      }
      const info = this.log.appendAsLeader(batch, this.leaderEpoch, origin);
      if (header !== null) this.producerState.replayBatch(producerBatchInfo(batch, readBatchHeader(batch, 0)));
      this.maybeIncrementHighWatermark();
      return { baseOffset: info.baseOffset, lastOffset: info.lastOffset, logAppendTimeMs: info.logAppendTimeMs, duplicate: false };
    });
  }

  /** WriteTxnMarkers: the transaction coordinator's COMMIT or ABORT control batch. */
  appendTxnMarker(marker: TxnMarker, minInsyncReplicas: number): LeaderAppend {
    const batch = encodeTxnMarker({ ...marker, timestampMs: this.nowMs() });
    return this.appendAsLeader(batch, -1, minInsyncReplicas, 'coordinator');
  }

  /** A follower appends what it fetched and replays it into its producer state. */
  appendAsFollower(records: Uint8Array): void {
    this.log.appendAsFollower(records);
    forEachBatch(records, (bytes, header) => this.producerState.replayBatch(producerBatchInfo(bytes, header)));
  }

  notLeader(): KafkaError {
    return new KafkaError(
      'NOT_LEADER_OR_FOLLOWER',
      `Broker ${this.brokerId} is not the leader of ${this.topic}-${this.partitionId}${this.leaderId === NO_LEADER ? ' (the partition has no leader)' : ` (the leader is broker ${this.leaderId})`}.`,
      'Clients refresh metadata and retry against the new leader.',
    );
  }

  // ---- leader: follower fetches ---------------------------------------------------------

  /** Records a follower's fetch position (its LEO) and when it was last caught up. */
  updateFollowerFetch(replicaId: number, fetchOffset: number): void {
    const follower = this.followers.get(replicaId);
    if (follower === undefined) return;
    const now = this.nowMs();
    const leaderEnd = this.log.logEndOffset;
    if (fetchOffset >= leaderEnd) follower.lastCaughtUpTimeMs = now;
    else if (fetchOffset >= follower.lastFetchLeaderLogEndOffset) follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, follower.lastFetchTimeMs);
    follower.logEndOffset = fetchOffset;
    follower.lastFetchTimeMs = now;
    follower.lastFetchLeaderLogEndOffset = leaderEnd;
  }

  /** Advances the high watermark to the smallest LEO in the maximal ISR; true if it moved. */
  maybeIncrementHighWatermark(): boolean {
    if (!this.isLeader) return false;
    let hw = this.log.logEndOffset;
    for (const id of this.maximalIsr) {
      if (id === this.brokerId) continue;
      hw = Math.min(hw, this.followers.get(id)?.logEndOffset ?? -1);
    }
    const old = this.log.highWatermark;
    if (hw <= old) return false;
    this.log.updateHighWatermark(hw);
    this.previousHighWatermark = old;
    this.withProducerEvents(() => this.producerState.updateHighWatermark(hw));
    this.emit({
      type: 'hw-advanced',
      node: this.brokerId,
      topic: this.topic,
      partition: this.partitionId,
      message: `${this.topic}-${this.partitionId}: high watermark ${old} → ${hw} on leader ${this.brokerId} (every ISR member [${this.maximalIsr.join(',')}] has reached offset ${hw}).`,
      data: { from: old, to: hw, leaderEpoch: this.leaderEpoch },
    });
    return true;
  }

  /** An ISR expansion to propose if this follower has caught up, else null. */
  maybeExpandIsr(replicaId: number, replicaIsActive: boolean): AlterPartitionItem | null {
    if (!this.isLeader || this.pendingIsr !== null || this.isr.includes(replicaId) || !replicaIsActive) return null;
    const follower = this.followers.get(replicaId);
    if (follower === undefined) return null;
    const end = follower.logEndOffset;
    if (end < this.log.highWatermark || end < this.leaderEpochStartOffset) return null;
    return this.proposeIsr([...this.isr, replicaId], true, `follower ${replicaId} caught up to the high watermark ${this.log.highWatermark}`);
  }

  /** ISR members that have not caught up for longer than `lagTimeMaxMs`. */
  outOfSyncReplicas(lagTimeMaxMs: number): number[] {
    const now = this.nowMs();
    return this.isr.filter((id) => {
      if (id === this.brokerId) return false;
      const follower = this.followers.get(id);
      return follower !== undefined && now - follower.lastCaughtUpTimeMs > lagTimeMaxMs;
    });
  }

  maybeShrinkIsr(lagTimeMaxMs: number): AlterPartitionItem | null {
    if (!this.isLeader || this.pendingIsr !== null) return null;
    const lagging = this.outOfSyncReplicas(lagTimeMaxMs);
    if (lagging.length === 0) return null;
    const isr = this.isr.filter((id) => !lagging.includes(id));
    return this.proposeIsr(isr, false, `follower(s) ${lagging.join(',')} not caught up for more than ${lagTimeMaxMs} ms (replica.lag.time.max.ms)`);
  }

  private proposeIsr(isr: readonly number[], expanding: boolean, reason: string): AlterPartitionItem {
    this.pendingIsr = { isr, expanding };
    this.emit({
      type: expanding ? 'isr-expand-proposed' : 'isr-shrink-proposed',
      node: this.brokerId,
      topic: this.topic,
      partition: this.partitionId,
      message: `Leader ${this.brokerId} asks the controller to change the ISR of ${this.topic}-${this.partitionId} from [${this.isr.join(',')}] to [${isr.join(',')}]: ${reason}.`,
      data: { isr: this.isr, proposedIsr: isr, partitionEpoch: this.partitionEpoch },
    });
    return {
      topicId: this.topicId,
      partitionIndex: this.partitionId,
      leaderEpoch: this.leaderEpoch,
      newIsr: isr,
      partitionEpoch: this.partitionEpoch,
      leaderRecoveryState: -1,
    };
  }

  /** Applies the controller's answer to an AlterPartition proposal. */
  handleAlterPartitionResult(result: AlterPartitionResult): void {
    if (result.errorCode !== 'NONE') {
      // Stale proposal (epoch moved on): wait for the metadata image to tell the truth.
      this.pendingIsr = null;
      return;
    }
    if (result.leaderEpoch !== this.leaderEpoch || result.partitionEpoch <= this.partitionEpoch) {
      this.pendingIsr = null;
      return;
    }
    this.isr = result.isr;
    this.partitionEpoch = result.partitionEpoch;
    this.pendingIsr = null;
    this.maybeIncrementHighWatermark();
  }

  // ---- follower -------------------------------------------------------------------------

  /** The follower's high watermark is the leader's, capped by what it holds itself. */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    assert(!this.isLeader, 'a leader computes its own high watermark');
    const hw = Math.min(leaderHighWatermark, this.log.logEndOffset);
    if (hw > this.log.highWatermark) {
      this.log.updateHighWatermark(hw);
      this.producerState.updateHighWatermark(hw);
    }
  }

  /** Truncates a diverging suffix (KIP-101/279/320) to where this log and the leader's agree. */
  truncateToDivergence(diverging: { epoch: number; endOffset: number }): void {
    const mine = this.log.endOffsetForEpoch(diverging.epoch);
    const agreed = mine.endOffset < 0 ? this.log.logStartOffset : Math.min(diverging.endOffset, mine.endOffset);
    const offset = Math.min(agreed, this.log.logEndOffset);
    const removed = this.log.logEndOffset - offset;
    if (removed <= 0) return;
    this.log.truncateTo(offset);
    this.rebuildProducerState();
    this.emit({
      type: 'log-truncated',
      node: this.brokerId,
      topic: this.topic,
      partition: this.partitionId,
      message: `Follower ${this.brokerId} truncated ${this.topic}-${this.partitionId} to offset ${offset}, removing ${removed} record(s) the leader never had: its log diverged after epoch ${diverging.epoch}.`,
      data: { offset, removed, divergingEpoch: diverging.epoch, divergingEndOffset: diverging.endOffset },
    });
  }
}

function producerErrorSuggestion(error: string): string {
  switch (error) {
    case 'INVALID_PRODUCER_EPOCH':
    case 'PRODUCER_FENCED':
      return 'A newer producer with the same transactional.id took over; close this one.';
    case 'OUT_OF_ORDER_SEQUENCE_NUMBER':
      return 'A batch before this one was lost; the producer must bump its epoch (or restart) to continue.';
    case 'UNKNOWN_PRODUCER_ID':
      return 'The partition forgot this producer (producer.id.expiration.ms); it gets a new producer id.';
    default:
      return 'See the producer state with kafka-transactions describe-producers.';
  }
}
