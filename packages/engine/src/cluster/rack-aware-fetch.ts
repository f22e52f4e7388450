/**
 * The consumer side of KIP-392, as the in-lab client runs it. A fetch that names a
 * client.rack goes to the partition leader first; when the leader answers with a preferred
 * read replica, the client remembers it and fetches from that follower from then on, until
 * a fetch there fails or `metadata.max.age.ms` (300000) passes, when it asks the leader
 * again. Without a client.rack the client always fetches from the leader.
 */
import type { FetchRequest, FetchResponse } from './api';
import type { Cluster } from './cluster';

const METADATA_MAX_AGE_MS = 300_000;

/** Preferred read replicas per client rack and partition (each rack stands for one consumer's view). */
export class PreferredReadReplicas {
  private readonly byPartition = new Map<string, { brokerId: number; expiresMs: number }>();

  private static key(rack: string, topic: string, partition: number): string {
    return `${rack}\u0000${topic}-${partition}`;
  }

  get(rack: string, topic: string, partition: number, nowMs: number): number | null {
    const entry = this.byPartition.get(PreferredReadReplicas.key(rack, topic, partition));
    return entry !== undefined && entry.expiresMs > nowMs ? entry.brokerId : null;
  }

  set(rack: string, topic: string, partition: number, brokerId: number, nowMs: number): void {
    this.byPartition.set(PreferredReadReplicas.key(rack, topic, partition), { brokerId, expiresMs: nowMs + METADATA_MAX_AGE_MS });
  }

  forget(rack: string, topic: string, partition: number): void {
    this.byPartition.delete(PreferredReadReplicas.key(rack, topic, partition));
  }
}

/** One fetch attempt honouring the preferred read replica; `leader` finds the current leader. */
export async function rackAwareFetch(cluster: Cluster, cache: PreferredReadReplicas, request: FetchRequest, leader: () => number): Promise<FetchResponse> {
  const { topic, partition } = request;
  const rack = request.clientRack ?? '';
  const preferred = cache.get(rack, topic, partition, cluster.nowMs());
  if (preferred !== null && cluster.brokerNode(preferred) !== null) {
    const response = await cluster.broker(preferred).fetch(request);
    if (response.error === null) return response;
    cache.forget(rack, topic, partition);
  }
  const leaderId = leader();
  const response = await cluster.broker(leaderId).fetch(request);
  const redirect = response.preferredReadReplica;
  if (response.error !== null || redirect === undefined || redirect < 0 || redirect === leaderId) return response;
  cache.set(rack, topic, partition, redirect, cluster.nowMs());
  cluster.trace.emit({
    type: 'preferred-read-replica',
    node: leaderId,
    topic,
    partition,
    message: `Leader ${leaderId} of ${topic}-${partition} told a consumer in rack ${request.clientRack} to fetch from broker ${redirect}, a replica in its own rack (KIP-392).`,
    data: { leader: leaderId, preferredReadReplica: redirect, clientRack: request.clientRack },
  });
  const local = await cluster.broker(redirect).fetch(request);
  if (local.error !== null) cache.forget(rack, topic, partition);
  return local;
}
