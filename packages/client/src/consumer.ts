/**
 * The consumer. With a group.id and subscribe() it runs Kafka's classic group protocol
 * from the client side: JoinGroup, the leader runs the assignor, SyncGroup, Heartbeat on
 * every poll. Rebalance callbacks fire as in the Java client: eager assignors revoke
 * everything before rejoining; cooperative ones (KIP-429) revoke only what moves and
 * rejoin once more to hand it out. group.instance.id gives static membership (KIP-345).
 * There is no background thread: heartbeats ride on poll(), so a program that stops
 * polling for longer than session.timeout.ms is removed from the group, as it would be.
 * A rebalance, though, goes on in the background as in the Java client: poll(timeout)
 * returns empty once its timeout has passed while JoinGroup is still held, so members
 * polled side by side can all take part in the same rebalance.
 */
import { builtInAssignors, type PartitionAssignor, type RebalanceProtocol } from './assignors';
import type {
  Assignment, FetchResult, IsolationLevel, JoinGroupResult, MetadataResult, OffsetFetchResult, Subscription, SyncGroupResult,
} from './ops';
import type { ConsumerGroupMetadata } from './producer';
import { KafkaClientError, tpKey, type ConsumerRecord, type TopicPartition, type Transport } from './protocol';

export interface ConsumerConfig {
  readonly groupId?: string;
  /** Static membership (KIP-345): a restart with the same id causes no rebalance. */
  readonly groupInstanceId?: string;
  readonly isolationLevel?: IsolationLevel;
  readonly autoOffsetReset?: 'earliest' | 'latest';
  /** Names of built-in assignors or assignor objects, in preference order. Default: range, cooperative-sticky. */
  readonly partitionAssignmentStrategy?: readonly (string | PartitionAssignor)[];
  readonly sessionTimeoutMs?: number;
  readonly maxPollIntervalMs?: number;
  readonly maxPollRecords?: number;
}

export interface ConsumerRebalanceListener {
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  onPartitionsAssigned?(partitions: TopicPartition[]): void | Promise<void>;
  onPartitionsLost?(partitions: TopicPartition[]): void | Promise<void>;
}

const rejoinCodes = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);

export class Consumer {
  private readonly assignors: PartitionAssignor[];
  private topics: string[] = [];
  private listener: ConsumerRebalanceListener = {};
  private assigned: TopicPartition[] = [];
  private readonly positions = new Map<string, number>();
  private memberId = '';
  private generationId = -1;
  private needsJoin = false;
  private protocol: RebalanceProtocol = 'eager';

  constructor(
    private readonly transport: Transport,
    private readonly config: ConsumerConfig = {},
  ) {
    this.assignors = (config.partitionAssignmentStrategy ?? ['range', 'cooperative-sticky']).map((a) => {
      if (typeof a !== 'string') return a;
      const found = builtInAssignors[a];
      if (!found) throw new KafkaClientError({ code: 'INVALID_CONFIG', message: `Unknown assignor ${a}.`, suggestion: `use one of ${Object.keys(builtInAssignors).join(', ')} or an object with name and assign()` });
      return found;
    });
  }

  subscribe(topics: readonly string[], listener: ConsumerRebalanceListener = {}): void {
    if (!this.config.groupId) throw new KafkaClientError({ code: 'INVALID_GROUP_ID', message: 'subscribe() needs a group.', suggestion: "create the consumer with { groupId: 'my-group' } or use assign()" });
    this.topics = [...topics];
    this.listener = listener;
    this.needsJoin = true;
  }

  /** Manual assignment: no group, no rebalances. */
  assign(partitions: readonly TopicPartition[]): void {
    this.topics = [];
    this.assigned = [...partitions];
  }

