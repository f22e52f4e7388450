/**
 * The in-lab producer with idempotence and transactions (Kafka's KafkaProducer with its
 * TransactionManager, as a state machine over virtual time).
 *
 * States: new → ready (InitProducerId answered) → in-transaction (beginTransaction) →
 * committing | aborting (EndTxn) → ready; fenced when a newer producer with the same
 * transactional.id took over (PRODUCER_FENCED / INVALID_PRODUCER_EPOCH); failed after an
 * unrecoverable sequence error; closed.
 *
 * Idempotence (KIP-98): one sequence number per partition, reserved when a batch is built;
 * a retry sends the very same batch, so the leader recognises it and answers with the
 * original offsets. Transactions: a partition joins the transaction (AddPartitionsToTxn)
 * before its first batch; offsets join through AddOffsetsToTxn + TxnOffsetCommit (KIP-447);
 * EndTxn is retried on CONCURRENT_TRANSACTIONS and coordinator moves.
 *
 * Deviations: one batch per send call and no linger/batching; sends should be awaited one
 * at a time per partition (max.in.flight 1), which keeps ordering trivially.
 */
import { KafkaError, type ErrorName } from '../errors';
import { encodeRecordBatch } from '../storage';
import type { ProduceRecord, ProduceResponse } from './api';
import type { ProducerApi, ProducerConfig, ProducerState } from './coordinator-api';
import type { Cluster } from './cluster';
import { bootstrap, findLeader, withRetries } from './client';
import { coordinatorMoved, withCoordinator } from './coordinator-admin';

let producerSeq = 0;

function fenced(error: string): boolean {
  return error === 'PRODUCER_FENCED' || error === 'INVALID_PRODUCER_EPOCH' || error === 'INVALID_PRODUCER_ID_MAPPING';
}

