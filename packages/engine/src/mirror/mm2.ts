/**
 * A MirrorMaker 2-style replication flow (KIP-382), source region → target region.
 *
 * - Source task (MirrorSourceConnector): for each partition of each mirrored topic, fetch
 *   committed records from the source, carry them across the link (one link latency), and
 *   produce them to the remote topic `<sourceAlias><separator><topic>` in the target
 *   (DefaultReplicationPolicy), creating it with the source's partition count. The target
 *   assigns its own offsets. Offset syncs (upstream, downstream) are emitted by Kafka's
 *   rule: on the first record, when the upstream skips an offset, when the downstream went
 *   backwards, or when the translated offset would trail by `offset.lag.max` (default 100)
 *   or more. Syncs are written to `mm2-offset-syncs.<targetAlias>.internal` in the source.
 * - Checkpoint task (MirrorCheckpointConnector): every `emit.checkpoints.interval.seconds`
 *   (60) it translates each listed group's committed source offsets with the latest sync at
 *   or below them (`downstream`, or `downstream + 1` when the offset lies past the sync, so
 *   a resumed group re-reads rather than skips) and writes checkpoints to
 *   `<sourceAlias>.checkpoints.internal` in the target. With `sync.group.offsets.enabled`
 *   (KIP-545) it also commits the translated offsets in the target every
 *   `sync.group.offsets.interval.seconds`, for groups with no active members there.
 *
 * States: running → stopped. Lag per partition = source high watermark − next offset to copy.
 *
 * Every step is a scheduled simulator event (mirror-io.ts), so the flow is deterministic and
 * keeps copying under any driver of the clock, a long `advanceTo` included.
 *
 * Deviations: no Kafka Connect (tasks are plain loops), no heartbeats topic, no topic-config
 * or ACL sync, no new-topic discovery (`refresh.topics.interval.seconds`); every offset sync
 * is kept (Kafka keeps a sparse set); delivery is at least once only in principle: the
 * loop never retries a produce, so it never writes a record twice.
 */
import { KafkaError } from '../errors';
import type { FetchedRecord } from '../cluster/api';
import { decodeRecords } from '../cluster/broker-api';
import { BatchIterator, encodeRecordBatch } from '../storage';
import type { MultiCluster, RegionState } from './multi-cluster';
import { fetchFromLeader, produceToLeader } from './mirror-io';

/** Last offset of the last batch in `bytes`, or -1 when there is none. */
function lastOffsetIn(bytes: Uint8Array): number {
  let last = -1;
  const it = new BatchIterator(bytes);
  while (it.next()) last = it.lastOffset;
  return last;
}

export interface MirrorMakerOptions {
  readonly topics: readonly string[];
  /** Consumer groups whose offsets are checkpointed (groups.*). */
  readonly groups?: readonly string[];
  /** emit.checkpoints.interval.seconds, default 60. */
  readonly emitCheckpointsIntervalSeconds?: number;
  /** sync.group.offsets.enabled (KIP-545), default false. */
  readonly syncGroupOffsetsEnabled?: boolean;
  /** sync.group.offsets.interval.seconds, default 60. */
  readonly syncGroupOffsetsIntervalSeconds?: number;
  /** offset.lag.max, default 100. */
  readonly offsetLagMax?: number;
  /** replication.policy.separator, default '.'. */
  readonly separator?: string;
  /** replication.factor of remote topics, default 2 (capped by the target's brokers). */
  readonly replicationFactor?: number;
}

export interface OffsetSync {
  readonly upstreamOffset: number;
  readonly downstreamOffset: number;
}

export interface Checkpoint {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly upstreamOffset: number;
  readonly downstreamOffset: number;
  readonly timeMs: number;
}

export interface MirrorPartitionStatus {
  readonly sourceTopic: string;
  readonly targetTopic: string;
  readonly partition: number;
  /** Source high watermark: what the source has acknowledged as committed. */
  readonly sourceHighWatermark: number;
  /** Next source offset to copy (everything below it is in the target). */
  readonly mirroredUpTo: number;
  readonly lag: number;
  readonly recordsCopied: number;
  readonly offsetSyncs: number;
}

export interface MirrorMakerStatus {
  readonly source: string;
  readonly target: string;
  readonly partitions: readonly MirrorPartitionStatus[];
  readonly checkpoints: readonly Checkpoint[];
}

