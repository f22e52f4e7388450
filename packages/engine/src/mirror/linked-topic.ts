/**
 * A Cluster Linking-style mirror topic: the target region's cluster fetches from the source
 * partition leaders across the link and appends exactly the record batches it receives, so
 * the mirror topic has the same name, the same offsets and the same bytes as its source.
 * Committed consumer offsets of listed groups are copied verbatim every
 * `consumerOffsetSyncMs` (Confluent's consumer.offset.sync.ms, 30000), so they need no
 * translation. The mirror topic is read-only while it mirrors; `promote()` stops mirroring
 * and makes it an ordinary writable topic (the failover step).
 *
 * States: starting → mirroring → promoted (or stopped).
 *
 * Every step is a scheduled simulator event (mirror-io.ts), so the mirror is deterministic
 * and keeps copying under any driver of the clock, a long `advanceTo` included.
 *
 * This models a commercial feature (Confluent Cluster Linking), not Apache Kafka. Deviations:
 * one link per topic, no topic-config sync, no truncation of the target on failback; only
 * committed (below the source high watermark) batches are copied.
 */
import { KafkaError } from '../errors';
import { appendMirroredBatches, leaderLogEndOffset } from '../cluster/mirror-append';
import type { MultiCluster, RegionState } from './multi-cluster';
import { fetchFromLeader } from './mirror-io';

export interface LinkedTopicOptions {
  /** Groups whose committed offsets are copied to the target. */
  readonly groups?: readonly string[];
  /** consumer.offset.sync.ms, default 30000. */
  readonly consumerOffsetSyncMs?: number;
}

export interface LinkedPartitionStatus {
  readonly partition: number;
  readonly sourceHighWatermark: number;
  /** The mirror's log end offset: every source offset below it is copied. */
  readonly mirroredUpTo: number;
  readonly lag: number;
  readonly bytesCopied: number;
}

export interface LinkedTopicStatus {
  readonly source: string;
  readonly target: string;
  readonly topic: string;
  readonly partitions: readonly LinkedPartitionStatus[];
  readonly lastOffsetSyncMs: number | null;
}

const POLL_MAX_WAIT_MS = 500;
const RETRY_BACKOFF_MS = 1_000;

export class LinkedTopic {
  state: 'starting' | 'mirroring' | 'promoted' | 'stopped' = 'starting';
  private readonly bytesCopied = new Map<number, number>();
  private partitions = 0;
  private lastOffsetSyncMs: number | null = null;

  constructor(
    private readonly multi: MultiCluster,
    private readonly source: RegionState,
    private readonly target: RegionState,
    readonly topic: string,
    private readonly options: LinkedTopicOptions,
  ) {}

  get sourceAlias(): string {
    return this.source.alias;
  }

  get targetAlias(): string {
    return this.target.alias;
  }

