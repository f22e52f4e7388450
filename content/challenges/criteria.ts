/**
 * Building blocks shared by the module challenges, on top of @kil/grader's criteria: a
 * partition's snapshot, the records a broker stores (read from its log directory, as
 * `kafka-dump-log` reads them), segment counts, and moments in the trace. Like every
 * criterion they judge what the lab shows, never what was typed.
 */
import { dumpBatches, type PartitionSnapshot, type TraceEvent } from '@kil/engine';
import { findTopic, type LabView } from '@kil/grader';

/** Node lifecycle events: a stop, a crash or a (re)start of a broker or a controller. */
export const lifecycleEventTypes: readonly string[] = ['node-stop-requested', 'node-crashed', 'node-started'];

export function partitionOf(view: LabView, topic: string, partition: number): PartitionSnapshot | undefined {
  return findTopic(view, topic)?.partitions.find((p) => p.partition === partition);
}

export function isPartition(event: TraceEvent, topic: string, partition: number): boolean {
  return event.topic === topic && event.partition === partition;
}

/** Events of `type` about one partition, oldest first. */
export function partitionEvents(view: LabView, type: string, topic: string, partition: number): TraceEvent[] {
  return view.events.filter((e) => e.type === type && isPartition(e, topic, partition));
}

/** Events strictly between two sequence numbers that match `test`. */
export function eventsBetween(view: LabView, afterSeq: number, beforeSeq: number, test: (e: TraceEvent) => boolean): TraceEvent[] {
  return view.events.filter((e) => e.seq > afterSeq && e.seq < beforeSeq && test(e));
}

export function listOf(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

/** A record as a broker stores it, key and value decoded as UTF-8. */
export interface StoredRecord {
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  /** Transaction markers (control batches) are records too, but not the application's. */
  readonly control: boolean;
}

const utf8 = new TextDecoder();

function logDirOf(view: LabView, brokerId: number) {
  if (!view.logDir) throw new Error('this lab does not show its log files to the grader yet');
  return view.logDir(brokerId);
}

/** Names of the segment files (`*.log`) of one partition on one broker, oldest first. */
export function segmentFiles(view: LabView, brokerId: number, topic: string, partition: number): string[] {
  return logDirOf(view, brokerId)
    .list(`${topic}-${partition}`)
    .filter((name) => name.endsWith('.log'));
}

/** Every record of one partition in the broker's local segments, oldest first. */
export function storedRecords(view: LabView, brokerId: number, topic: string, partition: number): StoredRecord[] {
  const dir = logDirOf(view, brokerId);
  const records: StoredRecord[] = [];
  for (const name of segmentFiles(view, brokerId, topic, partition)) {
    const bytes = dir.read(`${topic}-${partition}`, name);
    if (!bytes) continue;
    for (const batch of dumpBatches(bytes, { printDataLog: true })) {
      if (batch.error) throw new Error(`segment ${name} holds a batch the grader cannot decode: ${batch.error}`);
      for (const r of batch.records ?? []) {
        records.push({
          offset: r.offset,
          key: r.key === null ? null : utf8.decode(r.key),
          value: r.value === null ? null : utf8.decode(r.value),
          control: batch.isControl,
        });
      }
    }
  }
  return records;
}

/** The latest value of each key among the application's records (null for a tombstone). */
export function latestValues(records: readonly StoredRecord[]): Map<string, string | null> {
  const latest = new Map<string, string | null>();
  for (const r of records) if (!r.control && r.key !== null) latest.set(r.key, r.value);
  return latest;
}
