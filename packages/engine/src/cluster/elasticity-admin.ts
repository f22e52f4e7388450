/**
 * The admin side of cluster elasticity, as the in-lab admin client runs it: adding a broker
 * and waiting for it to be unfenced, raising partition counts, and decommissioning a broker
 * the safe way (drain with a reassignment, optionally throttled as KIP-73's `--throttle`
 * does, wait for completion, clear the throttles, stop, unregister).
 *
 * The plan for a drained broker keeps each partition's replication factor and rack spread:
 * the replacement for a replica is a live broker not yet holding the partition, in the
 * same rack if possible, then the one holding the fewest replicas, then the lowest id.
 */
import { KafkaError } from '../errors';
import type { MetadataImage } from '../metadata/image';
import { LEADER_THROTTLED_RATE, FOLLOWER_THROTTLED_RATE, LEADER_THROTTLED_REPLICAS, FOLLOWER_THROTTLED_REPLICAS } from '../broker/throttle';
import type { AdminApi, DecommissionResult, NewPartitions, RemoveBrokerOptions, ReassignmentTarget, TopicResult } from './api';
import type { Cluster } from './cluster';

/** The admin calls a decommission needs. */
type ElasticAdmin = Pick<AdminApi, 'incrementalAlterConfigs' | 'alterPartitionReassignments' | 'listPartitionReassignments' | 'unregisterBroker'>;

function sleep(cluster: Cluster, ms: number): Promise<void> {
  return new Promise((resolve) => cluster.schedule(ms, resolve));
}

/** The freshest metadata image any running broker holds. */
export function freshestImage(cluster: Cluster): MetadataImage | null {
  let best: MetadataImage | null = null;
  for (const id of cluster.brokerIds) {
    const image = cluster.brokerNode(id)?.image;
    if (image !== undefined && (best === null || image.offset > best.offset)) best = image;
  }
  return best;
}

async function waitFor(cluster: Cluster, ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = cluster.nowMs() + timeoutMs;
  while (!ready()) {
    if (cluster.nowMs() >= deadline) throw new KafkaError('REQUEST_TIMED_OUT', `Timed out after ${timeoutMs} ms waiting for ${what}.`, 'Check `broker list` and the trace for what is stuck.');
    await sleep(cluster, 50);
  }
}

export async function addBrokerAndWait(cluster: Cluster, rack: string | null | undefined): Promise<number> {
  const id = cluster.addBroker(rack === undefined ? {} : { rack });
  const unfenced = (): boolean => cluster.brokerIds.some((b) => cluster.brokerNode(b)?.image.brokers.get(id)?.fenced === false) && cluster.brokerNode(id)?.state === 'running';
  await waitFor(cluster, unfenced, cluster.config.int('default.api.timeout.ms'), `broker ${id} to register and be unfenced`);
  return id;
}

export async function createPartitionsAndWait(cluster: Cluster, send: () => Promise<TopicResult[]>, topics: readonly NewPartitions[], validateOnly: boolean): Promise<TopicResult[]> {
  const results = await send();
  if (validateOnly) return results;
  const grown = new Set(results.filter((r) => r.error === null).map((r) => r.name));
  const ready = (): boolean => {
    const image = cluster.brokerIds.map((b) => cluster.brokerNode(b)?.image).find((i) => i !== undefined);
    return image === undefined || topics.every((t) => !grown.has(t.topic) || (image.topic(t.topic)?.partitions.size ?? 0) >= t.totalCount);
  };
  // Kafka answers once the controller committed; the lab also waits for the bootstrap broker.
  await waitFor(cluster, ready, 5_000, 'brokers to learn the new partitions').catch(() => undefined);
  return results;
}

