/**
 * The transaction coordinator as a broker runs it: one TransactionCoordinator shard per
 * partition of `__transaction_state` this broker leads, with the partition's leader epoch
 * as its coordinator epoch (stamped on every marker, so a deposed coordinator's markers are
 * refused). Routing is `transactionCoordinatorPartition(transactionalId, n)`.
 *
 * Producer ids come in blocks from the controller (AllocateProducerIds, which commits a
 * ProducerIdsRecord through the quorum); the broker hands small slices of its block to
 * its shards, and single ids to idempotent producers without a transactional id.
 *
 * Markers: once a PrepareCommit/PrepareAbort is committed, the shard sends WriteTxnMarkers
 * to the leader of every partition in the transaction over the broker network, retries
 * after retry.backoff.ms on retriable errors or no answer, and completes the transaction
 * when the last partition acknowledges. A new coordinator resends the markers of every
 * decided but unfinished transaction it loads (failover).
 *
 * Deviations: markers are not batched across transactions; the producer-id slice a shard
 * takes (10 ids) is this lab's choice.
 */
import type { ErrorName } from '../errors';
import { transactionCoordinatorPartition } from '../group/common';
import type { NodeConfig } from '../cluster/config';
import type { MetadataImage } from '../metadata/image';
import { NO_LEADER } from '../metadata/records';
import {
  TransactionCoordinator, type AddPartitionsToTxnResponse, type DescribedTransaction, type InitProducerIdResponse, type MarkerRequest,
  type TxnEffects, type TxnRequestBase, type TxnResult, type TxnTopics,
} from '../txn/transaction-coordinator';
import type { TransactionState } from '../txn/records';
import { decodeTransactionRecords, encodeCoordinatorBatch } from './coordinator-records';
import { CoordinatorRuntime, type RuntimeHost, type Shard } from './coordinator-runtime';
import type { TxnMarkerEntry, TxnMarkerMessage, TxnMarkerResult, WriteTxnMarkersResponse } from './messages';

export const TRANSACTION_TOPIC = '__transaction_state';
const SHARD_ID_SLICE = 10;

interface TxnShardState {
  readonly coordinator: TransactionCoordinator;
  /** Marker key → when it was sent; markers not here are sent at the next chance. */
  readonly inflight: Map<string, number>;
  /** Earliest time a marker should be (re)sent, or null when none waits. */
  retryAtMs: number | null;
}

export interface TxnHostOptions extends RuntimeHost {
  readonly config: NodeConfig;
  image(): MetadataImage;
  offsetsTopicPartitions(): number;
  send(to: number, message: TxnMarkerMessage): void;
  /** Asks the controller for a block of producer ids; calls back with it or null. */
  allocateProducerIds(callback: (block: { start: number; length: number } | null) => void): void;
  /** A marker was written to a local partition (the group coordinator replays those on `__consumer_offsets`). */
  onMarkerAppended(topic: string, partition: number, producerId: number, commit: boolean): void;
}

const markerKey = (m: MarkerRequest): string => `${m.transactionalId}\u0000${m.topic}\u0000${m.partition}\u0000${m.producerEpoch}`;

function num(config: NodeConfig, key: string, fallback: number): number {
  const n = Number(config.get(key));
  return Number.isFinite(n) && config.get(key) !== undefined ? n : fallback;
}

export class TxnCoordinatorHost {
  readonly runtime: CoordinatorRuntime<TxnShardState>;
  /** Producer-id blocks from the controller, oldest first. */
  private readonly blocks: Array<{ next: number; end: number }> = [];
  private requestingBlock = false;
  private correlationId = 0;
  /** Marker requests in flight, by correlation id: which shard sent which markers. */
  private readonly sent = new Map<number, { shard: Shard<TxnShardState>; markers: MarkerRequest[] }>();

