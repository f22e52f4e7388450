/**
 * Idempotent and transactional producer state of one partition (Kafka's
 * ProducerStateManager, KIP-98).
 *
 * Per producer id: the current epoch, the metadata of its last five batches (the client's
 * `max.in.flight.requests.per.connection` limit for idempotence), and the first offset of
 * its open transaction. A leader checks each produced batch with `checkAppend` before it
 * assigns offsets:
 *   - a batch equal to one of the last five (same first and last sequence) is a retry: it
 *     is acknowledged with the offsets it got the first time (no duplicate in the log);
 *   - the next sequence (last + 1, wrapping at 2^31-1) is appended;
 *   - anything else is OUT_OF_ORDER_SEQUENCE_NUMBER;
 *   - an older epoch is INVALID_PRODUCER_EPOCH (a zombie); a newer epoch must start at 0;
 *   - a producer we have no state for must start at sequence 0 (else UNKNOWN_PRODUCER_ID).
 * `replayBatch` is the only mutation: the leader calls it after assigning offsets, followers
 * and log recovery call it for every batch in order, so state is rebuilt from batch headers.
 *
 * Transactions: the first transactional batch of a producer opens a transaction at its base
 * offset; a control batch (COMMIT/ABORT marker) closes it. The first offset of the oldest
 * open (or not yet replicated) transaction bounds the last stable offset; every aborted
 * transaction goes into the aborted-transaction index that read_committed fetches return.
 *
 * Deviations: no snapshot files (state is always rebuilt from the whole log); no
 * truncation support (a truncated follower rebuilds from its log); the index is kept in
 * memory rather than in `.txnindex` files.
 */
import type { ErrorName } from '../errors';
import type { TraceInput } from '../sim/trace';
import type { BatchHeader } from '../storage/batch';

export const NO_PRODUCER_ID = -1;
export const NO_SEQUENCE = -1;
/** Kafka keeps this many batches per producer to recognise retries. */
export const NUM_BATCHES_TO_RETAIN = 5;
const INT32_MAX = 2147483647;

/** The batch header fields producer state needs, in the order the header stores them. */
export interface ProducerBatchInfo {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordsCount: number;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  /** For control batches: what the marker's record key says. */
  readonly controlType?: 'COMMIT' | 'ABORT';
  readonly coordinatorEpoch?: number;
}

export interface BatchMetadata {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly timestamp: number;
}

export interface ProducerStateEntry {
  readonly producerId: number;
  producerEpoch: number;
  /** Oldest first; at most NUM_BATCHES_TO_RETAIN. */
  batches: BatchMetadata[];
  coordinatorEpoch: number;
  lastTimestamp: number;
  /** First offset of the producer's open transaction, or null. */
  currentTxnFirstOffset: number | null;
}

/** One entry of the aborted-transaction index, as Kafka's AbortedTxn. */
export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  /** Offset of the ABORT marker. */
  readonly lastOffset: number;
  readonly lastStableOffset: number;
}

export type AppendCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly firstOffset: number; readonly lastOffset: number }
  | { readonly kind: 'error'; readonly error: ErrorName; readonly message: string };

export interface CompletedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly isAborted: boolean;
}

/** Reads what producer state needs from a storage batch header (marker type from its record key). */
export function batchInfoFromHeader(h: BatchHeader, controlType?: 'COMMIT' | 'ABORT', coordinatorEpoch?: number): ProducerBatchInfo {
  return {
    baseOffset: h.baseOffset, lastOffset: h.lastOffset, maxTimestamp: h.maxTimestamp, producerId: h.producerId,
    producerEpoch: h.producerEpoch, baseSequence: h.baseSequence, recordsCount: h.recordsCount,
    isTransactional: h.isTransactional, isControl: h.isControl, controlType, coordinatorEpoch,
  };
}

