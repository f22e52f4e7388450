/**
 * The in-lab group consumer: the classic group protocol state machine of `clients/consumer.ts`
 * driven over the simulated cluster, plus positions, fetching and offset commits (Kafka's
 * KafkaConsumer with its ConsumerCoordinator).
 *
 * A background loop in virtual time finds the coordinator (FindCoordinator), sends what the
 * state machine asks for (JoinGroup, SyncGroup, Heartbeat) one request at a time, and on
 * NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE or a broken connection looks for the
 * coordinator again. Before partitions are revoked it commits their positions (with
 * enable.auto.commit), as onPartitionsRevoked does; lost partitions (UNKNOWN_MEMBER_ID,
 * ILLEGAL_GENERATION) are dropped without a commit. A partition's position starts at the
 * group's committed offset, else at auto.offset.reset.
 *
 * Deviations: no fetch sessions or prefetching; `poll` fetches every assigned partition once.
 */
import { KafkaError } from '../errors';
import { assignors } from '../clients/assignors';
import { ConsumerClient, type ConsumerRequest, type ConsumerResponse } from '../clients/consumer';
import { BatchIterator } from '../storage';
import type { ConsumedRecord, GroupConsumerApi, GroupConsumerConfig, GroupConsumerStats } from './coordinator-api';
import type { Cluster } from './cluster';
import type { BrokerApi } from './api';
import { bootstrap } from './client';
import { coordinatorMoved } from './coordinator-admin';

let consumerSeq = 0;
const TICK_MS = 100;

type TP = { readonly topic: string; readonly partition: number };
const keyOf = (tp: TP): string => `${tp.topic}\u0000${tp.partition}`;