  constructor(private readonly options: TxnHostOptions) {
    const config = options.config;
    this.runtime = new CoordinatorRuntime<TxnShardState>(TRANSACTION_TOPIC, options, {
      create: (_partition, leaderEpoch) => ({
        coordinator: new TransactionCoordinator({
          coordinatorEpoch: leaderEpoch,
          emit: (e) => options.emit({ ...e, node: options.brokerId }),
          config: {
            transactionMaxTimeoutMs: num(config, 'transaction.max.timeout.ms', 900_000),
            transactionalIdExpirationMs: num(config, 'transactional.id.expiration.ms', 604_800_000),
            transactionAbortTimedOutTransactionCleanupIntervalMs: num(config, 'transaction.abort.timed.out.transaction.cleanup.interval.ms', 10_000),
            offsetsTopicNumPartitions: options.offsetsTopicPartitions(),
          },
        }),
        inflight: new Map(),
        retryAtMs: null,
      }),
      replay: (state, bytes, header) => {
        for (const record of decodeTransactionRecords(bytes, header)) state.coordinator.replay(record);
      },
      completeLoad: (shard, nowMs) => this.sendMarkers(shard, shard.state.coordinator.completeLoad(nowMs).markers),
      unload: (shard) => shard.state.inflight.clear(),
      nextDeadlineMs: (state) => minOf(state.coordinator.nextDeadlineMs(), state.retryAtMs),
      onTimer: (shard, nowMs) => this.onShardTimer(shard, nowMs),
    });
  }

  numPartitions(): number {
    return this.options.image().topic(TRANSACTION_TOPIC)?.partitions.size ?? this.options.config.int('transaction.state.log.num.partitions');
  }

  partitionFor(transactionalId: string): number {
    return transactionCoordinatorPartition(transactionalId, this.numPartitions());
  }

  // ---- producer ids -----------------------------------------------------------------------

  /** Up to `count` ids from the broker's blocks; asks the controller for more when they run low. */
  private takeIds(count: number): { first: number; size: number } | null {
    while (this.blocks.length > 0 && this.blocks[0]!.next >= this.blocks[0]!.end) this.blocks.shift();
    const left = this.blocks.reduce((n, b) => n + (b.end - b.next), 0);
    if (left < SHARD_ID_SLICE * 2) this.requestBlock();
    const block = this.blocks[0];
    if (block === undefined) return null;
    const size = Math.min(count, block.end - block.next);
    const first = block.next;
    block.next += size;
    return { first, size };
  }

  private requestBlock(): void {
    if (this.requestingBlock) return;
    this.requestingBlock = true;
    this.options.allocateProducerIds((block) => {
      this.requestingBlock = false;
      if (block === null) return;
      this.blocks.push({ next: block.start, end: block.start + block.length });
      this.options.emit({ type: 'pid-block-allocated', node: this.options.brokerId, message: `Broker ${this.options.brokerId} got producer ids ${block.start}..${block.start + block.length - 1} from the controller (a ProducerIdsRecord in the metadata log).`, data: { start: block.start, length: block.length } });
    });
  }

  /** InitProducerId without a transactional id: an idempotent producer only needs a fresh id. */
  initIdempotentProducerId(): InitProducerIdResponse {
    const ids = this.takeIds(1);
    if (ids === null) return { error: 'COORDINATOR_LOAD_IN_PROGRESS', producerId: -1, producerEpoch: -1 };
    this.options.emit({ type: 'pid-allocated', node: this.options.brokerId, message: `Broker ${this.options.brokerId} gave idempotent producer id ${ids.first} (epoch 0).`, data: { producerId: ids.first, producerEpoch: 0 } });
    return { error: 'NONE', producerId: ids.first, producerEpoch: 0 };
  }

  // ---- requests ---------------------------------------------------------------------------

  private run<R>(transactionalId: string, errorResponse: (error: ErrorName) => R, command: (c: TransactionCoordinator, nowMs: number) => TxnResult<R>, respond: (response: R) => void): void {
    const shard = this.runtime.active(this.partitionFor(transactionalId));
    if (typeof shard === 'string') return respond(errorResponse(shard));
    const result = command(shard.state.coordinator, this.options.nowMs());
    this.commit(shard, result, (error) => respond(error === null ? result.response : errorResponse(error)));
    this.runtime.poll();
  }

  /** Writes the records, then answers and sends the markers the step decided on. */
  private commit(shard: Shard<TxnShardState>, effects: TxnEffects, respond: (error: ErrorName | null) => void): void {
    const batch = effects.records.length === 0 ? null : encodeCoordinatorBatch(effects.records, { timestampMs: this.options.nowMs() });
    this.runtime.write(shard, batch, (error) => {
      respond(error);
      if (error === null && this.runtime.shards.get(shard.partition) === shard) this.sendMarkers(shard, effects.markers);
    });
  }