  start(): void {
    void this.setUp().then(
      () => {
        if (this.state !== 'starting') return;
        this.state = 'mirroring';
        this.emit('mirror-started', `Mirror topic ${this.topic} in ${this.target.alias} now copies ${this.topic} from ${this.source.alias} batch for batch, keeping offsets; it is read-only until promoted.`);
        for (let p = 0; p < this.partitions; p++) this.copyStep(p);
        this.multi.schedule(this.options.consumerOffsetSyncMs ?? 30_000, () => this.offsetSyncTick());
      },
      (error: unknown) => {
        this.state = 'stopped';
        this.emit('mirror-failed', `Mirror topic ${this.topic} could not start: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  private async setUp(): Promise<void> {
    const described = this.source.cluster.snapshot().topics.find((t) => t.name === this.topic);
    if (described === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${this.topic} does not exist in ${this.source.alias}.`, 'Create it first.');
    this.partitions = described.partitions.length;
    const rf = Math.min(described.partitions[0]?.replicas.length ?? 1, this.target.cluster.brokerIds.length);
    const [created] = await this.target.cluster.admin.createTopics([{ name: this.topic, numPartitions: this.partitions, replicationFactor: rf, configs: described.configs }]);
    if (created?.error) throw created.error;
  }

  /**
   * One round of a partition's copy: fetch batches past the mirror's log end from the source
   * leader, carry them across the link, append them unchanged at the mirror's leader, go
   * again. Every step is a scheduled simulator event (mirror-io.ts).
   */
  private copyStep(partition: number): void {
    if (this.state !== 'mirroring') return;
    const next = leaderLogEndOffset(this.target.cluster, this.topic, partition);
    if (!this.multi.linkUp() || next < 0) return this.multi.schedule(RETRY_BACKOFF_MS, () => this.copyStep(partition));
    fetchFromLeader(this.source.cluster, { topic: this.topic, partition, fetchOffset: next, maxWaitMs: POLL_MAX_WAIT_MS }, (fetched) => {
      if (this.state !== 'mirroring') return;
      if (fetched.error !== null) return this.multi.schedule(RETRY_BACKOFF_MS, () => this.copyStep(partition));
      if (fetched.batches.length === 0) return this.multi.schedule(0, () => this.copyStep(partition));
      this.multi.schedule(this.multi.linkLatencyMs, () => this.append(partition, next, fetched.batches));
    });
  }

  private append(partition: number, next: number, batches: Uint8Array): void {
    // The target may have moved on (a promotion, a cut link, a new leader with another log end).
    if (this.state !== 'mirroring') return;
    if (!this.multi.linkUp() || leaderLogEndOffset(this.target.cluster, this.topic, partition) !== next) return this.multi.schedule(RETRY_BACKOFF_MS, () => this.copyStep(partition));
    try {
      appendMirroredBatches(this.target.cluster, this.topic, partition, batches);
      this.bytesCopied.set(partition, (this.bytesCopied.get(partition) ?? 0) + batches.length);
      this.multi.schedule(0, () => this.copyStep(partition));
    } catch {
      this.multi.schedule(RETRY_BACKOFF_MS, () => this.copyStep(partition));
    }
  }

  /** consumer.offset.sync.ms: copy the listed groups' offsets while mirroring. */
  private offsetSyncTick(): void {
    if (this.state !== 'mirroring') return;
    if (this.multi.linkUp()) this.syncOffsets();
    this.multi.schedule(this.options.consumerOffsetSyncMs ?? 30_000, () => this.offsetSyncTick());
  }

  /** Copies the listed groups' committed offsets of this topic unchanged. */
  syncOffsets(): void {
    const synced: { group: string; topic: string; partition: number; offset: number }[] = [];
    for (const group of this.options.groups ?? []) {
      if (this.target.offsets.activeGroups.has(group)) continue;
      for (const [topic, partition, offset] of this.source.offsets.list(group)) {
        if (topic !== this.topic || this.target.offsets.committed(group, topic, partition) === offset) continue;
        this.target.offsets.commit(group, topic, partition, offset);
        synced.push({ group, topic, partition, offset });
      }
    }
    this.lastOffsetSyncMs = this.multi.nowMs();
    if (synced.length > 0) {
      this.emit('mirror-offsets-synced', `Mirror topic ${this.topic}: copied ${synced.length} committed offset(s) to ${this.target.alias} unchanged: ${synced.map((o) => `${o.group} ${o.topic}-${o.partition}@${o.offset}`).join(', ')}.`, { offsets: synced });
    }
  }

  /** Failover: stop mirroring and make the topic writable. */
  promote(): void {
    if (this.state === 'promoted') return;
    this.state = 'promoted';
    this.emit('mirror-promoted', `Mirror topic ${this.topic} in ${this.target.alias} was promoted: mirroring stopped and the topic accepts writes. Whatever the source had not sent is not here.`);
  }

  stop(): void {
    if (this.state === 'mirroring' || this.state === 'starting') this.state = 'stopped';
  }

  status(): LinkedTopicStatus {
    const snapshot = this.source.cluster.snapshot();
    const partitions: LinkedPartitionStatus[] = [];
    for (let p = 0; p < this.partitions; p++) {
      const hw = snapshot.topics.find((t) => t.name === this.topic)?.partitions[p]?.highWatermark ?? 0;
      const mirrored = Math.max(0, leaderLogEndOffset(this.target.cluster, this.topic, p));
      partitions.push({ partition: p, sourceHighWatermark: hw, mirroredUpTo: mirrored, lag: Math.max(0, hw - mirrored), bytesCopied: this.bytesCopied.get(p) ?? 0 });
    }
    return { source: this.source.alias, target: this.target.alias, topic: this.topic, partitions, lastOffsetSyncMs: this.lastOffsetSyncMs };
  }

  private emit(type: string, message: string, extra: Readonly<Record<string, unknown>> = {}): void {
    this.multi.emitBoth({ type, topic: this.topic, message, data: { source: this.source.alias, target: this.target.alias, mode: 'link', topic: this.topic, ...extra } });
  }
}
