/**
 * The transaction coordinator for one partition of `__transaction_state` (KIP-98; epoch
 * fencing of KIP-588/KIP-890 where it clarifies). `transactionCoordinatorPartition` says
 * which partition owns a transactional id; its leader runs this state machine.
 *
 * States per transactional id: Empty → Ongoing (first AddPartitionsToTxn/AddOffsetsToTxn)
 * → PrepareCommit | PrepareAbort (EndTxn; the decision is durable once this record is
 * written) → CompleteCommit | CompleteAbort (every partition acknowledged its marker) →
 * Ongoing again with the next transaction, or Dead when the id expires.
 * PrepareEpochFence is the transient step in which InitProducerId or a timeout bumps the
 * epoch of an ongoing transaction before aborting it; it is never written.
 *
 * Shape: commands return `{ records, response, markers }`; `replay` is the only mutation
 * and has already run on the returned records. `markers` are WriteTxnMarkers the host sends
 * to partition leaders; it reports each acknowledgement with `onMarkerWritten`. Timers:
 * `nextDeadlineMs()` / `onTimer(nowMs)` abort transactions past transaction.timeout.ms and
 * expire idle transactional ids (transactional.id.expiration.ms).
 *
 * Deviations: the producer-id block is handed in by the host (from the controller's
 * ProducerIdsRecord) rather than requested here; KIP-890's per-transaction epoch bump and
 * KIP-360's InitProducerId with an existing producer id are not modelled; markers are not
 * batched per broker.
 */
import { assert } from '../assert';
import type { ErrorName } from '../errors';
import { groupCoordinatorPartition, type Emit } from '../group/common';
import { validPreviousStates, type TransactionLogRecord, type TransactionLogValue, type TransactionState } from './records';

/** Kafka's Short.MaxValue - 1: past this the coordinator takes a new producer id. */
const MAX_PRODUCER_EPOCH = 32766;

export interface TransactionCoordinatorConfig {
  /** transaction.max.timeout.ms */
  readonly transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms */
  readonly transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms */
  readonly transactionAbortTimedOutTransactionCleanupIntervalMs: number;
  /** offsets.topic.num.partitions: AddOffsetsToTxn adds the group's __consumer_offsets partition. */
  readonly offsetsTopicNumPartitions: number;
}

export const defaultTransactionCoordinatorConfig: TransactionCoordinatorConfig = Object.freeze({
  transactionMaxTimeoutMs: 900_000,
  transactionalIdExpirationMs: 604_800_000,
  transactionAbortTimedOutTransactionCleanupIntervalMs: 10_000,
  offsetsTopicNumPartitions: 50,
});

export interface TransactionMetadata {
  readonly transactionalId: string;
  producerId: number;
  producerEpoch: number;
  transactionTimeoutMs: number;
  state: TransactionState;
  /** topic → partitions in the current transaction. */
  partitions: Map<string, Set<number>>;
  transactionStartTimestampMs: number;
  transactionLastUpdateTimestampMs: number;
  /** Partitions whose marker has not been acknowledged (soft state while Prepare*). */
  pendingMarkers: Set<string>;
}

/** One WriteTxnMarkers entry for the host to send to the partition's leader. */
export interface MarkerRequest {
  readonly transactionalId: string;
  readonly topic: string;
  readonly partition: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly commit: boolean;
  readonly coordinatorEpoch: number;
}

export interface TxnResult<R> {
  readonly records: readonly TransactionLogRecord[];
  readonly response: R;
  readonly markers: readonly MarkerRequest[];
}

export interface TxnEffects {
  readonly records: readonly TransactionLogRecord[];
  readonly markers: readonly MarkerRequest[];
}

export interface InitProducerIdResponse {
  readonly error: ErrorName;
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface TxnTopics {
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly number[] }>;
}

export interface TxnRequestBase {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface AddPartitionsToTxnResponse {
  readonly error: ErrorName;
  readonly results: ReadonlyArray<{ readonly name: string; readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly error: ErrorName }> }>;
}

