/**
 * Group and transaction workloads for the seeded fault simulation, with their invariants:
 *
 * - I1 an idempotent producer retrying through faults never writes a value twice;
 * - G1 a group's acknowledged offset commits never move backwards for a partition (there
 *   are no explicit resets in the simulation), and the coordinator's final committed offset
 *   is at least the last acknowledged one;
 * - T1 read_committed never returns a record of a transaction whose abort was acknowledged,
 *   nor one at or past the last stable offset;
 * - T2 every record of a transaction whose commit was acknowledged is returned exactly once;
 * - T3 transactions are atomic: a transaction's records are visible on all its partitions
 *   or on none;
 * - T4 a zombie's writes are refused once a successor has fenced it: none of them becomes
 *   visible to read_committed;
 * - T5 once the cluster is healthy again, no transaction stays open (the LSO catches up).
 *
 * Each workload is an async loop over virtual time that stops when the fault phase ends.
 */
import { KafkaError } from '../errors';
import type { Prng } from '../sim/prng';
import { BatchIterator } from '../storage';
import type { FetchedRecord } from './api';
import type { GroupConsumerApi, ProducerApi } from './coordinator-api';
import type { Cluster } from './cluster';
import { runUntil, settle } from './settle';
import { SimGroupConsumer } from './consumer-client';

export const TXN_TOPIC = 'sim-tx';
const text = (bytes: Uint8Array | null): string => (bytes === null ? '' : new TextDecoder().decode(bytes));

function sleep(cluster: Cluster, ms: number): Promise<void> {
  return new Promise((resolve) => cluster.schedule(ms, resolve));
}

interface TxnRecord {
  readonly values: readonly string[];
  outcome: 'open' | 'committed' | 'aborted' | 'unknown';
  /** A successor fenced the producer in the middle of this transaction. */
  zombie: boolean;
}

export class CoordinatorWorkloads {
  readonly violations: string[] = [];
  private stopped = false;
  private readonly transactions = new Map<number, TxnRecord>();
  private readonly idempotentValues = new Set<string>();
  private readonly commits = new Map<string, number>();
  private consumers: GroupConsumerApi[] = [];
  stats = { idempotentAcked: 0, committedTxns: 0, abortedTxns: 0, commitsAcked: 0, fencings: 0 };

  constructor(
    private readonly cluster: Cluster,
    private readonly prng: Prng,
    private readonly produceTopic: string,
    private readonly partitions: number,
  ) {}

  private fail(rule: string, message: string): void {
    if (this.violations.length < 20) this.violations.push(`[${rule} at ${this.cluster.nowMs()} ms] ${message}`);
  }

  start(): void {
    void this.idempotentLoop();
    void this.transactionLoop();
    void this.groupLoop();
  }

  /** Ends the workloads; in-flight operations may still settle while the cluster heals. */
  stop(): void {
    this.stopped = true;
  }

  // ---- I1: idempotent producer ----------------------------------------------------------

  private async idempotentLoop(): Promise<void> {
    const producer = this.cluster.client.createProducer({ idempotent: true, clientId: 'sim-idempotent', deliveryTimeoutMs: 20_000, requestTimeoutMs: 2_000 });
    for (let n = 0; !this.stopped && producer.state !== 'failed'; n++) {
      const value = `i${n}`;
      this.idempotentValues.add(value);
      const r = await producer.send({ topic: this.produceTopic, partition: n % this.partitions, records: [{ value }] }).catch(() => null);
      if (r?.error === null) this.stats.idempotentAcked++;
      await sleep(this.cluster, 50);
    }
  }

  // ---- T1-T4: transactions with zombies -------------------------------------------------

  private newTxnProducer(): ProducerApi {
    return this.cluster.client.createProducer({ transactionalId: 'sim-tx', transactionTimeoutMs: 3_000, deliveryTimeoutMs: 10_000, requestTimeoutMs: 2_000 });
  }

  private async transactionLoop(): Promise<void> {
    let producer = this.newTxnProducer();
    for (let k = 0; !this.stopped; k++) {
      if (producer.state !== 'new' && producer.state !== 'ready') producer = this.newTxnProducer();
      // Now and then a successor starts while this producer is mid-transaction: it becomes a zombie.
      const spawnZombie = this.prng.int(8) === 0;
      await this.oneTransaction(producer, k, async (record) => {
        if (!spawnZombie) return;
        const successor = this.newTxnProducer();
        await successor.init().catch(() => undefined);
        if (successor.state === 'ready') {
          this.stats.fencings++;
          record.zombie = true;
          producer = successor;
        }
      });
      await sleep(this.cluster, 100);
    }
  }

  private async oneTransaction(producer: ProducerApi, k: number, midway: (record: TxnRecord) => Promise<void>): Promise<void> {
    const record: TxnRecord = { values: [`t${k}-0`, `t${k}-1`], outcome: 'open', zombie: false };
    const commit = this.prng.int(3) !== 0;
    try {
      if (producer.state === 'new') await producer.init();
      producer.beginTransaction();
      this.transactions.set(k, record);
      await producer.send({ topic: TXN_TOPIC, partition: 0, records: [{ value: record.values[0]! }] });
      await midway(record);
      await producer.send({ topic: TXN_TOPIC, partition: 1, records: [{ value: record.values[1]! }] });
      if (commit) await producer.commitTransaction();
      else await producer.abortTransaction();
      record.outcome = commit ? 'committed' : 'aborted';
      if (commit) this.stats.committedTxns++;
      else this.stats.abortedTxns++;
    } catch (error) {
      record.outcome = 'unknown';
      if (!(error instanceof KafkaError)) throw error;
    }
  }

  // ---- G1: a consumer group that commits as it goes -------------------------------------