/** Moves every replica off `brokerId`, keeping replication factors; throws if a partition cannot be placed. */
export function planDecommission(image: MetadataImage, brokerId: number): ReassignmentTarget[] {
  const load = new Map<number, number>();
  for (const t of image.topicsById.values()) for (const p of t.partitions.values()) for (const id of p.replicas) load.set(id, (load.get(id) ?? 0) + 1);
  const rack = image.brokers.get(brokerId)?.rack ?? null;
  const live = [...image.brokers.values()].filter((b) => b.id !== brokerId && image.isActiveBroker(b.id));
  const targets: ReassignmentTarget[] = [];
  const topics = [...image.topicsById.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const topic of topics) {
    for (const [partition, reg] of [...topic.partitions].sort(([a], [b]) => a - b)) {
      if (!reg.replicas.includes(brokerId)) continue;
      const candidates = live
        .filter((b) => !reg.replicas.includes(b.id))
        .sort((a, b) => Number(b.rack === rack) - Number(a.rack === rack) || (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.id - b.id);
      const replacement = candidates[0];
      if (replacement === undefined) {
        throw new KafkaError('INVALID_REPLICATION_FACTOR', `Cannot drain broker ${brokerId}: ${topic.name}-${partition} has replicas [${reg.replicas.join(',')}] and no other live broker can take the replica.`, 'Add a broker first (`broker add`), then retry.');
      }
      load.set(replacement.id, (load.get(replacement.id) ?? 0) + 1);
      targets.push({ topic: topic.name, partition, replicas: [...reg.replicas.filter((id) => id !== brokerId), replacement.id] });
    }
  }
  return targets;
}

/** Sets the throttles `kafka-reassign-partitions --throttle` sets; returns what to clear afterwards. */
async function setThrottles(admin: ElasticAdmin, image: MetadataImage, targets: readonly ReassignmentTarget[], rate: number): Promise<{ brokers: number[]; topics: string[] }> {
  const leaders = new Map<string, string[]>();
  const followers = new Map<string, string[]>();
  const brokers = new Set<number>();
  for (const t of targets) {
    const current = image.partition(t.topic, t.partition)?.replicas ?? [];
    const adding = (t.replicas ?? []).filter((id) => !current.includes(id));
    for (const id of current) leaders.set(t.topic, [...(leaders.get(t.topic) ?? []), `${t.partition}:${id}`]);
    for (const id of adding) followers.set(t.topic, [...(followers.get(t.topic) ?? []), `${t.partition}:${id}`]);
    for (const id of [...current, ...adding]) brokers.add(id);
  }
  const topics = [...new Set([...leaders.keys(), ...followers.keys()])];
  for (const topic of topics) {
    await admin.incrementalAlterConfigs({ type: 'topic', name: topic }, [
      { name: LEADER_THROTTLED_REPLICAS, value: (leaders.get(topic) ?? []).join(',') },
      { name: FOLLOWER_THROTTLED_REPLICAS, value: (followers.get(topic) ?? []).join(',') },
    ]);
  }
  for (const id of brokers) {
    await admin.incrementalAlterConfigs({ type: 'broker', name: String(id) }, [
      { name: LEADER_THROTTLED_RATE, value: String(rate) },
      { name: FOLLOWER_THROTTLED_RATE, value: String(rate) },
    ]);
  }
  return { brokers: [...brokers], topics };
}

/** Removes the throttle configs, as `--verify` does once a reassignment completed. */
export async function clearThrottles(admin: ElasticAdmin, set: { brokers: readonly number[]; topics: readonly string[] }): Promise<void> {
  for (const topic of set.topics) {
    await admin.incrementalAlterConfigs({ type: 'topic', name: topic }, [
      { name: LEADER_THROTTLED_REPLICAS, value: null },
      { name: FOLLOWER_THROTTLED_REPLICAS, value: null },
    ]);
  }
  for (const id of set.brokers) {
    await admin.incrementalAlterConfigs({ type: 'broker', name: String(id) }, [
      { name: LEADER_THROTTLED_RATE, value: null },
      { name: FOLLOWER_THROTTLED_RATE, value: null },
    ]);
  }
}

export async function decommissionBroker(cluster: Cluster, admin: ElasticAdmin, brokerId: number, options: RemoveBrokerOptions = {}): Promise<DecommissionResult> {
  const image = freshestImage(cluster);
  if (image === null || !image.brokers.has(brokerId)) throw new KafkaError('BROKER_ID_NOT_REGISTERED', `Broker ${brokerId} is not registered.`, 'List the brokers with `broker list`.');
  const targets = planDecommission(image, brokerId);
  const bytesBefore = targets.reduce((n, t) => n + cluster.reassignments.bytesMoved(t.topic, t.partition), 0);
  const throttles = options.throttleBytesPerSec === undefined ? null : await setThrottles(admin, image, targets, options.throttleBytesPerSec);
  cluster.trace.emit({ type: 'decommission-started', node: brokerId, message: `Draining broker ${brokerId}: ${targets.length} replica(s) move to other brokers${throttles === null ? '' : ` at most ${options.throttleBytesPerSec} B/s`}; it stops only once none is left.`, data: { brokerId, moves: targets } });
  if (targets.length > 0) {
    const results = await admin.alterPartitionReassignments(targets);
    const failed = results.find((r) => r.error !== null);
    if (failed !== undefined) throw failed.error!;
    const moving = new Set(targets.map((t) => `${t.topic}-${t.partition}`));
    const deadline = cluster.nowMs() + (options.timeoutMs ?? 600_000);
    for (;;) {
      const ongoing = await admin.listPartitionReassignments(targets.map((t) => ({ topic: t.topic, partition: t.partition })));
      if (!ongoing.some((r) => moving.has(`${r.topic}-${r.partition}`))) break;
      if (cluster.nowMs() >= deadline) throw new KafkaError('REQUEST_TIMED_OUT', `Broker ${brokerId} is still draining after ${options.timeoutMs ?? 600_000} ms.`, 'Raise the throttle or wait longer; the reassignment keeps running.');
      await sleep(cluster, 500);
    }
  }
  if (throttles !== null) await clearThrottles(admin, throttles);
  cluster.faults.stopNode(brokerId);
  await waitFor(cluster, () => cluster.brokerNode(brokerId) === null, cluster.config.int('default.api.timeout.ms'), `broker ${brokerId} to stop`);
  await admin.unregisterBroker(brokerId);
  const bytesMoved = targets.reduce((n, t) => n + cluster.reassignments.bytesMoved(t.topic, t.partition), 0) - bytesBefore;
  const moves = targets.map((t) => ({ topic: t.topic, partition: t.partition, from: image.partition(t.topic, t.partition)?.replicas ?? [], to: t.replicas ?? [] }));
  return { brokerId, moves, bytesMoved };
}
