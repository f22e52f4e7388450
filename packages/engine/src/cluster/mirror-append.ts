/**
 * The target side of an offset-preserving mirror (Cluster Linking style): record batches
 * fetched from another cluster are appended to the local partition leader exactly as they
 * are, keeping their offsets, leader epochs and CRCs, the way a follower appends what its
 * leader sends. The local followers then replicate them as usual and the high watermark
 * advances once the ISR has them.
 */
import { KafkaError } from '../errors';
import { NO_LEADER } from '../metadata/records';
import type { Cluster } from './cluster';
import { authoritativeImage } from './snapshot';

/** Appends `batches` at the leader's log end; returns the new log end offset. */
export function appendMirroredBatches(cluster: Cluster, topic: string, partition: number, batches: Uint8Array): number {
  const leader = authoritativeImage(cluster).partition(topic, partition)?.leader ?? NO_LEADER;
  const node = leader === NO_LEADER ? null : cluster.brokerNode(leader);
  const local = node?.replicaManager.get(topic, partition);
  if (node === null || local === undefined || !local.isLeader) {
    throw new KafkaError('NOT_LEADER_OR_FOLLOWER', `The mirror topic ${topic}-${partition} has no running leader right now.`, 'The mirror retries once a leader is elected.');
  }
  local.appendAsFollower(batches);
  local.maybeIncrementHighWatermark();
  node.replicaManager.completeDelayed();
  return local.log.logEndOffset;
}

/** The log end offset of a partition's leader, or -1 when it has no running leader. */
export function leaderLogEndOffset(cluster: Cluster, topic: string, partition: number): number {
  const leader = authoritativeImage(cluster).partition(topic, partition)?.leader ?? NO_LEADER;
  return (leader === NO_LEADER ? undefined : cluster.brokerNode(leader)?.replicaManager.get(topic, partition)?.log.logEndOffset) ?? -1;
}