  assignment(): TopicPartition[] {
    return [...this.assigned];
  }

  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: this.config.groupId ?? '', generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.config.groupInstanceId ?? null };
  }

  seek(tp: TopicPartition, offset: number): void {
    this.positions.set(tpKey(tp), offset);
  }

  position(tp: TopicPartition): number | undefined {
    return this.positions.get(tpKey(tp));
  }

  /** Takes part in the group, then returns records (waiting up to timeoutMs of lab time). */
  async poll(timeoutMs = 1000): Promise<ConsumerRecord[]> {
    if (this.topics.length > 0 && !(await this.maintainGroup(timeoutMs))) return [];
    if (this.assigned.length === 0) return [];
    await this.fillPositions();
    const result = (await this.transport.request('fetch', {
      partitions: this.assigned.map((tp) => ({ ...tp, offset: this.positions.get(tpKey(tp)) ?? 0 })),
      isolationLevel: this.config.isolationLevel ?? 'read_uncommitted',
      maxWaitMs: timeoutMs,
      maxRecords: this.config.maxPollRecords ?? 500,
    })) as FetchResult;
    const records: ConsumerRecord[] = [];
    for (const p of result.partitions) {
      if (p.error) continue;
      records.push(...p.records);
      const last = p.records[p.records.length - 1];
      // read_committed skips aborted records and markers, so the position may jump past the last record.
      if (last) this.positions.set(tpKey(p), last.offset + 1);
    }
    return records;
  }

  /** Commits the current positions (or the given offsets) for the group. */
  async commitSync(offsets?: readonly (TopicPartition & { offset: number })[]): Promise<void> {
    const groupId = this.requireGroup('commitSync');
    const toCommit = offsets ?? this.assigned.filter((tp) => this.positions.has(tpKey(tp))).map((tp) => ({ ...tp, offset: this.positions.get(tpKey(tp))! }));
    await this.transport.request('offsetCommit', { groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.config.groupInstanceId ?? null, offsets: toCommit });
  }

  /** Current positions of every assigned partition, as sendOffsetsToTransaction wants them. */
  currentOffsets(): (TopicPartition & { offset: number })[] {
    return this.assigned.filter((tp) => this.positions.has(tpKey(tp))).map((tp) => ({ ...tp, offset: this.positions.get(tpKey(tp))! }));
  }

  /** Leaves the group (a static member stays until its session times out, as in Kafka). */
  async close(): Promise<void> {
    if (this.config.groupId && this.memberId && !this.config.groupInstanceId) {
      await this.listener.onPartitionsRevoked?.(this.assigned);
      await this.transport.request('leaveGroup', { groupId: this.config.groupId, members: [{ memberId: this.memberId, groupInstanceId: null }] });
    }
    this.assigned = [];
    this.memberId = '';
    this.generationId = -1;
  }

  /** Heartbeats or rejoins; false when a rejoin is still under way after `timeoutMs`. */
  private async maintainGroup(timeoutMs: number): Promise<boolean> {
    const failed = this.rejoinError;
    if (failed !== null) {
      this.rejoinError = null;
      throw failed;
    }
    if (this.rejoining === null) {
      await this.heartbeatOrNotice();
      if (!this.needsJoin) return true;
      this.rejoining = this.rejoin().finally(() => (this.rejoining = null));
    }
    const rejoining = this.rejoining;
    // A held JoinGroup waits for the other members; poll's timeout does not.
    const done = await Promise.race([rejoining.then(() => true), this.transport.request('wait', { ms: timeoutMs }).then(() => false)]);
    // Still running: a failure shows on the next poll instead of going unnoticed.
    if (!done) rejoining.catch((error: unknown) => (this.rejoinError ??= error));
    return done;
  }

  private rejoining: Promise<void> | null = null;
  private rejoinError: unknown = null;

  private async rejoin(): Promise<void> {
    // A cooperative rebalance may need a second round to hand out what was just revoked.
    for (let round = 0; this.needsJoin && round < 3; round++) await this.joinAndSync();
  }

  private async heartbeatOrNotice(): Promise<void> {
    if (!this.needsJoin && this.memberId) {
      try {
        await this.transport.request('heartbeat', { groupId: this.config.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.config.groupInstanceId ?? null });
      } catch (error) {
        if (!(error instanceof KafkaClientError) || !rejoinCodes.has(error.code)) throw error;
        if (error.code !== 'REBALANCE_IN_PROGRESS') await this.losePartitions();
        this.needsJoin = true;
      }
    }
  }

  private async joinAndSync(): Promise<void> {
    const groupId = this.config.groupId!;
    if (this.protocol === 'eager' && this.assigned.length > 0) {
      await this.listener.onPartitionsRevoked?.(this.assigned);
      this.ownedBeforeRevoke = this.assigned;
      this.assigned = [];
    }
    const owned = this.protocol === 'eager' ? this.ownedBeforeRevoke : this.assigned;
    const subscription: Subscription = { topics: this.topics, ownedPartitions: owned };
    let join: JoinGroupResult;
    try {
      join = (await this.transport.request('joinGroup', {
        groupId,
        memberId: this.memberId,
        groupInstanceId: this.config.groupInstanceId ?? null,
        sessionTimeoutMs: this.config.sessionTimeoutMs ?? 45_000,
        rebalanceTimeoutMs: this.config.maxPollIntervalMs ?? 300_000,
        protocols: this.assignors.map((a) => ({ name: a.name, subscription })),
      })) as JoinGroupResult;
    } catch (error) {
      if (error instanceof KafkaClientError && error.code === 'UNKNOWN_MEMBER_ID') {
        this.memberId = '';
        return;
      }
      throw error;
    }
    this.memberId = join.memberId;
    this.generationId = join.generationId;
    const assignor = this.assignors.find((a) => a.name === join.protocolName);
    this.protocol = assignor?.protocol ?? 'eager';
    const assignments = join.leader === join.memberId && !join.skipAssignment ? await this.leaderAssign(join, assignor) : [];
    let sync: SyncGroupResult;
    try {
      sync = (await this.transport.request('syncGroup', {
        groupId, generationId: join.generationId, memberId: join.memberId, groupInstanceId: this.config.groupInstanceId ?? null, protocolName: join.protocolName, assignments,
      })) as SyncGroupResult;
    } catch (error) {
      if (error instanceof KafkaClientError && rejoinCodes.has(error.code)) return;
      throw error;
    }
    this.needsJoin = false;
    await this.applyAssignment(sync.assignment);
  }

  private ownedBeforeRevoke: TopicPartition[] = [];

  private async leaderAssign(join: JoinGroupResult, assignor: PartitionAssignor | undefined): Promise<{ memberId: string; assignment: Assignment }[]> {
    if (!assignor) throw new KafkaClientError({ code: 'INCONSISTENT_GROUP_PROTOCOL', message: `The group chose ${join.protocolName}, which this consumer does not have.`, suggestion: 'give every member of the group the same assignors' });
    const topics = [...new Set(join.members.flatMap((m) => m.subscription.topics))];
    const metadata = (await this.transport.request('metadata', { topics })) as MetadataResult;
    const partitionsPerTopic = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
    const members = Object.fromEntries(join.members.map((m) => [m.memberId, m.subscription]));
    const plan = assignor.assign({ partitionsPerTopic, members });
    return join.members.map((m) => ({ memberId: m.memberId, assignment: { partitions: plan[m.memberId] ?? [] } }));
  }

  private async applyAssignment(assignment: Assignment): Promise<void> {
    const next = assignment.partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
    const nextKeys = new Set(next.map(tpKey));
    const oldKeys = new Set(this.assigned.map(tpKey));
    if (this.protocol === 'cooperative') {
      const revoked = this.assigned.filter((tp) => !nextKeys.has(tpKey(tp)));
      if (revoked.length > 0) {
        await this.listener.onPartitionsRevoked?.(revoked);
        for (const tp of revoked) this.positions.delete(tpKey(tp));
        this.needsJoin = true;
      }
    }
    const added = next.filter((tp) => !oldKeys.has(tpKey(tp)));
    this.assigned = next;
    this.ownedBeforeRevoke = [];
    for (const tp of added) this.positions.delete(tpKey(tp));
    await this.listener.onPartitionsAssigned?.(this.protocol === 'cooperative' ? added : next);
  }

  private async losePartitions(): Promise<void> {
    if (this.assigned.length > 0) await this.listener.onPartitionsLost?.(this.assigned);
    this.assigned = [];
    this.ownedBeforeRevoke = [];
    this.generationId = -1;
  }

  /** Starts each new partition at the group's committed offset, else per auto.offset.reset. */
  private async fillPositions(): Promise<void> {
    const missing = this.assigned.filter((tp) => !this.positions.has(tpKey(tp)));
    if (missing.length === 0) return;
    let committed: OffsetFetchResult = { offsets: [] };
    if (this.config.groupId) {
      committed = (await this.transport.request('offsetFetch', { groupId: this.config.groupId, partitions: missing, requireStable: true })) as OffsetFetchResult;
    }
    for (const tp of missing) {
      const offset = committed.offsets.find((o) => o.topic === tp.topic && o.partition === tp.partition)?.offset ?? -1;
      if (offset >= 0) {
        this.positions.set(tpKey(tp), offset);
        continue;
      }
      const timestamp = (this.config.autoOffsetReset ?? 'latest') === 'earliest' ? -2 : -1;
      const reset = (await this.transport.request('listOffsets', { ...tp, timestamp, isolationLevel: this.config.isolationLevel ?? 'read_uncommitted' })) as { offset: number };
      this.positions.set(tpKey(tp), reset.offset);
    }
  }

  private requireGroup(what: string): string {
    if (!this.config.groupId) throw new KafkaClientError({ code: 'INVALID_GROUP_ID', message: `${what} needs a group.`, suggestion: "create the consumer with { groupId: 'my-group' }" });
    return this.config.groupId;
  }
}