/** The last sequence of a batch: sequences wrap from 2^31-1 back to 0, as in Kafka. */
export function lastSequenceOf(baseSequence: number, recordsCount: number): number {
  const last = baseSequence + recordsCount - 1;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

function nextSequence(seq: number): number {
  return seq === INT32_MAX ? 0 : seq + 1;
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerStateEntry>();
  /** producerId → first offset of its open transaction, ordered by offset when read. */
  private readonly ongoing = new Map<number, number>();
  /** Completed transactions whose marker the high watermark has not passed yet. */
  private unreplicated: CompletedTxn[] = [];
  private readonly aborted: AbortedTxn[] = [];
  private highWatermark = 0;
  private reportedLso = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly emit: (event: TraceInput) => void = () => {},
  ) {}

  /** Rebuilds state from a log, batch by batch in offset order (leader change, recovery). */
  static rebuild(topic: string, partition: number, batches: Iterable<ProducerBatchInfo>, highWatermark = 0, emit?: (event: TraceInput) => void): ProducerStateManager {
    const state = new ProducerStateManager(topic, partition, emit);
    for (const b of batches) state.replayBatch(b);
    state.updateHighWatermark(highWatermark);
    return state;
  }

  // ---------------------------------------------------------------- checks (leader only)

  /** Validates a produced batch before the leader assigns it offsets. */
  checkAppend(batch: Omit<ProducerBatchInfo, 'baseOffset' | 'lastOffset'>): AppendCheck {
    if (batch.producerId === NO_PRODUCER_ID) return { kind: 'append' };
    const entry = this.producers.get(batch.producerId);
    if (batch.isControl) return this.checkMarker(entry, batch);
    if (entry && batch.producerEpoch < entry.producerEpoch) {
      return this.reject(batch, 'INVALID_PRODUCER_EPOCH', `Producer ${batch.producerId} wrote with epoch ${batch.producerEpoch}, but epoch ${entry.producerEpoch} has replaced it: this is a fenced (zombie) producer.`);
    }
    const lastSeq = lastSequenceOf(batch.baseSequence, batch.recordsCount);
    if (entry && batch.producerEpoch === entry.producerEpoch) {
      const dup = entry.batches.find((b) => b.firstSeq === batch.baseSequence && b.lastSeq === lastSeq);
      if (dup) {
        this.emit({ type: 'producer-duplicate', topic: this.topic, partition: this.partition, message: `${this.topic}-${this.partition}: producer ${batch.producerId} resent sequences ${batch.baseSequence}..${lastSeq}; acknowledged with the original offsets ${dup.firstOffset}..${dup.lastOffset} instead of writing them twice.`, data: { producerId: batch.producerId, firstSeq: batch.baseSequence, firstOffset: dup.firstOffset, lastOffset: dup.lastOffset } });
        return { kind: 'duplicate', firstOffset: dup.firstOffset, lastOffset: dup.lastOffset };
      }
    }
    const sequenceError = this.checkSequence(entry, batch);
    if (sequenceError) return sequenceError;
    return this.checkTransactionState(entry, batch);
  }

  private checkSequence(entry: ProducerStateEntry | undefined, batch: Omit<ProducerBatchInfo, 'baseOffset' | 'lastOffset'>): AppendCheck | null {
    const last = entry?.batches.at(-1);
    if (!entry || (entry.producerEpoch === batch.producerEpoch && !last)) {
      if (batch.baseSequence === 0) return null;
      return this.reject(batch, 'UNKNOWN_PRODUCER_ID', `Partition ${this.topic}-${this.partition} has no state for producer ${batch.producerId}, and its batch starts at sequence ${batch.baseSequence}, not 0.`);
    }
    if (batch.producerEpoch > entry.producerEpoch) {
      if (batch.baseSequence === 0) return null;
      return this.reject(batch, 'OUT_OF_ORDER_SEQUENCE_NUMBER', `Producer ${batch.producerId} bumped its epoch to ${batch.producerEpoch}; the first batch of a new epoch must start at sequence 0, not ${batch.baseSequence}.`);
    }
    const expected = nextSequence(last!.lastSeq);
    if (batch.baseSequence === expected) return null;
    return this.reject(batch, 'OUT_OF_ORDER_SEQUENCE_NUMBER', `Producer ${batch.producerId} sent sequence ${batch.baseSequence} on ${this.topic}-${this.partition}, but the next expected is ${expected}: a batch in between is missing.`);
  }

  private checkTransactionState(entry: ProducerStateEntry | undefined, batch: Omit<ProducerBatchInfo, 'baseOffset' | 'lastOffset'>): AppendCheck {
    const open = entry?.currentTxnFirstOffset != null && entry.producerEpoch === batch.producerEpoch;
    if (open && !batch.isTransactional) {
      return this.reject(batch, 'INVALID_TXN_STATE', `Producer ${batch.producerId} sent a non-transactional batch while its transaction on ${this.topic}-${this.partition} is still open.`);
    }
    return { kind: 'append' };
  }

  private checkMarker(entry: ProducerStateEntry | undefined, batch: Omit<ProducerBatchInfo, 'baseOffset' | 'lastOffset'>): AppendCheck {
    if (entry && batch.producerEpoch < entry.producerEpoch) {
      return this.reject(batch, 'INVALID_PRODUCER_EPOCH', `A ${batch.controlType} marker for producer ${batch.producerId} carries epoch ${batch.producerEpoch}, older than the current ${entry.producerEpoch}.`);
    }
    if (entry && batch.coordinatorEpoch !== undefined && batch.coordinatorEpoch < entry.coordinatorEpoch) {
      return this.reject(batch, 'TRANSACTION_COORDINATOR_FENCED', `A marker from coordinator epoch ${batch.coordinatorEpoch} arrived after one from epoch ${entry.coordinatorEpoch}.`);
    }
    return { kind: 'append' };
  }

  private reject(batch: { producerId: number }, error: ErrorName, message: string): AppendCheck {
    this.emit({ type: 'producer-batch-rejected', topic: this.topic, partition: this.partition, message, data: { producerId: batch.producerId, error } });
    return { kind: 'error', error, message };
  }

  // ---------------------------------------------------------------- replay

  /** Applies one appended batch (data or marker). Returns the transaction a marker completed. */
  replayBatch(batch: ProducerBatchInfo): CompletedTxn | null {
    if (batch.producerId === NO_PRODUCER_ID) return null;
    const entry = this.entryFor(batch);
    entry.lastTimestamp = batch.maxTimestamp;
    if (batch.isControl) return this.replayMarker(entry, batch);
    if (batch.baseSequence !== NO_SEQUENCE) {
      entry.batches.push({ firstSeq: batch.baseSequence, lastSeq: lastSequenceOf(batch.baseSequence, batch.recordsCount), firstOffset: batch.baseOffset, lastOffset: batch.lastOffset, timestamp: batch.maxTimestamp });
      if (entry.batches.length > NUM_BATCHES_TO_RETAIN) entry.batches.shift();
    }
    if (batch.isTransactional && entry.currentTxnFirstOffset === null) {
      entry.currentTxnFirstOffset = batch.baseOffset;
      this.ongoing.set(batch.producerId, batch.baseOffset);
      this.emit({ type: 'txn-started-on-partition', topic: this.topic, partition: this.partition, message: `${this.topic}-${this.partition}: producer ${batch.producerId} opened a transaction at offset ${batch.baseOffset}; the last stable offset cannot pass it until a marker arrives.`, data: { producerId: batch.producerId, firstOffset: batch.baseOffset } });
    }
    return null;
  }

  private entryFor(batch: ProducerBatchInfo): ProducerStateEntry {
    let entry = this.producers.get(batch.producerId);
    if (!entry) {
      entry = { producerId: batch.producerId, producerEpoch: batch.producerEpoch, batches: [], coordinatorEpoch: -1, lastTimestamp: batch.maxTimestamp, currentTxnFirstOffset: null };
      this.producers.set(batch.producerId, entry);
    } else if (batch.producerEpoch > entry.producerEpoch) {
      // A new epoch starts a new sequence space; the old batches can no longer be retried.
      entry.producerEpoch = batch.producerEpoch;
      entry.batches = [];
    }
    return entry;
  }

  private replayMarker(entry: ProducerStateEntry, batch: ProducerBatchInfo): CompletedTxn | null {
    if (batch.coordinatorEpoch !== undefined) entry.coordinatorEpoch = Math.max(entry.coordinatorEpoch, batch.coordinatorEpoch);
    const firstOffset = entry.currentTxnFirstOffset;
    entry.currentTxnFirstOffset = null;
    this.ongoing.delete(entry.producerId);
    const isAborted = batch.controlType !== 'COMMIT';
    this.emit({ type: 'txn-marker-written', topic: this.topic, partition: this.partition, message: `${this.topic}-${this.partition}: ${isAborted ? 'ABORT' : 'COMMIT'} marker for producer ${entry.producerId} at offset ${batch.baseOffset}${firstOffset === null ? ' (no open transaction here)' : ` closes its transaction from offset ${firstOffset}`}.`, data: { producerId: entry.producerId, markerOffset: batch.baseOffset, firstOffset, commit: !isAborted } });
    if (firstOffset === null) return null;
    const completed: CompletedTxn = { producerId: entry.producerId, firstOffset, lastOffset: batch.baseOffset, isAborted };
    if (isAborted) {
      // Kafka stores with each index entry the LSO once this transaction no longer holds it back.
      this.aborted.push({ producerId: entry.producerId, firstOffset, lastOffset: batch.baseOffset, lastStableOffset: this.firstUnstableOffset() ?? batch.baseOffset + 1 });
    }
    this.unreplicated.push(completed);
    return completed;
  }

  // ---------------------------------------------------------------- LSO and the aborted index

  /** First offset of the oldest transaction that is open or whose marker is not yet replicated. */
  firstUnstableOffset(): number | null {
    let first: number | null = null;
    for (const offset of this.ongoing.values()) first = first === null ? offset : Math.min(first, offset);
    for (const t of this.unreplicated) first = first === null ? t.firstOffset : Math.min(first, t.firstOffset);
    return first;
  }

  /** LSO = min(high watermark, first unstable offset): read_committed consumers read up to here. */
  lastStableOffset(highWatermark = this.highWatermark): number {
    const unstable = this.firstUnstableOffset();
    return unstable === null ? highWatermark : Math.min(unstable, highWatermark);
  }

  /** The host tells us the high watermark moved; transactions whose marker it passed are stable. */
  updateHighWatermark(highWatermark: number): number {
    this.highWatermark = highWatermark;
    this.unreplicated = this.unreplicated.filter((t) => t.lastOffset >= highWatermark);
    const lso = this.lastStableOffset();
    if (lso !== this.reportedLso) {
      this.emit({ type: 'lso-moved', topic: this.topic, partition: this.partition, message: `${this.topic}-${this.partition}: last stable offset ${this.reportedLso} → ${lso} (high watermark ${highWatermark}).`, data: { from: this.reportedLso, to: lso, highWatermark } });
      this.reportedLso = lso;
    }
    return lso;
  }

  /** Aborted transactions overlapping [fetchOffset, upperBoundOffset), for a read_committed fetch. */
  abortedTransactions(fetchOffset: number, upperBoundOffset: number): AbortedTxn[] {
    return this.aborted.filter((t) => t.lastOffset >= fetchOffset && t.firstOffset < upperBoundOffset);
  }

  // ---------------------------------------------------------------- views

  entry(producerId: number): Readonly<ProducerStateEntry> | undefined {
    return this.producers.get(producerId);
  }

  /** DescribeProducers: every producer with state on this partition. */
  activeProducers(): Array<{ producerId: number; producerEpoch: number; lastSequence: number; lastTimestamp: number; coordinatorEpoch: number; currentTxnStartOffset: number }> {
    return [...this.producers.values()].sort((a, b) => a.producerId - b.producerId).map((e) => ({
      producerId: e.producerId, producerEpoch: e.producerEpoch, lastSequence: e.batches.at(-1)?.lastSeq ?? NO_SEQUENCE,
      lastTimestamp: e.lastTimestamp, coordinatorEpoch: e.coordinatorEpoch, currentTxnStartOffset: e.currentTxnFirstOffset ?? -1,
    }));
  }

  /** Open transactions, oldest first (what `kafka-transactions find-hanging` looks for). */
  ongoingTransactions(): Array<{ producerId: number; firstOffset: number }> {
    return [...this.ongoing].map(([producerId, firstOffset]) => ({ producerId, firstOffset })).sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /** producer.id.expiration.ms: forget idle producers that have no open transaction. */
  expireProducers(nowMs: number, producerIdExpirationMs = 86_400_000): number[] {
    const expired: number[] = [];
    for (const [id, e] of this.producers) {
      if (e.currentTxnFirstOffset === null && nowMs - e.lastTimestamp >= producerIdExpirationMs) expired.push(id);
    }
    for (const id of expired) this.producers.delete(id);
    return expired;
  }
}