export class SimGroupConsumer implements GroupConsumerApi {
  readonly clientId: string;
  readonly groupId: string;
  coordinatorId: number | null = null;
  coordinatorError: string | null = null;
  private readonly machine: ConsumerClient;
  private running = false;
  private busy = false;
  private incarnation = 0;
  private readonly positionsByTp = new Map<string, number>();
  private nextAutoCommitMs = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly config: GroupConsumerConfig,
  ) {
    this.clientId = config.clientId ?? `consumer-${++consumerSeq}`;
    this.groupId = config.groupId;
    const assignor = assignors[config.assignor ?? 'range'];
    if (assignor === undefined) throw new KafkaError('INVALID_CONFIG', `Unknown assignor ${config.assignor}.`, 'Use range, roundrobin, sticky or cooperative-sticky.');
    this.machine = new ConsumerClient({
      clientId: this.clientId,
      groupId: config.groupId,
      topics: config.topics,
      assignor,
      metadata: () => this.partitionCounts(),
      groupInstanceId: config.groupInstanceId ?? null,
      sessionTimeoutMs: config.sessionTimeoutMs ?? 45_000,
      rebalanceTimeoutMs: config.rebalanceTimeoutMs ?? 300_000,
      heartbeatIntervalMs: config.heartbeatIntervalMs ?? 3_000,
      emit: (event) => cluster.trace.emit(event),
    });
  }

  get state(): string {
    return this.machine.state;
  }

  get memberId(): string {
    return this.machine.memberId;
  }

  get generationId(): number {
    return this.machine.generationId;
  }

  assignment(): TP[] {
    return this.machine.owned.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition })));
  }

  stats(): GroupConsumerStats {
    const m = this.machine;
    return { rebalances: m.rebalances, assigned: m.assignedCount, revoked: m.revokedCount, lost: m.lostCount };
  }

  positions(): Array<TP & { offset: number }> {
    return this.assignment().flatMap((tp) => {
      const offset = this.positionsByTp.get(keyOf(tp));
      return offset === undefined ? [] : [{ ...tp, offset }];
    });
  }

  private partitionCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const id of this.cluster.brokerIds) {
      const image = this.cluster.brokerNode(id)?.image;
      if (image === undefined) continue;
      for (const t of this.config.topics) {
        const n = image.topic(t)?.partitions.size;
        if (n !== undefined) counts.set(t, Math.max(counts.get(t) ?? 0, n));
      }
    }
    return counts;
  }

  // ---- the group protocol loop ------------------------------------------------------------

  start(): void {
    if (this.running || this.machine.state === 'CLOSED') return;
    this.running = true;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    const incarnation = this.incarnation;
    this.cluster.schedule(delayMs, () => {
      if (this.running && incarnation === this.incarnation) void this.tick();
    });
  }

  private async tick(): Promise<void> {
    if (this.busy || !this.running) return;
    this.busy = true;
    try {
      await this.step();
    } finally {
      this.busy = false;
    }
    if (this.running) this.schedule(TICK_MS);
  }

  private async coordinator(): Promise<BrokerApi | null> {
    if (this.coordinatorId !== null && this.cluster.brokerNode(this.coordinatorId) !== null) return this.cluster.broker(this.coordinatorId);
    try {
      const found = await bootstrap(this.cluster).findCoordinator('group', this.groupId);
      this.coordinatorError = found.error === null ? null : found.error.errorName;
      if (found.error !== null) return null;
      this.coordinatorId = found.nodeId;
      return this.cluster.broker(found.nodeId);
    } catch (error) {
      this.coordinatorError = error instanceof KafkaError ? error.errorName : String(error);
      return null;
    }
  }

  private lostCoordinator(why: string): void {
    if (this.coordinatorId !== null) this.cluster.trace.emit({ type: 'consumer-coordinator-lost', message: `${this.clientId} lost its group coordinator (broker ${this.coordinatorId}): ${why}; it looks for the new one.`, data: { client: this.clientId, groupId: this.groupId, coordinatorId: this.coordinatorId } });
    this.coordinatorId = null;
    this.machine.onCoordinatorLost();
  }

  /** One round: send whatever the state machine wants, then auto-commit if due. */
  private async step(): Promise<void> {
    for (let guard = 0; guard < 4 && this.running; guard++) {
      const coordinator = await this.coordinator();
      if (coordinator === null) return;
      const request = this.machine.poll(this.cluster.nowMs());
      if (request === null) break;
      const response = await this.send(coordinator, request);
      if (response === null) return;
      const before = this.assignment();
      const lostBefore = this.machine.lostCount;
      this.machine.onResponse(response, this.cluster.nowMs());
      await this.afterAssignmentChange(before, lostBefore);
    }
    if ((this.config.autoCommit ?? true) && this.machine.state === 'STABLE' && this.cluster.nowMs() >= this.nextAutoCommitMs) {
      this.nextAutoCommitMs = this.cluster.nowMs() + (this.config.autoCommitIntervalMs ?? 5_000);
      await this.commit().catch(() => undefined);
    }
  }

  private async send(coordinator: BrokerApi, request: ConsumerRequest): Promise<ConsumerResponse | null> {
    try {
      const response = await this.exchange(coordinator, request);
      if (response === null) return null;
      const error = response.response.error;
      if (coordinatorMoved(error)) {
        this.lostCoordinator(error);
        return null;
      }
      return response;
    } catch (error) {
      this.lostCoordinator(error instanceof KafkaError ? error.errorName : String(error));
      return null;
    }
  }

  /** One request to the coordinator and its response, typed by API. */
  private async exchange(coordinator: BrokerApi, request: ConsumerRequest): Promise<ConsumerResponse | null> {
    switch (request.api) {
      case 'JoinGroup':
        return { api: 'JoinGroup', response: await coordinator.joinGroup(request.request) };
      case 'SyncGroup':
        return { api: 'SyncGroup', response: await coordinator.syncGroup(request.request) };
      case 'Heartbeat':
        return { api: 'Heartbeat', response: await coordinator.heartbeat(request.request) };
      case 'LeaveGroup':
        await coordinator.leaveGroup(request.request);
        return null;
    }
  }

  /** Commits what is about to be revoked (not what was lost), and forgets positions of partitions we no longer own. */
  private async afterAssignmentChange(before: readonly TP[], lostBefore: number): Promise<void> {
    const now = new Set(this.assignment().map(keyOf));
    const removed = before.filter((tp) => !now.has(keyOf(tp)));
    if (removed.length === 0) return;
    const lost = this.machine.lostCount > lostBefore;
    if (!lost && (this.config.autoCommit ?? true)) {
      const offsets = removed.flatMap((tp) => {
        const offset = this.positionsByTp.get(keyOf(tp));
        return offset === undefined ? [] : [{ ...tp, offset }];
      });
      if (offsets.length > 0) await this.commit(offsets).catch(() => undefined);
    }
    for (const tp of removed) this.positionsByTp.delete(keyOf(tp));
  }

  // ---- positions, fetching, commits -------------------------------------------------------

  private async initPositions(): Promise<void> {
    const missing = this.assignment().filter((tp) => !this.positionsByTp.has(keyOf(tp)));
    if (missing.length === 0) return;
    const coordinator = await this.coordinator();
    if (coordinator === null) return;
    const generation = this.generationId;
    const fetched = await coordinator.offsetFetch({ groupId: this.groupId, topics: [...new Set(missing.map((tp) => tp.topic))].map((name) => ({ name, partitionIndexes: missing.filter((tp) => tp.topic === name).map((tp) => tp.partition) })), requireStable: true }).catch(() => null);
    if (fetched === null || fetched.error !== 'NONE' || generation !== this.generationId) return;
    for (const t of fetched.topics) {
      for (const p of t.partitions) {
        if (p.error !== 'NONE') continue;
        const tp = { topic: t.name, partition: p.partitionIndex };
        const offset = p.committedOffset >= 0 ? p.committedOffset : await this.resetOffset(tp);
        if (offset !== null && this.assignment().some((x) => keyOf(x) === keyOf(tp))) this.positionsByTp.set(keyOf(tp), offset);
      }
    }
  }

  private async resetOffset(tp: TP): Promise<number | null> {
    const timestamp = (this.config.autoOffsetReset ?? 'earliest') === 'earliest' ? -2 : -1;
    const r = await this.cluster.client.listOffsets({ ...tp, timestamp, isolationLevel: this.config.isolationLevel ?? 'read_uncommitted' }).catch(() => null);
    return r === null || r.error !== null ? null : r.offset;
  }

  /**
   * Records from every assigned partition, waiting up to `maxWaitMs` of virtual time for
   * some, as KafkaConsumer.poll(timeout) blocks: a consumer without partitions yet (joining,
   * or its coordinator unavailable) or whose fetches fail must not return at once, or a
   * caller polling in a loop would spin without ever letting time advance.
   */
  async poll(maxWaitMs = 0): Promise<ConsumedRecord[]> {
    const startedMs = this.cluster.nowMs();
    const records = await this.pollOnce(maxWaitMs);
    const remainingMs = startedMs + maxWaitMs - this.cluster.nowMs();
    if (records.length === 0 && remainingMs > 0) await new Promise<void>((resolve) => this.cluster.schedule(remainingMs, resolve));
    return records;
  }

  private async pollOnce(maxWaitMs: number): Promise<ConsumedRecord[]> {
    if (!this.running) this.start();
    await this.initPositions();
    const generation = this.generationId;
    const owned = this.positions();
    const results = await Promise.all(owned.map(async (tp) => {
      const r = await this.cluster.client.fetch({ topic: tp.topic, partition: tp.partition, fetchOffset: tp.offset, maxWaitMs, isolationLevel: this.config.isolationLevel ?? 'read_uncommitted' }).catch(() => null);
      return { tp, r };
    }));
    const out: ConsumedRecord[] = [];
    for (const { tp, r } of results) {
      if (r === null || generation !== this.generationId || this.positionsByTp.get(keyOf(tp)) !== tp.offset) continue;
      if (r.error?.errorName === 'OFFSET_OUT_OF_RANGE') {
        this.positionsByTp.delete(keyOf(tp));
        continue;
      }
      if (r.error !== null) continue;
      for (const record of r.records) if (record.offset >= tp.offset) out.push({ ...record, topic: tp.topic, partition: tp.partition });
      this.positionsByTp.set(keyOf(tp), Math.max(tp.offset, endOfBatches(r.batches)));
    }
    return out;
  }

  async commit(offsets?: readonly (TP & { readonly offset: number })[]): Promise<void> {
    const list = offsets ?? this.positions();
    if (list.length === 0) return;
    const coordinator = await this.coordinator();
    if (coordinator === null) throw new KafkaError('COORDINATOR_NOT_AVAILABLE', `${this.clientId} does not know its group coordinator yet.`, 'Retry the commit.');
    const topics = [...new Set(list.map((o) => o.topic))].map((name) => ({ name, partitions: list.filter((o) => o.topic === name).map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset })) }));
    const response = await coordinator.offsetCommit({ groupId: this.groupId, generationIdOrMemberEpoch: this.generationId, memberId: this.memberId, groupInstanceId: this.config.groupInstanceId ?? null, topics });
    const error = response.topics.flatMap((t) => t.partitions).find((p) => p.error !== 'NONE')?.error;
    if (error !== undefined) {
      if (coordinatorMoved(error)) this.lostCoordinator(error);
      throw new KafkaError(error, `${this.clientId}: OffsetCommit failed with ${error}.`, 'The group rebalanced or the coordinator moved; the next commit will carry the new generation.');
    }
    this.onCommitted?.(list);
  }

  /** Called after every acknowledged commit (the simulation's invariant checker listens). */
  onCommitted: ((offsets: readonly (TP & { readonly offset: number })[]) => void) | null = null;

  async close(): Promise<void> {
    if (this.machine.state === 'CLOSED') return;
    if ((this.config.autoCommit ?? true) && this.machine.state === 'STABLE') await this.commit().catch(() => undefined);
    const leave = this.machine.close();
    this.stopLoop();
    const coordinator = leave === null ? null : await this.coordinator();
    if (leave !== null && coordinator !== null) await this.send(coordinator, leave);
  }

  crash(): void {
    this.stopLoop();
    this.machine.state = 'CLOSED';
  }

  private stopLoop(): void {
    this.running = false;
    this.incarnation++;
  }
}

/** The offset after the last batch of fetched bytes (control batches and aborted data included). */
function endOfBatches(bytes: Uint8Array): number {
  let end = -1;
  const it = new BatchIterator(bytes);
  while (it.next()) end = it.lastOffset + 1;
  return end;
}