export class SimProducer implements ProducerApi {
  readonly clientId: string;
  readonly transactionalId: string | null;
  state: ProducerState = 'new';
  producerId = -1;
  producerEpoch = -1;
  private readonly idempotent: boolean;
  private readonly sequences = new Map<string, number>();
  private readonly txnPartitions = new Set<string>();
  private txnHasOffsets = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly config: ProducerConfig = {},
  ) {
    this.clientId = config.clientId ?? `producer-${++producerSeq}`;
    this.transactionalId = config.transactionalId ?? null;
    this.idempotent = this.transactionalId !== null || (config.idempotent ?? false);
  }

  private timeoutMs(): number {
    return this.config.deliveryTimeoutMs ?? 120_000;
  }

  private emit(type: string, message: string, data: Record<string, unknown> = {}): void {
    this.cluster.trace.emit({ type, message, data: { client: this.clientId, transactionalId: this.transactionalId, ...data } });
  }

  private fail(error: string, message: string): never {
    if (fenced(error)) {
      this.state = 'fenced';
      this.emit('producer-fenced', `${this.clientId} was fenced (${error}): a newer producer with transactional.id ${this.transactionalId} took over, so this one stops.`, { error });
      throw new KafkaError('PRODUCER_FENCED', `${message}: ${error}.`, 'Close this producer; the newer one carries on.');
    }
    throw new KafkaError(error as ErrorName, `${message}: ${error}.`);
  }

  async init(): Promise<void> {
    if (this.state === 'fenced' || this.state === 'closed') this.fail(this.state === 'fenced' ? 'PRODUCER_FENCED' : 'INVALID_TXN_STATE', `${this.clientId} cannot initialise`);
    if (!this.idempotent) {
      this.state = 'ready';
      return;
    }
    const request = { transactionalId: this.transactionalId, transactionTimeoutMs: this.config.transactionTimeoutMs ?? 60_000 };
    const retriable = (e: string): boolean => e === 'CONCURRENT_TRANSACTIONS' || coordinatorMoved(e);
    const response = this.transactionalId === null
      ? await withRetries(this.cluster, this.timeoutMs(), async () => bootstrap(this.cluster).initProducerId(request), (r) => retriable(r.error))
      : await withRetries(this.cluster, this.timeoutMs(), () => withCoordinator(this.cluster, 'transaction', this.transactionalId!, this.timeoutMs(), (b) => b.initProducerId(request), (r) => r.error), (r) => retriable(r.error));
    if (response.error !== 'NONE') this.fail(response.error, `${this.clientId}: InitProducerId failed`);
    this.producerId = response.producerId;
    this.producerEpoch = response.producerEpoch;
    this.sequences.clear();
    this.state = 'ready';
    this.emit('producer-initialized', `${this.clientId} got producer id ${this.producerId} epoch ${this.producerEpoch}${this.transactionalId === null ? '' : ` for transactional.id ${this.transactionalId}`}.`, { producerId: this.producerId, producerEpoch: this.producerEpoch });
  }

  beginTransaction(): void {
    if (this.transactionalId === null) throw new KafkaError('INVALID_TXN_STATE', 'This producer has no transactional.id.', 'Create it with a transactionalId.');
    if (this.state !== 'ready') this.fail(this.state === 'fenced' ? 'PRODUCER_FENCED' : 'INVALID_TXN_STATE', `${this.clientId} cannot begin a transaction in state ${this.state}`);
    this.state = 'in-transaction';
    this.txnPartitions.clear();
    this.txnHasOffsets = false;
  }

  private txnRequest() {
    return { transactionalId: this.transactionalId!, producerId: this.producerId, producerEpoch: this.producerEpoch };
  }

  private async addPartition(topic: string, partition: number): Promise<void> {
    const key = `${topic}-${partition}`;
    if (this.txnPartitions.has(key)) return;
    const r = await withRetries(this.cluster, this.timeoutMs(), () => withCoordinator(this.cluster, 'transaction', this.transactionalId!, this.timeoutMs(), (b) => b.addPartitionsToTxn({ ...this.txnRequest(), topics: [{ name: topic, partitions: [partition] }] }), (x) => x.error), (x) => x.error === 'CONCURRENT_TRANSACTIONS');
    if (r.error !== 'NONE') this.fail(r.error, `${this.clientId}: AddPartitionsToTxn ${key} failed`);
    this.txnPartitions.add(key);
  }

  async send(request: { readonly topic: string; readonly partition: number; readonly records: readonly ProduceRecord[] }): Promise<ProduceResponse> {
    if (this.state === 'new') await this.init();
    if (this.state === 'fenced' || this.state === 'failed' || this.state === 'closed') this.fail(this.state === 'fenced' ? 'PRODUCER_FENCED' : 'INVALID_TXN_STATE', `${this.clientId} cannot send in state ${this.state}`);
    if (this.transactionalId !== null && this.state !== 'in-transaction') this.fail('INVALID_TXN_STATE', `${this.clientId} must begin a transaction before sending`);
    if (this.transactionalId !== null) await this.addPartition(request.topic, request.partition);
    const batch = this.buildBatch(request.topic, request.partition, request.records);
    const acks = this.idempotent ? 'all' : this.config.acks ?? 'all';
    const response = await withRetries(
      this.cluster, this.timeoutMs(),
      async () => this.cluster.broker(findLeader(this.cluster, request.topic, request.partition)).produce({ topic: request.topic, partition: request.partition, batch, acks, timeoutMs: this.config.requestTimeoutMs ?? 30_000 }),
      (r) => r.error !== null && r.error.retriable,
    );
    if (response.error !== null && fenced(response.error.errorName)) this.fail(response.error.errorName, `${this.clientId}: produce to ${request.topic}-${request.partition} was refused`);
    if (response.error !== null && (response.error.errorName === 'OUT_OF_ORDER_SEQUENCE_NUMBER' || response.error.errorName === 'UNKNOWN_PRODUCER_ID')) this.state = 'failed';
    return response;
  }

  /** Builds the batch once: its sequence numbers are reserved, so a retry is recognisable as one. */
  private buildBatch(topic: string, partition: number, records: readonly ProduceRecord[]): Uint8Array {
    const now = this.cluster.nowMs();
    const encoded = records.map((r) => ({ key: r.key ?? null, value: r.value ?? null, timestamp: r.timestamp ?? now, headers: (r.headers ?? []).map((h) => ({ key: h.key, value: h.value })) }));
    if (!this.idempotent) return encodeRecordBatch({ records: encoded });
    const key = `${topic}-${partition}`;
    const baseSequence = this.sequences.get(key) ?? 0;
    this.sequences.set(key, (baseSequence + records.length) % 2147483648);
    return encodeRecordBatch({ records: encoded, producerId: this.producerId, producerEpoch: this.producerEpoch, baseSequence, isTransactional: this.transactionalId !== null });
  }

  async sendOffsetsToTransaction(offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: number }[], group: { readonly groupId: string; readonly generationId?: number; readonly memberId?: string; readonly groupInstanceId?: string | null }): Promise<void> {
    if (this.state !== 'in-transaction') this.fail(this.state === 'fenced' ? 'PRODUCER_FENCED' : 'INVALID_TXN_STATE', `${this.clientId} must be in a transaction to send offsets`);
    const add = await withRetries(this.cluster, this.timeoutMs(), () => withCoordinator(this.cluster, 'transaction', this.transactionalId!, this.timeoutMs(), (b) => b.addOffsetsToTxn({ ...this.txnRequest(), groupId: group.groupId }), (x) => x.error), (x) => x.error === 'CONCURRENT_TRANSACTIONS');
    if (add.error !== 'NONE') this.fail(add.error, `${this.clientId}: AddOffsetsToTxn failed`);
    this.txnHasOffsets = true;
    const topics = [...new Set(offsets.map((o) => o.topic))].map((name) => ({ name, partitions: offsets.filter((o) => o.topic === name).map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset })) }));
    const commit = await withCoordinator(
      this.cluster, 'group', group.groupId, this.timeoutMs(),
      (b) => b.txnOffsetCommit({ ...this.txnRequest(), groupId: group.groupId, generationId: group.generationId ?? -1, memberId: group.memberId ?? '', groupInstanceId: group.groupInstanceId ?? null, topics }),
      (r) => r.topics[0]?.partitions[0]?.error ?? 'NONE',
    );
    const error = commit.topics.flatMap((t) => t.partitions).find((p) => p.error !== 'NONE')?.error;
    if (error !== undefined) this.fail(error, `${this.clientId}: TxnOffsetCommit failed`);
  }

  commitTransaction(): Promise<void> {
    return this.endTransaction(true);
  }

  abortTransaction(): Promise<void> {
    return this.endTransaction(false);
  }

  private async endTransaction(commit: boolean): Promise<void> {
    if (this.state !== 'in-transaction') this.fail(this.state === 'fenced' ? 'PRODUCER_FENCED' : 'INVALID_TXN_STATE', `${this.clientId} has no transaction to ${commit ? 'commit' : 'abort'}`);
    this.state = commit ? 'committing' : 'aborting';
    // Like Kafka's producer, an empty transaction never reached the coordinator: nothing to end.
    if (this.txnPartitions.size > 0 || this.txnHasOffsets) {
      const r = await withRetries(this.cluster, this.timeoutMs(), () => withCoordinator(this.cluster, 'transaction', this.transactionalId!, this.timeoutMs(), (b) => b.endTxn({ ...this.txnRequest(), committed: commit }), (x) => x.error), (x) => x.error === 'CONCURRENT_TRANSACTIONS');
      if (r.error !== 'NONE') this.fail(r.error, `${this.clientId}: EndTxn(${commit ? 'commit' : 'abort'}) failed`);
    }
    this.state = 'ready';
    this.emit(commit ? 'producer-txn-committed' : 'producer-txn-aborted', `${this.clientId} ${commit ? 'committed' : 'aborted'} its transaction over ${[...this.txnPartitions].join(', ') || 'no partitions'}.`, { partitions: [...this.txnPartitions] });
  }

  close(): void {
    if (this.state !== 'fenced') this.state = 'closed';
  }
}