  private async groupLoop(): Promise<void> {
    const assignor = this.prng.int(2) === 0 ? 'range' : 'cooperative-sticky';
    this.consumers = [0, 1, 2].map((i) =>
      this.cluster.client.createConsumer({ groupId: 'sim-group', topics: [this.produceTopic], clientId: `sim-c${i}`, assignor, autoCommit: false, sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 8_000, heartbeatIntervalMs: 1_000 }),
    );
    for (const c of this.consumers) {
      c.start();
      if (c instanceof SimGroupConsumer) c.onCommitted = (offsets) => this.onCommitted(offsets);
    }
    while (!this.stopped) {
      await Promise.all(this.consumers.map(async (c) => {
        await c.poll(0).catch(() => []);
        await c.commit().catch(() => undefined);
      }));
      await sleep(this.cluster, 200);
    }
  }

  private onCommitted(offsets: readonly { topic: string; partition: number; offset: number }[]): void {
    this.stats.commitsAcked++;
    for (const o of offsets) {
      const key = `${o.topic}-${o.partition}`;
      const last = this.commits.get(key) ?? -1;
      if (o.offset < last) this.fail('G1', `an acknowledged commit moved ${key} back from ${last} to ${o.offset}`);
      this.commits.set(key, Math.max(last, o.offset));
    }
  }

  // ---- end-of-run checks ------------------------------------------------------------------

  /** Runs once the cluster is healthy: waits for open transactions to settle, then reads everything. */
  async check(leaderLog: (topic: string, partition: number) => FetchedRecord[] | null): Promise<void> {
    for (const c of this.consumers) c.crash();
    await this.checkIdempotence(leaderLog);
    await this.checkTransactions();
    await this.checkGroupOffsets();
  }

  private async checkIdempotence(leaderLog: (topic: string, partition: number) => FetchedRecord[] | null): Promise<void> {
    for (let p = 0; p < this.partitions; p++) {
      const seen = new Set<string>();
      for (const r of leaderLog(this.produceTopic, p) ?? []) {
        const value = text(r.value);
        if (!this.idempotentValues.has(value)) continue;
        if (seen.has(value)) this.fail('I1', `idempotent value ${value} appears twice in ${this.produceTopic}-${p}`);
        seen.add(value);
      }
    }
  }

  private async readCommitted(partition: number): Promise<FetchedRecord[] | null> {
    const out: FetchedRecord[] = [];
    let offset = 0;
    for (let guard = 0; guard < 1000; guard++) {
      const r = await settle(this.cluster, this.cluster.client.fetch({ topic: TXN_TOPIC, partition, fetchOffset: offset, maxWaitMs: 0, isolationLevel: 'read_committed' })).catch(() => null);
      if (r === null || r.error !== null) return null;
      for (const rec of r.records) {
        if (rec.offset >= r.lastStableOffset) this.fail('T1', `read_committed returned offset ${rec.offset} of ${TXN_TOPIC}-${partition} at or past the LSO ${r.lastStableOffset}`);
        out.push(rec);
      }
      const next = Math.max(offset, ...r.records.map((rec) => rec.offset + 1), nextOffsetOf(r.batches));
      if (next <= offset || next >= r.lastStableOffset) return out;
      offset = next;
    }
    return out;
  }

  private async checkTransactions(): Promise<void> {
    const settled = await runUntil(this.cluster, () => this.transactionsSettled(), 30_000);
    if (!settled) this.fail('T5', `a transaction on ${TXN_TOPIC} is still open after the cluster healed (the LSO is stuck)`);
    const visible = new Map<string, number>();
    for (const p of [0, 1]) {
      const records = await this.readCommitted(p);
      if (records === null) return this.fail('T5', `read_committed of ${TXN_TOPIC}-${p} failed after the cluster healed`);
      for (const r of records) visible.set(text(r.value), (visible.get(text(r.value)) ?? 0) + 1);
    }
    for (const [k, t] of this.transactions) {
      const counts = t.values.map((v) => visible.get(v) ?? 0);
      if (t.outcome === 'aborted' && counts.some((n) => n > 0)) this.fail('T1', `transaction ${k} was aborted but read_committed returns its records`);
      if (t.outcome === 'committed' && counts.some((n) => n !== 1)) this.fail('T2', `transaction ${k} was committed but its records appear ${counts.join('/')} times`);
      if (t.zombie && counts.some((n) => n > 0)) this.fail('T4', `transaction ${k} of a fenced producer became visible`);
      if (counts.some((n) => n > 0) && counts.some((n) => n === 0)) this.fail('T3', `transaction ${k} is visible on one partition only (${counts.join('/')})`);
      if (counts.some((n) => n > 1)) this.fail('T2', `a record of transaction ${k} appears twice`);
    }
  }

  private transactionsSettled(): boolean {
    const topic = this.cluster.snapshot().topics.find((t) => t.name === TXN_TOPIC);
    return topic !== undefined && topic.partitions.every((p) => p.leader >= 0 && p.lastStableOffset === p.highWatermark);
  }

  private async checkGroupOffsets(): Promise<void> {
    const rows = await settle(this.cluster, this.cluster.admin.listConsumerGroupOffsets('sim-group')).catch(() => null);
    if (rows === null) return this.fail('G1', 'the group coordinator did not answer after the cluster healed');
    for (const [key, acked] of this.commits) {
      const row = rows.find((r) => `${r.topic}-${r.partition}` === key);
      if (row === undefined || row.committedOffset < acked) this.fail('G1', `${key}: the coordinator holds ${row?.committedOffset ?? 'no offset'}, below the acknowledged commit ${acked}`);
    }
  }
}

function nextOffsetOf(batches: Uint8Array): number {
  let next = -1;
  const it = new BatchIterator(batches);
  while (it.next()) next = it.lastOffset + 1;
  return next;
}
