/**
 * Kafka's on-disk names and checkpoint text formats.
 *
 *   <topic>-<partition>/00000000000000000000.log        record batches
 *   <topic>-<partition>/00000000000000000000.index      offset index: relative offset i32, position i32
 *   <topic>-<partition>/00000000000000000000.timeindex  time index: timestamp i64, relative offset i32
 *   <topic>-<partition>/leader-epoch-checkpoint         "0\n<n>\n<epoch> <startOffset>\n..."
 *   recovery-point-offset-checkpoint, log-start-offset-checkpoint, replication-offset-checkpoint,
 *   cleaner-offset-checkpoint (in the log dir root)       "0\n<n>\n<topic> <partition> <offset>\n..."
 */
import type { LogStore } from './store';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const CLEANED_SUFFIX = '.cleaned';
export const SWAP_SUFFIX = '.swap';
export const DELETED_SUFFIX = '.deleted';

export const LEADER_EPOCH_CHECKPOINT = 'leader-epoch-checkpoint';
export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT = 'replication-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT = 'cleaner-offset-checkpoint';
/** Broker-wide checkpoint files live in the root of the log directory. */
export const ROOT_DIR = '';

export function partitionDir(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function segmentFileName(baseOffset: number, suffix: string): string {
  return String(baseOffset).padStart(20, '0') + suffix;
}

/** Base offset of a `.log` file name, or undefined for other files. */
export function baseOffsetOfLogFile(name: string): number | undefined {
  const m = /^(\d{20})\.log$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeCheckpoint(lines: string[]): Uint8Array {
  return encoder.encode(`0\n${lines.length}\n${lines.map((l) => `${l}\n`).join('')}`);
}

/** The entry lines of a version-0 checkpoint, split on spaces; undefined if malformed. */
export function parseCheckpoint(bytes: Uint8Array): string[][] | undefined {
  const lines = decoder.decode(bytes).split('\n');
  if (lines[0] !== '0') return undefined;
  const count = Number(lines[1]);
  if (!Number.isInteger(count) || count < 0 || lines.length < count + 2) return undefined;
  return lines.slice(2, 2 + count).map((l) => l.split(' '));
}

function readWholeFile(store: LogStore, dir: string, name: string): Uint8Array | undefined {
  if (!store.exists(dir, name)) return undefined;
  return store.read(dir, name, 0, store.size(dir, name));
}

/** Reads one partition's entry from a broker-wide offset checkpoint file. */
export function readOffsetCheckpoint(store: LogStore, name: string, topic: string, partition: number): number | undefined {
  const bytes = readWholeFile(store, ROOT_DIR, name);
  const entries = bytes && parseCheckpoint(bytes);
  const hit = entries?.find((e) => e[0] === topic && Number(e[1]) === partition);
  return hit ? Number(hit[2]) : undefined;
}

/**
 * Rewrites a broker-wide checkpoint with this partition's entry replaced (or removed when
 * `offset` is undefined), keeping the other partitions' entries as they are.
 */
export function writeOffsetCheckpoint(store: LogStore, name: string, topic: string, partition: number, offset: number | undefined): void {
  const bytes = readWholeFile(store, ROOT_DIR, name);
  const entries = (bytes && parseCheckpoint(bytes)) ?? [];
  const kept = entries.filter((e) => !(e[0] === topic && Number(e[1]) === partition) && e.length === 3);
  if (offset !== undefined) kept.push([topic, String(partition), String(offset)]);
  kept.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : Number(a[1]) - Number(b[1])));
  store.writeAtomic(ROOT_DIR, name, encodeCheckpoint(kept.map((e) => e.join(' '))));
}

export function readPartitionCheckpoint(store: LogStore, dir: string, name: string): string[][] | undefined {
  const bytes = readWholeFile(store, dir, name);
  return bytes && parseCheckpoint(bytes);
}
