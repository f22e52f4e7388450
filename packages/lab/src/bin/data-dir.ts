/**
 * `npm run broker -- --data-dir D`: the broker process keeps its cluster on disk, so that a
 * restart with the same directory keeps every topic and every record.
 *
 * Layout, after Kafka's (one log directory per node, as `log.dirs` of each server):
 *   D/meta.properties                         cluster.id, node.ids, version (Kafka's meta.properties)
 *   D/broker-N/<topic>-<partition>/...        partition logs, indexes and checkpoints (FileLogStore)
 *   D/broker-N/__cluster_metadata-0/metadata-log.json
 *   D/controller-N/__cluster_metadata-0/metadata-log.json
 *
 * Partition logs are in Kafka's own file format. The `__cluster_metadata` replica and the
 * quorum state of each node are one JSON file (the engine's RaftLogState) instead of record
 * batch segments, snapshot checkpoints and a `quorum-state` file; it is rewritten atomically
 * (temporary file, fsync, rename) whenever the log has changed, at most once per
 * `saveIntervalMs`, and at shutdown.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, RaftLogState } from '@kil/engine';
import { FileLogStore } from '../storage';

export interface DataDirLayout {
  readonly brokerIds: readonly number[];
  readonly controllerIds: readonly number[];
}

const METADATA_DIR = '__cluster_metadata-0';
const METADATA_FILE = 'metadata-log.json';

export class DataDir {
  private readonly stores = new Map<number, FileLogStore>();
  /** What was last written per node, to skip saving a log that did not change. */
  private readonly savedMarks = new Map<number, string>();
  /** cluster.id found in meta.properties; undefined for a new directory. */
  readonly clusterId: string | undefined;

  constructor(
    readonly root: string,
    private readonly layout: DataDirLayout,
  ) {
    mkdirSync(root, { recursive: true });
    const meta = readMetaProperties(join(root, 'meta.properties'));
    this.clusterId = meta['cluster.id'];
    const nodeIds = nodeIdsOf(layout);
    if (meta['node.ids'] !== undefined && meta['node.ids'] !== nodeIds) {
      throw new Error(`--data-dir ${root} holds nodes ${meta['node.ids']}, but this cluster has nodes ${nodeIds}. Start with the same --brokers, or use another directory.`);
    }
  }

  private nodeDir(nodeId: number): string {
    return join(this.root, this.layout.controllerIds.includes(nodeId) ? `controller-${nodeId}` : `broker-${nodeId}`);
  }

  /** The broker's log directory (ClusterOptions.logStoreFor). */
  logStoreFor(brokerId: number): FileLogStore {
    let store = this.stores.get(brokerId);
    if (store === undefined) {
      store = new FileLogStore(this.nodeDir(brokerId));
      this.stores.set(brokerId, store);
    }
    return store;
  }

  /** The node's saved metadata log (ClusterOptions.metadataLogFor), or null in a new directory. */
  metadataLogFor(nodeId: number): RaftLogState | null {
    const path = join(this.nodeDir(nodeId), METADATA_DIR, METADATA_FILE);
    if (!existsSync(path)) return null;
    const state = JSON.parse(readFileSync(path, 'utf8')) as RaftLogState;
    this.savedMarks.set(nodeId, markOf(state));
    return state;
  }

  /** Writes meta.properties once the cluster id is known (Kafka does at format time). */
  writeMetaProperties(clusterId: string): void {
    const text = `#Written by npm run broker\nversion=1\ncluster.id=${clusterId}\nnode.ids=${nodeIdsOf(this.layout)}\n`;
    writeAtomic(join(this.root, 'meta.properties'), text);
  }

  /** Saves every node's metadata log that changed since the last save. */
  saveMetadata(cluster: Cluster): void {
    for (const id of [...this.layout.controllerIds, ...this.layout.brokerIds]) {
      const state = cluster.metadataLogState(id);
      const mark = markOf(state);
      if (this.savedMarks.get(id) === mark) continue;
      const dir = join(this.nodeDir(id), METADATA_DIR);
      mkdirSync(dir, { recursive: true });
      writeAtomic(join(dir, METADATA_FILE), JSON.stringify(state));
      this.savedMarks.set(id, mark);
    }
  }

  /** Closes every partition log file (what was written is in the OS page cache or on disk). */
  close(): void {
    for (const store of this.stores.values()) store.close();
    this.stores.clear();
  }
}

const nodeIdsOf = (layout: DataDirLayout): string => [...layout.brokerIds, ...layout.controllerIds].sort((a, b) => a - b).join(',');

/** A log changes by appending, truncating, taking a snapshot or moving to a new epoch or vote. */
function markOf(state: RaftLogState): string {
  const last = state.entries[state.entries.length - 1];
  return JSON.stringify([state.quorumState, state.snapshot?.endOffset ?? -1, state.entries.length, last?.offset ?? -1, last?.epoch ?? -1]);
}

function readMetaProperties(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const at = line.indexOf('=');
    if (line.startsWith('#') || at <= 0) continue;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** Replaces a file durably: a crash leaves either the old or the new contents. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
