/**
 * Fetching from the closest replica (KIP-392). A consumer names its rack (`client.rack`) in
 * each fetch. When the brokers set `replica.selector.class` to Kafka's
 * RackAwareReplicaSelector, the partition leader looks for replicas in the consumer's rack:
 * if the leader is there it keeps serving; otherwise it names the most caught-up in-sync
 * replica of that rack as the *preferred read replica* and answers without records. The
 * consumer then fetches from that follower, which serves records up to its own high
 * watermark.
 *
 * Candidates, as in Kafka's ReplicaManager.findPreferredReadReplica: ISR members whose log
 * (as the leader last saw it) holds the fetch offset. Without a selector, or without a
 * client rack, the leader serves every fetch.
 */
import type { MetadataImage } from '../metadata/image';
import type { Partition } from './partition';

export const RACK_AWARE_REPLICA_SELECTOR = 'org.apache.kafka.common.replica.RackAwareReplicaSelector';

/** Whether a selector class name means the rack-aware selector (short or fully qualified). */
export function isRackAwareSelector(selectorClass: string | undefined): boolean {
  return selectorClass === RACK_AWARE_REPLICA_SELECTOR || selectorClass === 'RackAwareReplicaSelector';
}

/**
 * The preferred read replica for a consumer in `clientRack`, or null when the leader
 * itself should serve (no selector, no rack, leader in the rack, or no candidate).
 */
export function selectPreferredReadReplica(
  partition: Partition,
  image: MetadataImage,
  selectorClass: string | undefined,
  clientRack: string | undefined,
  fetchOffset: number,
): number | null {
  if (!partition.isLeader || !isRackAwareSelector(selectorClass) || clientRack === undefined || clientRack === '') return null;
  const rackOf = (id: number): string | null => image.brokers.get(id)?.rack ?? null;
  if (rackOf(partition.leaderId) === clientRack) return null;
  const candidates = [...partition.followers.values()].filter(
    (f) => partition.isr.includes(f.brokerId) && image.isActiveBroker(f.brokerId) && rackOf(f.brokerId) === clientRack && f.logEndOffset >= fetchOffset,
  );
  if (candidates.length === 0) return null;
  // Kafka's ReplicaView comparator: the largest log end offset, then the most recently caught up.
  candidates.sort((a, b) => b.logEndOffset - a.logEndOffset || b.lastCaughtUpTimeMs - a.lastCaughtUpTimeMs || a.brokerId - b.brokerId);
  return candidates[0]!.brokerId;
}
