/**
 * The log cleaner of a broker (Kafka's LogCleaner: `log.cleaner.threads` CleanerThreads
 * that keep taking the filthiest compacted log, clean it, and sleep `log.cleaner.backoff.ms`
 * when no log is cleanable).
 *
 * States: off (`log.cleaner.enable=false`, read when the broker starts, as Kafka reads it
 * only at start-up) or on: a timer every `log.cleaner.backoff.ms` (default 15000; a
 * cluster-wide or per-broker dynamic config, as in Kafka) wakes the cleaner, which cleans
 * every cleanable replica this broker holds, leaders and followers alike: each replica is
 * its own log, cleaned independently, so two replicas may be at different stages of
 * cleaning. What is cleanable, and what a pass keeps, is the storage cleaner's business
 * (storage/cleaner.ts: min.cleanable.dirty.ratio, min/max.compaction.lag.ms, the active
 * segment and everything at or past the high watermark or an open transaction left alone,
 * tombstones and markers kept for delete.retention.ms after the pass that stamped them,
 * KIP-534). Each pass that cleaned something is traced as `log-clean` by the cluster.
 *
 * Deviations from Kafka: one wake-up cleans all cleanable logs at once (a pass takes no
 * virtual time, so this is what one thread looping over them would reach) and the next
 * wake-up is a full back-off later even when a pass found work; there is one thread
 * whatever `log.cleaner.threads` says; no I/O throttle (`log.cleaner.io.max.bytes.per.second`)
 * and no dedupe buffer bound. Tiered topics are skipped (Kafka refuses compaction with
 * remote storage).
 */
import type { NodeConfig } from '../cluster/config';
import type { MetadataImage } from '../metadata/image';
import { cleanCleanableLogs, type CleanSummary, type Log } from '../storage';
import type { Partition } from './partition';
import { dynamicBrokerConfig } from './throttle';

/** Kafka's defaults for the broker's cleaner settings. */
export const logCleanerDefaults = {
  'log.cleaner.enable': 'true',
  'log.cleaner.backoff.ms': '15000',
} as const;

/** Whether this broker runs a cleaner at all (a static setting, as in Kafka). */
export function logCleanerEnabled(config: NodeConfig): boolean {
  return (config.get('log.cleaner.enable') ?? logCleanerDefaults['log.cleaner.enable']) !== 'false';
}

/** How long the cleaner sleeps between wake-ups, read on every wake-up (dynamic). */
export function logCleanerBackoffMs(image: MetadataImage, config: NodeConfig, brokerId: number): number {
  const raw = dynamicBrokerConfig(image, config, brokerId, 'log.cleaner.backoff.ms') ?? logCleanerDefaults['log.cleaner.backoff.ms'];
  const value = Number(raw);
  // A broken value must not stop the cleaner or make it spin: fall back to the default.
  return Number.isFinite(value) && value >= 1 ? Math.floor(value) : Number(logCleanerDefaults['log.cleaner.backoff.ms']);
}

/** One wake-up: cleans every cleanable local replica; returns the passes that cleaned something. */
export function runLogCleanerTask(partitions: Iterable<Partition>, nowMs: number): CleanSummary[] {
  const logs: Log[] = [];
  for (const partition of partitions) if (!partition.log.config.remoteStorageEnable) logs.push(partition.log);
  return cleanCleanableLogs(logs, nowMs);
}
