/**
 * Keeps a leader's follower states in step with the replica list when the list changes
 * without a new leader epoch, as a reassignment does (KIP-455): an adding replica gets a
 * state (not caught up yet), so its fetches count and it can join the ISR; a removed
 * replica's state goes. Kafka's Partition.updateAssignmentAndIsr does the same.
 */
import type { FollowerState } from './partition';

export function syncFollowers(followers: Map<number, FollowerState>, replicas: readonly number[], leaderId: number): void {
  for (const id of [...followers.keys()]) if (!replicas.includes(id)) followers.delete(id);
  for (const id of replicas) {
    if (id === leaderId || followers.has(id)) continue;
    followers.set(id, { brokerId: id, logEndOffset: -1, lastCaughtUpTimeMs: 0, lastFetchTimeMs: 0, lastFetchLeaderLogEndOffset: -1 });
  }
}
