/**
 * The follower side of replication (Kafka's ReplicaFetcherThread): one fetch loop per
 * leader broker, covering every partition this broker follows from that leader.
 *
 * A loop sends Fetch with each partition's log end offset, the epoch of its last batch and
 * the leader epoch it believes current; it appends what comes back, takes the leader's high
 * watermark (capped by its own log end), truncates when the leader reports a diverging
 * epoch (KIP-320), and fetches again at once. The leader holds a fetch with nothing new
 * for up to replica.fetch.wait.max.ms, so an idle loop costs two messages a second.
 * Errors back off for replica.fetch.backoff.ms; a partition whose leader moved waits for
 * the metadata image to name the new one.
 */
import type { ErrorName } from '../errors';
import type { NodeConfig } from '../cluster/config';
import type { TraceInput } from '../sim/trace';
import type { ReplicaFetchPartitionData, ReplicaFetchRequest, ReplicaFetchResponse } from './messages';
import type { Partition } from './partition';

export interface FetcherHost {
  readonly brokerId: number;
  readonly config: NodeConfig;
  brokerEpoch(): number;
  nowMs(): number;
  send(to: number, message: ReplicaFetchRequest): void;
  armTimer(name: string, atMs: number): void;
  diskDelayMs(): number;
  emit(event: TraceInput): void;
  /** Partitions this broker follows, with their leader. */
  followedPartitions(): Partition[];
  /** KIP-73 follower-side quota: which partitions are throttled now, and the bucket. */
  readonly followerThrottle?: FollowerThrottleHook;
  /** Bytes a follower appended for a partition (reassignment progress counters). */
  onFollowerAppend?(partition: Partition, bytes: number): void;
}

export interface FollowerThrottleHook {
  throttled(partition: Partition): boolean;
  /** Bytes the follower may still fetch for throttled partitions now. */
  allowance(): number;
  record(bytes: number): void;
  /** Virtual ms until the quota allows fetching again. */
  waitMs(): number;
}

interface FetchLoop {
  readonly leaderId: number;
  inflight: number | null;
  /** Partitions paused after an error, until the metadata moves on. */
  readonly paused: Set<Partition>;
}

export class ReplicaFetcherManager {
  private readonly loops = new Map<number, FetchLoop>();
  private correlationId = 0;

  constructor(private readonly host: FetcherHost) {}

  static timerName(leaderId: number): string {
    return `fetcher-${leaderId}`;
  }

  /** Re-plans the loops after a metadata change: one per leader that we follow. */
  refresh(): void {
    const leaders = new Set(this.host.followedPartitions().map((p) => p.leaderId));
    for (const id of [...this.loops.keys()]) if (!leaders.has(id)) this.loops.delete(id);
    for (const id of leaders) {
      const loop = this.loops.get(id);
      if (loop === undefined) {
        this.loops.set(id, { leaderId: id, inflight: null, paused: new Set() });
        this.fetch(id);
      } else {
        loop.paused.clear();
        if (loop.inflight === null) this.fetch(id);
      }
    }
  }

  onTimer(name: string): boolean {
    if (!name.startsWith('fetcher-')) return false;
    const leaderId = Number(name.slice('fetcher-'.length));
    const loop = this.loops.get(leaderId);
    // A timer is either a backoff or a request that never got an answer: fetch again.
    if (loop !== undefined) {
      loop.inflight = null;
      this.fetch(leaderId);
    }
    return true;
  }

  private partitionsOf(loop: FetchLoop): Partition[] {
    const partitions = this.host.followedPartitions().filter((p) => p.leaderId === loop.leaderId && !loop.paused.has(p));
    // KIP-73: throttled partitions sit out of the request while the follower's quota is used up.
    const throttle = this.host.followerThrottle;
    if (throttle === undefined || throttle.allowance() > 0) return partitions;
    return partitions.filter((p) => !throttle.throttled(p));
  }