interface PartitionTask {
  readonly topic: string;
  readonly partition: number;
  next: number;
  copied: number;
  /** Upstream offset of every record copied, indexed by its downstream offset. */
  readonly upstreamByDownstream: number[];
  readonly syncs: OffsetSync[];
  previousUpstream: number;
  previousDownstream: number;
  lastSyncDownstream: number;
}

const POLL_MAX_WAIT_MS = 500;
const RETRY_BACKOFF_MS = 1_000;

export class MirrorMaker2 {
  state: 'starting' | 'running' | 'stopped' = 'starting';
  readonly tasks: PartitionTask[] = [];
  private readonly checkpoints = new Map<string, Checkpoint>();
  private readonly options: Required<MirrorMakerOptions>;

  constructor(
    private readonly multi: MultiCluster,
    private readonly source: RegionState,
    private readonly target: RegionState,
    options: MirrorMakerOptions,
  ) {
    this.options = {
      groups: [],
      emitCheckpointsIntervalSeconds: 60,
      syncGroupOffsetsEnabled: false,
      syncGroupOffsetsIntervalSeconds: 60,
      offsetLagMax: 100,
      separator: '.',
      replicationFactor: 2,
      ...options,
    };
  }

  get sourceAlias(): string {
    return this.source.alias;
  }

  get targetAlias(): string {
    return this.target.alias;
  }

  /** DefaultReplicationPolicy: `us-east.orders`. */
  remoteTopic(topic: string): string {
    return `${this.source.alias}${this.options.separator}${topic}`;
  }

  get offsetSyncsTopic(): string {
    return `mm2-offset-syncs.${this.target.alias}.internal`;
  }

  get checkpointsTopic(): string {
    return `${this.source.alias}.checkpoints.internal`;
  }

