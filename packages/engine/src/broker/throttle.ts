/**
 * Replication quotas (KIP-73): a bound on the bytes per second that catch-up replication
 * may use, so that moving a partition does not starve clients.
 *
 * Two kinds of settings combine:
 * - which replicas are throttled, per topic: `leader.replication.throttled.replicas` lists
 *   `partition:broker` pairs whose leader-side serving is throttled, and
 *   `follower.replication.throttled.replicas` pairs whose fetching is throttled (`*` = all);
 * - how fast, per broker (dynamic only): `leader.replication.throttled.rate` and
 *   `follower.replication.throttled.rate`, in bytes/s, default Long.MAX_VALUE (no limit).
 *
 * A throttle applies only to a replica that is not in the ISR, so it can never push a
 * healthy follower out of sync. The leader leaves throttled partitions out of a follower's
 * fetch response while its quota is used up; the follower leaves them out of its request.
 *
 * Deviation from Kafka: the quota is a token bucket refilled continuously in virtual time
 * with one second of burst, instead of Kafka's sampled rate over
 * `replication.quota.window.num` windows; the long-run bound is the same.
 */
import type { NodeConfig } from '../cluster/config';
import { ConfigResourceType } from '../metadata/records';
import { configKey, type MetadataImage } from '../metadata/image';

export const LEADER_THROTTLED_RATE = 'leader.replication.throttled.rate';
export const FOLLOWER_THROTTLED_RATE = 'follower.replication.throttled.rate';
export const LEADER_THROTTLED_REPLICAS = 'leader.replication.throttled.replicas';
export const FOLLOWER_THROTTLED_REPLICAS = 'follower.replication.throttled.replicas';

/** Rates at or above this are "no limit" (Long.MAX_VALUE does not fit a double exactly). */
const UNLIMITED = 2 ** 53;

/**
 * A dynamic broker config: this broker's override, else the cluster-wide default
 * (`--entity-default`), else the static setting.
 */
export function dynamicBrokerConfig(image: MetadataImage, config: NodeConfig, brokerId: number, name: string): string | undefined {
  return (
    image.configs.get(configKey(ConfigResourceType.BROKER, String(brokerId)))?.get(name) ??
    image.configs.get(configKey(ConfigResourceType.BROKER, ''))?.get(name) ??
    config.get(name)
  );
}

export function throttleRate(image: MetadataImage, config: NodeConfig, brokerId: number, name: string): number {
  const value = Number(dynamicBrokerConfig(image, config, brokerId, name) ?? UNLIMITED);
  return Number.isFinite(value) && value >= 0 ? value : UNLIMITED;
}

/** Whether `partition:brokerId` is named by a `*.replication.throttled.replicas` value. */
export function isThrottledReplica(value: string | undefined, partition: number, brokerId: number): boolean {
  if (value === undefined || value.trim() === '') return false;
  if (value.trim() === '*') return true;
  return value.split(',').some((entry) => {
    const [p, b] = entry.split(':').map((x) => Number(x.trim()));
    return p === partition && b === brokerId;
  });
}

/** A token bucket in virtual time: `rate` bytes per second, one second of burst. */
export class ReplicationQuota {
  private tokens = 0;
  private lastMs: number | null = null;
  /** Bytes that went through this quota while it throttled (for the trace and tests). */
  throttledBytes = 0;

  /** Bytes that may still go out now; Infinity when the rate is unlimited. */
  allowance(nowMs: number, rateBytesPerSec: number): number {
    if (rateBytesPerSec >= UNLIMITED) {
      this.lastMs = nowMs;
      return Infinity;
    }
    const last = this.lastMs ?? nowMs;
    if (this.lastMs === null) this.tokens = rateBytesPerSec / 10;
    this.tokens = Math.min(rateBytesPerSec, this.tokens + (rateBytesPerSec * (nowMs - last)) / 1000);
    this.lastMs = nowMs;
    return this.tokens;
  }

  record(bytes: number): void {
    this.tokens -= bytes;
    this.throttledBytes += bytes;
  }

  /** Virtual ms until the bucket holds a positive balance again. */
  waitMs(rateBytesPerSec: number): number {
    if (rateBytesPerSec >= UNLIMITED || this.tokens > 0) return 0;
    if (rateBytesPerSec <= 0) return 1000;
    return Math.ceil(((1 - this.tokens) * 1000) / rateBytesPerSec);
  }
}

/**
 * The leader side of the quota: how many bytes a fetch from `replicaId` may take now.
 * Returns Infinity when the replica is not throttled (in the ISR, or not listed).
 */
export class LeaderReplicationThrottle {
  readonly quota = new ReplicationQuota();

  constructor(
    private readonly brokerId: number,
    private readonly config: NodeConfig,
  ) {}

  private throttled(image: MetadataImage | null, topic: string, partition: number, isr: readonly number[], replicaId: number): boolean {
    if (image === null || isr.includes(replicaId)) return false;
    return isThrottledReplica(image.topicConfigs(topic).get(LEADER_THROTTLED_REPLICAS), partition, this.brokerId);
  }

  limit(image: MetadataImage | null, topic: string, partition: number, isr: readonly number[], replicaId: number, nowMs: number): number {
    if (image === null || !this.throttled(image, topic, partition, isr, replicaId)) return Infinity;
    return this.quota.allowance(nowMs, throttleRate(image, this.config, this.brokerId, LEADER_THROTTLED_RATE));
  }

  recordRead(image: MetadataImage | null, topic: string, partition: number, isr: readonly number[], replicaId: number, bytes: number): void {
    if (this.throttled(image, topic, partition, isr, replicaId)) this.quota.record(bytes);
  }
}

/** The follower side: which followed partitions are throttled, and the shared quota. */
export class FollowerReplicationThrottle {
  readonly quota = new ReplicationQuota();

  constructor(
    private readonly brokerId: number,
    private readonly config: NodeConfig,
    private readonly image: () => MetadataImage,
  ) {}

  throttled(topic: string, partition: number, isr: readonly number[]): boolean {
    if (isr.includes(this.brokerId)) return false;
    return isThrottledReplica(this.image().topicConfigs(topic).get(FOLLOWER_THROTTLED_REPLICAS), partition, this.brokerId);
  }

  rate(): number {
    return throttleRate(this.image(), this.config, this.brokerId, FOLLOWER_THROTTLED_RATE);
  }
}