  initProducerId(req: { transactionalId: string | null; transactionTimeoutMs: number }, respond: (r: InitProducerIdResponse) => void): void {
    if (req.transactionalId === null || req.transactionalId === '') return respond(this.initIdempotentProducerId());
    const shard = this.runtime.active(this.partitionFor(req.transactionalId));
    if (typeof shard !== 'string' && shard.state.coordinator.needsProducerIdBlock()) {
        const ids = this.takeIds(SHARD_ID_SLICE);
      if (ids !== null) shard.state.coordinator.addProducerIdBlock(ids.first, ids.size);
    }
    this.run(req.transactionalId, (error) => ({ error, producerId: -1, producerEpoch: -1 }), (c, now) => c.initProducerId(req, now), respond);
  }

  addPartitionsToTxn(req: TxnRequestBase & TxnTopics, respond: (r: AddPartitionsToTxnResponse) => void): void {
    const fail = (error: ErrorName): AddPartitionsToTxnResponse => ({ error, results: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p, error })) })) });
    this.run(req.transactionalId, fail, (c, now) => c.addPartitionsToTxn(req, now), respond);
  }

  addOffsetsToTxn(req: TxnRequestBase & { groupId: string }, respond: (r: { error: ErrorName }) => void): void {
    this.run(req.transactionalId, (error) => ({ error }), (c, now) => c.addOffsetsToTxn(req, now), respond);
  }

  endTxn(req: TxnRequestBase & { committed: boolean }, respond: (r: { error: ErrorName }) => void): void {
    this.run(req.transactionalId, (error) => ({ error }), (c, now) => c.endTxn(req, now), respond);
  }

  describeTransactions(ids: readonly string[]): Array<DescribedTransaction & { coordinatorId: number }> {
    return ids.map((id) => {
      const shard = this.runtime.active(this.partitionFor(id));
      if (typeof shard === 'string') return { error: shard, transactionalId: id, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: [], coordinatorId: this.options.brokerId };
      return { ...shard.state.coordinator.describeTransactions([id])[0]!, coordinatorId: this.options.brokerId };
    });
  }

  /** ListTransactions over every shard this broker leads. */
  listTransactions(filters: { stateFilters?: readonly string[]; producerIdFilters?: readonly number[] } = {}): Array<{ transactionalId: string; producerId: number; transactionState: TransactionState }> {
    const out: Array<{ transactionalId: string; producerId: number; transactionState: TransactionState }> = [];
    for (const shard of this.runtime.shards.values()) if (shard.loaded) out.push(...shard.state.coordinator.listTransactions(filters));
    return out.sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : 1));
  }

  // ---- markers: coordinator side ----------------------------------------------------------

  private onShardTimer(shard: Shard<TxnShardState>, nowMs: number): void {
    const c = shard.state.coordinator;
    const due = c.nextDeadlineMs();
    if (due !== null && due <= nowMs) {
      const effects = c.onTimer(nowMs);
      this.commit(shard, effects, () => undefined);
    }
    if (shard.state.retryAtMs !== null && shard.state.retryAtMs <= nowMs) {
      shard.state.retryAtMs = null;
      const timeoutMs = this.options.config.int('request.timeout.ms');
      for (const [key, sentAt] of shard.state.inflight) if (nowMs - sentAt >= timeoutMs) shard.state.inflight.delete(key);
      this.sendMarkers(shard, c.pendingMarkers());
      // Markers still waiting for an answer get their own deadline (regression: seed 309 lost one for good).
      for (const sentAt of shard.state.inflight.values()) this.scheduleRetry(shard, sentAt + timeoutMs);
    }
  }

  private scheduleRetry(shard: Shard<TxnShardState>, atMs: number): void {
    shard.state.retryAtMs = shard.state.retryAtMs === null ? atMs : Math.min(shard.state.retryAtMs, atMs);
    this.runtime.poll();
  }

  /** Sends each marker not already in flight to its partition's leader, one request per leader. */
  private sendMarkers(shard: Shard<TxnShardState>, markers: readonly MarkerRequest[]): void {
    const now = this.options.nowMs();
    const byLeader = new Map<number, MarkerRequest[]>();
    const image = this.options.image();
    for (const m of markers) {
      const key = markerKey(m);
      if (shard.state.inflight.has(key)) continue;
      const reg = image.partition(m.topic, m.partition);
      if (reg === undefined) {
        // The partition is gone (topic deleted): nobody needs this marker any more.
        this.acknowledge(shard, m);
        continue;
      }
      if (reg.leader === NO_LEADER) {
        this.scheduleRetry(shard, now + this.options.config.int('retry.backoff.ms'));
        continue;
      }
      shard.state.inflight.set(key, now);
      byLeader.set(reg.leader, [...(byLeader.get(reg.leader) ?? []), m]);
    }
    for (const [leader, list] of byLeader) {
      const correlationId = ++this.correlationId;
      this.sent.set(correlationId, { shard, markers: list });
      this.options.send(leader, { kind: 'WriteTxnMarkersRequest', correlationId, markers: list.map((m) => ({ topic: m.topic, partition: m.partition, producerId: m.producerId, producerEpoch: m.producerEpoch, commit: m.commit, coordinatorEpoch: m.coordinatorEpoch })) });
      this.options.emit({ type: 'txn-markers-sent', node: this.options.brokerId, message: `Transaction coordinator ${this.options.brokerId} sends ${list[0]!.commit ? 'COMMIT' : 'ABORT'} markers for ${list.map((m) => `${m.topic}-${m.partition}`).join(', ')} to broker ${leader}.`, data: { leader, transactionalIds: [...new Set(list.map((m) => m.transactionalId))] } });
    }
    // Without an answer within request.timeout.ms a marker is sent again.
    if (byLeader.size > 0) this.scheduleRetry(shard, now + this.options.config.int('request.timeout.ms'));
  }

  private acknowledge(shard: Shard<TxnShardState>, m: MarkerRequest): void {
    shard.state.inflight.delete(markerKey(m));
    const effects = shard.state.coordinator.onMarkerWritten({ transactionalId: m.transactionalId, topic: m.topic, partition: m.partition, producerEpoch: m.producerEpoch }, this.options.nowMs());
    this.commit(shard, effects, () => undefined);
  }

  handleMarkersResponse(response: WriteTxnMarkersResponse): void {
    const sent = this.sent.get(response.correlationId);
    if (sent === undefined) return;
    this.sent.delete(response.correlationId);
    const { shard, markers } = sent;
    if (this.runtime.shards.get(shard.partition) !== shard) return;
    let retry = false;
    for (const m of markers) {
      const result = response.results.find((r) => r.topic === m.topic && r.partition === m.partition && r.producerId === m.producerId);
      const error = result?.errorCode ?? 'UNKNOWN_SERVER_ERROR';
      if (markerDone(error)) this.acknowledge(shard, m);
      else {
        shard.state.inflight.delete(markerKey(m));
        retry = true;
      }
    }
    if (retry) this.scheduleRetry(shard, this.options.nowMs() + this.options.config.int('retry.backoff.ms'));
  }

  // ---- markers: partition leader side -----------------------------------------------------

  /** WriteTxnMarkers on a partition leader: append each control batch, answer when all committed. */
  writeMarkers(markers: readonly TxnMarkerEntry[], respond: (results: TxnMarkerResult[]) => void): void {
    const results: TxnMarkerResult[] = [];
    let pending = markers.length;
    if (pending === 0) return respond(results);
    const timeoutMs = this.options.config.int('request.timeout.ms');
    markers.forEach((m, index) => {
      this.options.replicaManager.writeTxnMarker(m.topic, m.partition, m, timeoutMs, (out) => {
        if (out.errorCode === 'NONE') this.options.onMarkerAppended(m.topic, m.partition, m.producerId, m.commit);
        results[index] = { topic: m.topic, partition: m.partition, producerId: m.producerId, errorCode: out.errorCode };
        if (--pending === 0) respond(results);
      });
    });
  }
}

/** Marker answers that end the partition's part in the transaction (Kafka's completion handler). */
function markerDone(error: ErrorName): boolean {
  return error === 'NONE' || error === 'INVALID_PRODUCER_EPOCH' || error === 'UNKNOWN_PRODUCER_ID' || error === 'TRANSACTION_COORDINATOR_FENCED';
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