  start(): void {
    void this.setUp().then(
      () => {
        if (this.state !== 'starting') return;
        this.state = 'running';
        this.emit('mirror-started', `MirrorMaker 2 started replicating [${this.options.topics.join(', ')}] from ${this.source.alias} to ${this.target.alias} as [${this.options.topics.map((t) => this.remoteTopic(t)).join(', ')}].`, { topics: this.options.topics, remoteTopics: this.options.topics.map((t) => this.remoteTopic(t)), groups: this.options.groups });
        for (const task of this.tasks) this.copyStep(task);
        const checkpointMs = this.options.emitCheckpointsIntervalSeconds * 1000;
        this.multi.schedule(checkpointMs, () => this.checkpointTick());
        if (this.options.syncGroupOffsetsEnabled) this.multi.schedule(this.options.syncGroupOffsetsIntervalSeconds * 1000, () => this.syncGroupOffsetsTick());
      },
      (error: unknown) => {
        this.state = 'stopped';
        this.emit('mirror-failed', `MirrorMaker 2 could not start: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.emit('mirror-stopped', `MirrorMaker 2 from ${this.source.alias} to ${this.target.alias} stopped.`);
  }

  /** Creates remote topics (same partition count), the offset-syncs and checkpoints topics. */
  private async setUp(): Promise<void> {
    const sourceCluster = this.source.cluster;
    const targetCluster = this.target.cluster;
    const rf = Math.min(this.options.replicationFactor, targetCluster.brokerIds.length);
    const remotes = [];
    for (const topic of this.options.topics) {
      const described = sourceCluster.snapshot().topics.find((t) => t.name === topic);
      if (described === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${topic} does not exist in ${this.source.alias}.`, 'Create it first, or mirror another topic.');
      remotes.push({ name: this.remoteTopic(topic), numPartitions: described.partitions.length, replicationFactor: rf });
      for (const p of described.partitions) {
        this.tasks.push({ topic, partition: p.partition, next: p.logStartOffset < 0 ? 0 : p.logStartOffset, copied: 0, upstreamByDownstream: [], syncs: [], previousUpstream: -1, previousDownstream: -1, lastSyncDownstream: -1 });
      }
    }
    // Both clusters create their topics at once; copying starts when both have answered.
    await Promise.all([
      targetCluster.admin.createTopics([...remotes, { name: this.checkpointsTopic, numPartitions: 1, replicationFactor: rf }]),
      sourceCluster.admin.createTopics([{ name: this.offsetSyncsTopic, numPartitions: 1, replicationFactor: Math.min(this.options.replicationFactor, sourceCluster.brokerIds.length) }]),
    ]);
  }

  // ---- source task ------------------------------------------------------------------

  /**
   * One round of a partition's copy: fetch committed records from the source leader, carry
   * them across the link (one link latency), produce them to the remote topic with
   * acks=all, then go again. Every step is a scheduled simulator event (mirror-io.ts).
   */
  private copyStep(task: PartitionTask): void {
    if (this.state !== 'running') return;
    if (!this.multi.linkUp()) return this.multi.schedule(RETRY_BACKOFF_MS, () => this.copyStep(task));
    fetchFromLeader(this.source.cluster, { topic: task.topic, partition: task.partition, fetchOffset: task.next, maxWaitMs: POLL_MAX_WAIT_MS }, (fetched) => {
      if (this.state !== 'running') return;
      if (fetched.error !== null) return this.multi.schedule(RETRY_BACKOFF_MS, () => this.copyStep(task));
      const records = decodeRecords(fetched.batches, task.next).filter((r) => r.offset >= task.next);
      if (records.length === 0) {
        // Only transaction markers (or aborted data) in the range: step past them.
        const end = lastOffsetIn(fetched.batches);
        if (end >= task.next) task.next = end + 1;
        return this.multi.schedule(end >= 0 ? 0 : RETRY_BACKOFF_MS, () => this.copyStep(task));
      }
      // The records cross the wide-area link; a cut on the way loses them (they are fetched again later).
      this.multi.schedule(this.multi.linkLatencyMs, () => {
        if (this.state !== 'running') return;
        if (!this.multi.linkUp()) return this.multi.schedule(RETRY_BACKOFF_MS, () => this.copyStep(task));
        this.produceRemote(task, records);
      });
    });
  }

  private produceRemote(task: PartitionTask, records: readonly FetchedRecord[]): void {
    const batch = encodeRecordBatch({
      records: records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers.map((h) => ({ key: h.key, value: h.value })) })),
    });
    produceToLeader(this.target.cluster, { topic: this.remoteTopic(task.topic), partition: task.partition, batch }, (response) => {
      if (this.state !== 'running') return;
      if (response.error !== null) return this.multi.schedule(RETRY_BACKOFF_MS, () => this.copyStep(task));
      for (const [i, record] of records.entries()) {
        const downstream = response.baseOffset + i;
        task.upstreamByDownstream[downstream] = record.offset;
        if (this.shouldSync(task, record.offset, downstream)) this.emitOffsetSync(task, { upstreamOffset: record.offset, downstreamOffset: downstream });
        task.previousUpstream = record.offset;
        task.previousDownstream = downstream;
      }
      task.copied += records.length;
      task.next = records[records.length - 1]!.offset + 1;
      this.multi.schedule(0, () => this.copyStep(task));
    });
  }

  /** Kafka's MirrorSourceTask.PartitionState.update. */
  private shouldSync(task: PartitionTask, upstream: number, downstream: number): boolean {
    const first = task.previousUpstream === -1;
    const tooStale = downstream - (task.lastSyncDownstream + 1) >= this.options.offsetLagMax;
    const skipped = upstream - task.previousUpstream !== 1;
    const truncated = downstream < task.previousDownstream;
    return first || tooStale || skipped || truncated;
  }

  private emitOffsetSync(task: PartitionTask, sync: OffsetSync): void {
    task.syncs.push(sync);
    task.lastSyncDownstream = sync.downstreamOffset;
    const value = JSON.stringify({ topic: task.topic, partition: task.partition, ...sync });
    void this.source.cluster.client.produce({ topic: this.offsetSyncsTopic, partition: 0, acks: 1, records: [{ key: `${task.topic}-${task.partition}`, value }] }).catch(() => undefined);
  }

  // ---- checkpoint task -----------------------------------------------------------------

  /** Translates a committed upstream offset (Kafka's OffsetSyncStore.translateDownstream); -1 without a sync. */
  translate(topic: string, partition: number, upstreamOffset: number): number {
    const task = this.tasks.find((t) => t.topic === topic && t.partition === partition);
    if (task === undefined) return -1;
    let best: OffsetSync | undefined;
    for (const sync of task.syncs) if (sync.upstreamOffset <= upstreamOffset) best = sync;
    if (best === undefined) return -1;
    return best.upstreamOffset === upstreamOffset ? best.downstreamOffset : best.downstreamOffset + 1;
  }

  /** The checkpoint task: every emit.checkpoints.interval.seconds while running. */
  private checkpointTick(): void {
    if (this.state !== 'running') return;
    if (this.multi.linkUp()) this.emitCheckpoints();
    this.multi.schedule(this.options.emitCheckpointsIntervalSeconds * 1000, () => this.checkpointTick());
  }

  private emitCheckpoints(): void {
    const now = this.multi.nowMs();
    const written: Checkpoint[] = [];
    for (const group of this.options.groups) {
      for (const [topic, partition, committed] of this.source.offsets.list(group)) {
        if (!this.options.topics.includes(topic)) continue;
        const downstream = this.translate(topic, partition, committed);
        if (downstream < 0) continue;
        const checkpoint: Checkpoint = { group, topic: this.remoteTopic(topic), partition, upstreamOffset: committed, downstreamOffset: downstream, timeMs: now };
        this.checkpoints.set(`${group}\u0000${checkpoint.topic}\u0000${partition}`, checkpoint);
        written.push(checkpoint);
      }
    }
    if (written.length === 0) return;
    void this.target.cluster.client.produce({
      topic: this.checkpointsTopic,
      partition: 0,
      acks: 1,
      records: written.map((c) => ({ key: `${c.group}:${c.topic}:${c.partition}`, value: JSON.stringify({ upstreamOffset: c.upstreamOffset, downstreamOffset: c.downstreamOffset }) })),
    }).catch(() => undefined);
    this.emit('mirror-checkpoint', `MirrorMaker 2 wrote ${written.length} checkpoint(s) to ${this.checkpointsTopic}: ${written.map((c) => `${c.group} ${c.topic}-${c.partition} ${c.upstreamOffset}→${c.downstreamOffset}`).join(', ')}.`, { checkpoints: written });
  }

  /** The latest checkpoint of a group for a remote topic partition, if any. */
  checkpoint(group: string, remoteTopic: string, partition: number): Checkpoint | undefined {
    return this.checkpoints.get(`${group}\u0000${remoteTopic}\u0000${partition}`);
  }

  /** KIP-545: every sync.group.offsets.interval.seconds, for groups with no active members in the target. */
  private syncGroupOffsetsTick(): void {
    if (this.state !== 'running') return;
    if (this.multi.linkUp()) {
      for (const c of this.checkpoints.values()) {
        if (this.target.offsets.activeGroups.has(c.group)) continue;
        this.target.offsets.commit(c.group, c.topic, c.partition, c.downstreamOffset);
      }
    }
    this.multi.schedule(this.options.syncGroupOffsetsIntervalSeconds * 1000, () => this.syncGroupOffsetsTick());
  }

  // ---- status -----------------------------------------------------------------------

  status(): MirrorMakerStatus {
    const snapshot = this.source.cluster.snapshot();
    return {
      source: this.source.alias,
      target: this.target.alias,
      partitions: this.tasks.map((t) => {
        const hw = snapshot.topics.find((x) => x.name === t.topic)?.partitions[t.partition]?.highWatermark ?? 0;
        return { sourceTopic: t.topic, targetTopic: this.remoteTopic(t.topic), partition: t.partition, sourceHighWatermark: hw, mirroredUpTo: t.next, lag: Math.max(0, hw - t.next), recordsCopied: t.copied, offsetSyncs: t.syncs.length };
      }),
      checkpoints: [...this.checkpoints.values()],
    };
  }

  /** Upstream offset of the record at `downstream` in the remote topic, or undefined. */
  upstreamOf(topic: string, partition: number, downstream: number): number | undefined {
    return this.tasks.find((t) => t.topic === topic && t.partition === partition)?.upstreamByDownstream[downstream];
  }

  private emit(type: string, message: string, extra: Readonly<Record<string, unknown>> = {}): void {
    this.multi.emitBoth({ type, message, data: { source: this.source.alias, target: this.target.alias, mode: 'mm2', ...extra } });
  }
}
