/**
 * The tiering task of a broker (Kafka's RemoteLogManager copy and expiration tasks, run
 * every `remote.log.manager.task.interval.ms`): for each tiered partition this broker
 * leads, copy rolled segments below the high watermark to remote storage and apply local
 * retention (`local.retention.ms/bytes`) to what is already copied.
 *
 * Only leaders tier, as in Kafka. Deviations: followers keep their whole local log (they do
 * not apply local retention), and a replica's view of the remote tier is the one it loaded
 * when its log was created, so tiering right after a leadership change may copy a segment
 * twice; plain (untiered) retention is not run by the cluster.
 */
import type { Partition } from './partition';

/** Runs one tiering pass; returns how many partitions were maintained. */
export function runTieringTask(partitions: Iterable<Partition>): number {
  let n = 0;
  for (const partition of partitions) {
    if (!partition.isLeader || !partition.log.config.remoteStorageEnable) continue;
    partition.log.maintenance();
    n++;
  }
  return n;
}