export interface DescribedTransaction {
  readonly error: ErrorName;
  readonly transactionalId: string;
  readonly transactionState: string;
  readonly transactionTimeoutMs: number;
  readonly transactionStartTimeMs: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>;
}

export interface TransactionCoordinatorOptions {
  readonly config?: Partial<TransactionCoordinatorConfig>;
  readonly emit?: Emit;
  /** Leader epoch of this `__transaction_state` partition: stamped on every marker. */
  readonly coordinatorEpoch: number;
}

const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class TransactionCoordinator {
  readonly config: TransactionCoordinatorConfig;
  readonly coordinatorEpoch: number;
  private readonly txns = new Map<string, TransactionMetadata>();
  private readonly emit: Emit;
  private blocks: Array<{ next: number; end: number }> = [];
  private nextCleanupMs: number | null = null;
  private records: TransactionLogRecord[] = [];

  constructor(options: TransactionCoordinatorOptions) {
    this.config = { ...defaultTransactionCoordinatorConfig, ...options.config };
    this.emit = options.emit ?? (() => {});
    this.coordinatorEpoch = options.coordinatorEpoch;
  }

  // ---------------------------------------------------------------- producer ids

  /** A block of producer ids from the controller (ProducerIdsRecord / AllocateProducerIds). */
  addProducerIdBlock(firstProducerId: number, size: number): void {
    assert(size > 0, 'a producer id block holds at least one id');
    this.blocks.push({ next: firstProducerId, end: firstProducerId + size });
  }

  /** True when the host should fetch another block before this one runs out. */
  needsProducerIdBlock(): boolean {
    return this.blocks.reduce((n, b) => n + (b.end - b.next), 0) < 2;
  }

  private allocateProducerId(): number | null {
    while (this.blocks.length > 0 && this.blocks[0]!.next >= this.blocks[0]!.end) this.blocks.shift();
    const block = this.blocks[0];
    if (!block) return null;
    const id = block.next++;
    this.emit({ type: 'pid-allocated', message: `Allocated producer id ${id} from the block ending at ${block.end - 1}.`, data: { producerId: id } });
    return id;
  }

  // ---------------------------------------------------------------- replay

  /** Applies one `__transaction_state` record: the only mutation of durable state. */
  replay(record: TransactionLogRecord): void {
    const id = record.key.transactionalId;
    if (record.value === null) {
      this.txns.delete(id);
      return;
    }
    const v = record.value;
    const existing = this.txns.get(id);
    const partitions = new Map(v.transactionPartitions.map((tp) => [tp.topic, new Set(tp.partitionIds)]));
    const meta: TransactionMetadata = {
      transactionalId: id, producerId: v.producerId, producerEpoch: v.producerEpoch, transactionTimeoutMs: v.transactionTimeoutMs,
      state: v.transactionStatus, partitions, transactionStartTimestampMs: v.transactionStartTimestampMs,
      transactionLastUpdateTimestampMs: v.transactionLastUpdateTimestampMs, pendingMarkers: existing?.pendingMarkers ?? new Set(),
    };
    if (v.transactionStatus === 'PrepareCommit' || v.transactionStatus === 'PrepareAbort') {
      meta.pendingMarkers = new Set([...partitions].flatMap(([t, ps]) => [...ps].map((p) => tpKey(t, p))));
    } else {
      meta.pendingMarkers = new Set();
    }
    this.txns.set(id, meta);
  }

  /**
   * After a failover the new coordinator replays the partition, then resends the markers
   * of every transaction that had decided (Prepare*) but not completed, as Kafka does.
   */
  completeLoad(nowMs: number): TxnEffects {
    this.nextCleanupMs = nowMs + this.config.transactionAbortTimedOutTransactionCleanupIntervalMs;
    const markers = [...this.txns.values()].filter((t) => t.state === 'PrepareCommit' || t.state === 'PrepareAbort').flatMap((t) => this.markersFor(t));
    for (const t of this.txns.values()) {
      this.emit({ type: 'txn-loaded', message: `Transaction ${t.transactionalId} loaded in state ${t.state} (producer ${t.producerId}, epoch ${t.producerEpoch}).`, data: { transactionalId: t.transactionalId, state: t.state } });
    }
    return { records: [], markers };
  }

  private write(meta: TransactionMetadata | undefined, transactionalId: string, value: TransactionLogValue, nowMs: number): void {
    const from = meta?.state;
    assert(from === undefined || validPreviousStates[value.transactionStatus].includes(from), `transaction ${transactionalId} cannot move from ${from} to ${value.transactionStatus}`);
    const record: TransactionLogRecord = { key: { type: 'TransactionLogKey', transactionalId }, value };
    this.records.push(record);
    this.replay(record);
    if (from !== value.transactionStatus) {
      this.emit({ type: 'txn-state-changed', message: `Transaction ${transactionalId}: ${from ?? '(new)'} → ${value.transactionStatus} (producer ${value.producerId}, epoch ${value.producerEpoch}).`, data: { transactionalId, from: from ?? null, to: value.transactionStatus, producerId: value.producerId, producerEpoch: value.producerEpoch, atMs: nowMs } });
    }
  }

  private valueOf(meta: TransactionMetadata, changes: Partial<TransactionLogValue>): TransactionLogValue {
    return {
      producerId: meta.producerId,
      producerEpoch: meta.producerEpoch,
      transactionTimeoutMs: meta.transactionTimeoutMs,
      transactionStatus: meta.state,
      transactionPartitions: [...meta.partitions].sort(([a], [b]) => (a < b ? -1 : 1)).map(([topic, ps]) => ({ topic, partitionIds: [...ps].sort((a, b) => a - b) })),
      transactionLastUpdateTimestampMs: meta.transactionLastUpdateTimestampMs,
      transactionStartTimestampMs: meta.transactionStartTimestampMs,
      ...changes,
    };
  }

  private finish<R>(response: R, markers: MarkerRequest[] = []): TxnResult<R> {
    const records = this.records;
    this.records = [];
    return { records, response, markers };
  }

  // ---------------------------------------------------------------- InitProducerId

  initProducerId(req: { transactionalId: string | null; transactionTimeoutMs: number }, nowMs: number): TxnResult<InitProducerIdResponse> {
    const fail = (error: ErrorName) => this.finish({ error, producerId: -1, producerEpoch: -1 });
    if (req.transactionalId === null || req.transactionalId === '') {
      // An idempotent producer without transactions only needs a fresh id.
      const id = this.allocateProducerId();
      return id === null ? fail('COORDINATOR_LOAD_IN_PROGRESS') : this.finish({ error: 'NONE', producerId: id, producerEpoch: 0 });
    }
    if (req.transactionTimeoutMs <= 0 || req.transactionTimeoutMs > this.config.transactionMaxTimeoutMs) return fail('INVALID_TRANSACTION_TIMEOUT');
    const id = req.transactionalId;
    const meta = this.txns.get(id);
    if (!meta || meta.state === 'Dead') {
      const producerId = this.allocateProducerId();
      if (producerId === null) return fail('COORDINATOR_LOAD_IN_PROGRESS');
      this.write(undefined, id, { producerId, producerEpoch: 0, transactionTimeoutMs: req.transactionTimeoutMs, transactionStatus: 'Empty', transactionPartitions: [], transactionLastUpdateTimestampMs: nowMs, transactionStartTimestampMs: -1 }, nowMs);
      return this.finish({ error: 'NONE', producerId, producerEpoch: 0 });
    }
    switch (meta.state) {
      case 'PrepareCommit':
      case 'PrepareAbort':
      case 'PrepareEpochFence':
        return fail('CONCURRENT_TRANSACTIONS');
      case 'Ongoing': {
        // A new incarnation of the producer: fence the old one by bumping the epoch, abort its transaction.
        const markers = this.fenceAndAbort(meta, nowMs, 'a new producer with the same transactional.id called InitProducerId');
        return this.finish({ error: 'CONCURRENT_TRANSACTIONS', producerId: -1, producerEpoch: -1 }, markers);
      }
      default:
        return this.bumpEpoch(meta, req.transactionTimeoutMs, nowMs);
    }
  }

  private bumpEpoch(meta: TransactionMetadata, transactionTimeoutMs: number, nowMs: number): TxnResult<InitProducerIdResponse> {
    let producerId = meta.producerId;
    let producerEpoch = meta.producerEpoch + 1;
    if (producerEpoch > MAX_PRODUCER_EPOCH) {
      const fresh = this.allocateProducerId();
      if (fresh === null) return this.finish({ error: 'COORDINATOR_LOAD_IN_PROGRESS', producerId: -1, producerEpoch: -1 });
      producerId = fresh;
      producerEpoch = 0;
    }
    this.write(meta, meta.transactionalId, this.valueOf(meta, { producerId, producerEpoch, transactionTimeoutMs, transactionStatus: 'Empty', transactionPartitions: [], transactionLastUpdateTimestampMs: nowMs, transactionStartTimestampMs: -1 }), nowMs);
    this.emit({ type: 'txn-producer-fenced', message: `Transaction ${meta.transactionalId}: epoch is now ${producerEpoch}; any producer still using an older epoch (a zombie) is fenced.`, data: { transactionalId: meta.transactionalId, producerId, producerEpoch } });
    return this.finish({ error: 'NONE', producerId, producerEpoch });
  }

  /** PrepareEpochFence, then PrepareAbort with the bumped epoch, so the old producer's markers and writes are rejected. */
  private fenceAndAbort(meta: TransactionMetadata, nowMs: number, why: string): MarkerRequest[] {
    this.emit({ type: 'txn-state-changed', message: `Transaction ${meta.transactionalId}: Ongoing → PrepareEpochFence (${why}).`, data: { transactionalId: meta.transactionalId, from: 'Ongoing', to: 'PrepareEpochFence' } });
    const producerEpoch = Math.min(meta.producerEpoch + 1, MAX_PRODUCER_EPOCH);
    this.write(meta, meta.transactionalId, this.valueOf(meta, { producerEpoch, transactionStatus: 'PrepareAbort', transactionLastUpdateTimestampMs: nowMs }), nowMs);
    return this.afterPrepare(this.txns.get(meta.transactionalId)!, nowMs);
  }

  // ---------------------------------------------------------------- AddPartitionsToTxn / AddOffsetsToTxn

  /** Common checks of Kafka's coordinator: id mapping, epoch fencing, and no overlap with markers in flight. */
  private validate(req: TxnRequestBase): { error: ErrorName } | { meta: TransactionMetadata } {
    const meta = this.txns.get(req.transactionalId);
    if (!meta || meta.state === 'Dead') return { error: 'INVALID_PRODUCER_ID_MAPPING' };
    if (meta.producerId !== req.producerId) return { error: 'INVALID_PRODUCER_ID_MAPPING' };
    if (req.producerEpoch < meta.producerEpoch) return { error: 'PRODUCER_FENCED' };
    if (req.producerEpoch > meta.producerEpoch) return { error: 'INVALID_PRODUCER_EPOCH' };
    return { meta };
  }

  addPartitionsToTxn(req: TxnRequestBase & TxnTopics, nowMs: number): TxnResult<AddPartitionsToTxnResponse> {
    const error = this.addPartitions(req, req.topics, nowMs);
    return this.finish({
      error,
      results: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p, error })) })),
    });
  }

  /** AddOffsetsToTxn: the group's `__consumer_offsets` partition joins the transaction (KIP-98). */
  addOffsetsToTxn(req: TxnRequestBase & { groupId: string }, nowMs: number): TxnResult<{ error: ErrorName }> {
    const partition = groupCoordinatorPartition(req.groupId, this.config.offsetsTopicNumPartitions);
    return this.finish({ error: this.addPartitions(req, [{ name: '__consumer_offsets', partitions: [partition] }], nowMs) });
  }

  private addPartitions(req: TxnRequestBase, topics: TxnTopics['topics'], nowMs: number): ErrorName {
    const checked = this.validate(req);
    if ('error' in checked) return checked.error;
    const meta = checked.meta;
    if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort' || meta.state === 'PrepareEpochFence') return 'CONCURRENT_TRANSACTIONS';
    const partitions = new Map([...meta.partitions].map(([t, ps]) => [t, new Set(ps)]));
    let added = 0;
    for (const t of topics) {
      const set = partitions.get(t.name) ?? new Set<number>();
      for (const p of t.partitions) {
        if (set.has(p)) continue;
        set.add(p);
        added++;
      }
      partitions.set(t.name, set);
    }
    if (added === 0 && meta.state === 'Ongoing') return 'NONE';
    const starting = meta.state !== 'Ongoing';
    this.write(meta, meta.transactionalId, this.valueOf({ ...meta, partitions }, {
      transactionStatus: 'Ongoing', transactionLastUpdateTimestampMs: nowMs, transactionStartTimestampMs: starting ? nowMs : meta.transactionStartTimestampMs,
    }), nowMs);
    this.emit({ type: 'txn-partitions-added', message: `Transaction ${meta.transactionalId} now spans ${[...partitions].flatMap(([t, ps]) => [...ps].map((p) => `${t}-${p}`)).join(', ')}.`, data: { transactionalId: meta.transactionalId, topics } });
    return 'NONE';
  }

  // ---------------------------------------------------------------- EndTxn and markers

  endTxn(req: TxnRequestBase & { committed: boolean }, nowMs: number): TxnResult<{ error: ErrorName }> {
    const checked = this.validate(req);
    if ('error' in checked) return this.finish({ error: checked.error });
    const meta = checked.meta;
    const wanted: TransactionState = req.committed ? 'PrepareCommit' : 'PrepareAbort';
    switch (meta.state) {
      case 'Ongoing': {
        this.write(meta, meta.transactionalId, this.valueOf(meta, { transactionStatus: wanted, transactionLastUpdateTimestampMs: nowMs }), nowMs);
        return this.finish({ error: 'NONE' }, this.afterPrepare(this.txns.get(meta.transactionalId)!, nowMs));
      }
      case 'PrepareCommit':
      case 'PrepareAbort':
        // The same decision is already being carried out: retry later. A different one is a bug in the client.
        return this.finish({ error: meta.state === wanted ? 'CONCURRENT_TRANSACTIONS' : 'INVALID_TXN_STATE' });
      case 'CompleteCommit':
        return this.finish({ error: req.committed ? 'NONE' : 'INVALID_TXN_STATE' });
      case 'CompleteAbort':
        return this.finish({ error: req.committed ? 'INVALID_TXN_STATE' : 'NONE' });
      default:
        return this.finish({ error: 'INVALID_TXN_STATE' });
    }
  }

  /** Once the decision is durable: markers go to every partition; an empty transaction completes at once. */
  private afterPrepare(meta: TransactionMetadata, nowMs: number): MarkerRequest[] {
    if (meta.pendingMarkers.size === 0) {
      this.complete(meta, nowMs);
      return [];
    }
    return this.markersFor(meta);
  }

  private markersFor(meta: TransactionMetadata): MarkerRequest[] {
    const commit = meta.state === 'PrepareCommit';
    return [...meta.pendingMarkers].sort().map((key) => {
      const [topic, p] = key.split('\u0000') as [string, string];
      return { transactionalId: meta.transactionalId, topic, partition: Number(p), producerId: meta.producerId, producerEpoch: meta.producerEpoch, commit, coordinatorEpoch: this.coordinatorEpoch };
    });
  }

  /** All markers sent but not yet acknowledged (the host resends these after errors). */
  pendingMarkers(): MarkerRequest[] {
    return [...this.txns.values()].filter((t) => t.state === 'PrepareCommit' || t.state === 'PrepareAbort').flatMap((t) => this.markersFor(t));
  }

  /** A partition leader wrote (or could no longer need) the marker; the last one completes the transaction. */
  onMarkerWritten(ack: { transactionalId: string; topic: string; partition: number; producerEpoch: number }, nowMs: number): TxnEffects {
    const meta = this.txns.get(ack.transactionalId);
    if (!meta || (meta.state !== 'PrepareCommit' && meta.state !== 'PrepareAbort') || ack.producerEpoch !== meta.producerEpoch) return this.finish(undefined);
    meta.pendingMarkers.delete(tpKey(ack.topic, ack.partition));
    if (meta.pendingMarkers.size === 0) this.complete(meta, nowMs);
    return this.finish(undefined);
  }

  private complete(meta: TransactionMetadata, nowMs: number): void {
    const done: TransactionState = meta.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort';
    this.write(meta, meta.transactionalId, this.valueOf(meta, { transactionStatus: done, transactionPartitions: [], transactionLastUpdateTimestampMs: nowMs }), nowMs);
  }

  // ---------------------------------------------------------------- timers

  nextDeadlineMs(): number | null {
    let next = this.nextCleanupMs ?? Number.POSITIVE_INFINITY;
    for (const t of this.txns.values()) {
      if (t.state === 'Ongoing') next = Math.min(next, t.transactionStartTimestampMs + t.transactionTimeoutMs);
    }
    return Number.isFinite(next) ? next : null;
  }

  /** transaction.timeout.ms: abort (with an epoch bump) transactions open too long; expire idle ids. */
  onTimer(nowMs: number): TxnEffects {
    const markers: MarkerRequest[] = [];
    for (const t of [...this.txns.values()]) {
      if (t.state === 'Ongoing' && nowMs >= t.transactionStartTimestampMs + t.transactionTimeoutMs) {
        this.emit({ type: 'txn-timed-out', message: `Transaction ${t.transactionalId} was open longer than its transaction.timeout.ms (${t.transactionTimeoutMs} ms); aborting it.`, data: { transactionalId: t.transactionalId, transactionTimeoutMs: t.transactionTimeoutMs } });
        markers.push(...this.fenceAndAbort(t, nowMs, 'transaction.timeout.ms expired'));
      } else if ((t.state === 'Empty' || t.state === 'CompleteCommit' || t.state === 'CompleteAbort') && nowMs - t.transactionLastUpdateTimestampMs >= this.config.transactionalIdExpirationMs) {
        this.write(t, t.transactionalId, this.valueOf(t, { transactionStatus: 'Dead', transactionLastUpdateTimestampMs: nowMs }), nowMs);
        this.records.push({ key: { type: 'TransactionLogKey', transactionalId: t.transactionalId }, value: null });
        this.replay(this.records.at(-1)!);
      }
    }
    if (this.nextCleanupMs === null || nowMs >= this.nextCleanupMs) this.nextCleanupMs = nowMs + this.config.transactionAbortTimedOutTransactionCleanupIntervalMs;
    return this.finish(undefined, markers);
  }

  // ---------------------------------------------------------------- admin

  listTransactions(filters: { stateFilters?: readonly string[]; producerIdFilters?: readonly number[] } = {}): Array<{ transactionalId: string; producerId: number; transactionState: TransactionState }> {
    const states = new Set(filters.stateFilters ?? []);
    const pids = new Set(filters.producerIdFilters ?? []);
    return [...this.txns.values()]
      .filter((t) => (states.size === 0 || states.has(t.state)) && (pids.size === 0 || pids.has(t.producerId)))
      .sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : 1))
      .map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.state }));
  }

  describeTransactions(transactionalIds: readonly string[]): DescribedTransaction[] {
    return transactionalIds.map((id) => {
      const t = this.txns.get(id);
      if (!t) return { error: 'TRANSACTIONAL_ID_NOT_FOUND', transactionalId: id, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: [] };
      return {
        error: 'NONE', transactionalId: id, transactionState: t.state, transactionTimeoutMs: t.transactionTimeoutMs,
        transactionStartTimeMs: t.transactionStartTimestampMs, producerId: t.producerId, producerEpoch: t.producerEpoch,
        topics: this.valueOf(t, {}).transactionPartitions.map((tp) => ({ topic: tp.topic, partitions: tp.partitionIds })),
      };
    });
  }

  /** Read-only view for visualisations and tests. */
  transaction(transactionalId: string): Readonly<TransactionMetadata> | undefined {
    return this.txns.get(transactionalId);
  }
}