  private fetch(leaderId: number): void {
    const loop = this.loops.get(leaderId);
    if (loop === undefined || loop.inflight !== null) return;
    const partitions = this.partitionsOf(loop);
    if (partitions.length === 0) {
      const waitMs = this.host.followerThrottle?.waitMs() ?? 0;
      if (waitMs > 0) this.host.armTimer(ReplicaFetcherManager.timerName(leaderId), this.host.nowMs() + waitMs);
      return;
    }
    const correlationId = ++this.correlationId;
    loop.inflight = correlationId;
    const config = this.host.config;
    this.host.send(leaderId, {
      kind: 'ReplicaFetchRequest',
      correlationId,
      replicaId: this.host.brokerId,
      replicaEpoch: this.host.brokerEpoch(),
      maxWaitMs: config.int('replica.fetch.wait.max.ms'),
      minBytes: config.int('replica.fetch.min.bytes'),
      maxBytes: config.int('replica.fetch.max.bytes'),
      partitions: partitions.map((p) => ({
        topicId: p.topicId,
        partition: p.partitionId,
        currentLeaderEpoch: p.leaderEpoch,
        fetchOffset: p.log.logEndOffset,
        lastFetchedEpoch: p.log.latestEpoch() ?? -1,
        ...this.partitionMaxBytes(p),
      })),
    });
    // If no answer comes (a cut link, a dead leader), try again after the request timeout.
    this.host.armTimer(ReplicaFetcherManager.timerName(leaderId), this.host.nowMs() + config.int('request.timeout.ms'));
  }

  /** A throttled partition asks for no more than the follower's quota allows now (KIP-73). */
  private partitionMaxBytes(p: Partition): { partitionMaxBytes: number } | object {
    const throttle = this.host.followerThrottle;
    if (throttle === undefined || !throttle.throttled(p)) return {};
    const allowance = throttle.allowance();
    return allowance === Infinity ? {} : { partitionMaxBytes: Math.max(1, Math.floor(allowance)) };
  }

  handleResponse(from: number, response: ReplicaFetchResponse): void {
    const loop = this.loops.get(from);
    if (loop === undefined || loop.inflight !== response.correlationId) return;
    loop.inflight = null;
    let backoff = response.errorCode !== 'NONE';
    for (const data of response.partitions) {
      const partition = this.host.followedPartitions().find((p) => p.topicId === data.topicId && p.partitionId === data.partition && p.leaderId === from);
      if (partition === undefined) continue;
      if (!this.apply(partition, data)) {
        backoff = true;
        if (stopsFollowing(data.errorCode)) loop.paused.add(partition);
      }
    }
    const delayMs = backoff ? this.host.config.int('replica.fetch.backoff.ms') : this.host.diskDelayMs();
    if (delayMs > 0) this.host.armTimer(ReplicaFetcherManager.timerName(from), this.host.nowMs() + delayMs);
    else this.fetch(from);
  }

  /** Applies one partition's answer; false when the partition needs a backoff. */
  private apply(partition: Partition, data: ReplicaFetchPartitionData): boolean {
    if (data.errorCode === 'OFFSET_OUT_OF_RANGE') return this.resetOutOfRange(partition, data);
    if (data.errorCode !== 'NONE') return false;
    if (data.divergingEpoch !== null) {
      partition.truncateToDivergence(data.divergingEpoch);
      return true;
    }
    if (data.records.length > 0) {
      partition.appendAsFollower(data.records);
      if (this.host.followerThrottle?.throttled(partition)) this.host.followerThrottle.record(data.records.length);
      this.host.onFollowerAppend?.(partition, data.records.length);
    }
    partition.updateFollowerHighWatermark(data.highWatermark);
    return true;
  }

  private resetOutOfRange(partition: Partition, data: ReplicaFetchPartitionData): boolean {
    const log = partition.log;
    if (log.logEndOffset > data.logEndOffset) {
      // Only possible after an unclean election: the leader's log is shorter than ours.
      log.truncateTo(data.logEndOffset);
      partition.rebuildProducerState();
    } else if (log.logEndOffset < data.logStartOffset) {
      log.truncateFullyAndStartAt(data.logStartOffset);
      partition.rebuildProducerState();
      this.host.emit({
        type: 'log-truncated',
        node: this.host.brokerId,
        topic: partition.topic,
        partition: partition.partitionId,
        message: `Follower ${this.host.brokerId} was behind the leader's log start offset ${data.logStartOffset} for ${partition.topic}-${partition.partitionId} and restarted its log there.`,
        data: { offset: data.logStartOffset },
      });
    }
    return true;
  }
}

function stopsFollowing(error: ErrorName): boolean {
  return error === 'NOT_LEADER_OR_FOLLOWER' || error === 'FENCED_LEADER_EPOCH' || error === 'UNKNOWN_TOPIC_OR_PARTITION';
}
