/**
 * The RemoteStorage port on a local directory, standing in for an object store (KIP-405's
 * LocalTieredStorage plays the same part in Kafka's tests). Layout:
 *   <root>/<topic>-<partition>/<startOffset, 20 digits>-<remoteLogSegmentId>.log | .index | .timeindex | .leader-epoch-checkpoint
 *   <root>/remote-log-metadata.json   the segment metadata and states (Kafka: __remote_log_metadata)
 */
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remoteStorageError, type RemoteIndexType, type RemoteLogSegmentMetadata, type RemoteSegmentData, type RemoteSegmentState, type RemoteStorage } from '@kil/engine';

const METADATA_FILE = 'remote-log-metadata.json';
const SUFFIX: Record<RemoteIndexType | 'LOG', string> = { LOG: '.log', OFFSET: '.index', TIMESTAMP: '.timeindex', LEADER_EPOCH: '.leader-epoch-checkpoint' };

export class DirectoryRemoteStorage implements RemoteStorage {
  private metadata: RemoteLogSegmentMetadata[];

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
    const path = join(root, METADATA_FILE);
    this.metadata = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RemoteLogSegmentMetadata[]) : [];
  }

  private file(m: RemoteLogSegmentMetadata, kind: RemoteIndexType | 'LOG'): string {
    const name = `${String(m.startOffset).padStart(20, '0')}-${m.remoteLogSegmentId}${SUFFIX[kind]}`;
    return join(this.root, `${m.topic}-${m.partition}`, name);
  }

  private saveMetadata(): void {
    const path = join(this.root, METADATA_FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(this.metadata, null, 1));
    renameSync(`${path}.tmp`, path);
  }

  copyLogSegmentData(m: RemoteLogSegmentMetadata, data: RemoteSegmentData): void {
    mkdirSync(join(this.root, `${m.topic}-${m.partition}`), { recursive: true });
    writeFileSync(this.file(m, 'LOG'), data.log);
    writeFileSync(this.file(m, 'OFFSET'), data.offsetIndex);
    writeFileSync(this.file(m, 'TIMESTAMP'), data.timeIndex);
    writeFileSync(this.file(m, 'LEADER_EPOCH'), data.leaderEpochIndex);
  }

  fetchLogSegment(m: RemoteLogSegmentMetadata, startPosition: number, endPosition?: number): Uint8Array {
    const path = this.file(m, 'LOG');
    if (!existsSync(path)) throw remoteStorageError(`Remote segment ${m.remoteLogSegmentId} is not in ${this.root}.`);
    const end = Math.min(endPosition ?? Number.MAX_SAFE_INTEGER, statSync(path).size);
    const out = new Uint8Array(Math.max(0, end - startPosition));
    const fd = openSync(path, 'r');
    try {
      let done = 0;
      while (done < out.length) {
        const n = readSync(fd, out, done, out.length - done, startPosition + done);
        if (n === 0) break;
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }

  fetchIndex(m: RemoteLogSegmentMetadata, type: RemoteIndexType): Uint8Array {
    const path = this.file(m, type);
    if (!existsSync(path)) throw remoteStorageError(`Remote ${type} index of ${m.remoteLogSegmentId} is missing.`);
    return new Uint8Array(readFileSync(path));
  }

  deleteLogSegmentData(m: RemoteLogSegmentMetadata): void {
    for (const kind of ['LOG', 'OFFSET', 'TIMESTAMP', 'LEADER_EPOCH'] as const) {
      const path = this.file(m, kind);
      if (existsSync(path)) unlinkSync(path);
    }
  }

  addRemoteLogSegmentMetadata(m: RemoteLogSegmentMetadata): void {
    this.metadata = this.metadata.filter((x) => x.remoteLogSegmentId !== m.remoteLogSegmentId);
    this.metadata.push({ ...m });
    this.saveMetadata();
  }

  updateRemoteLogSegmentMetadata(id: string, state: RemoteSegmentState, eventTimestampMs: number): void {
    const m = this.metadata.find((x) => x.remoteLogSegmentId === id);
    if (!m) throw remoteStorageError(`No metadata for remote segment ${id}.`);
    m.state = state;
    m.eventTimestampMs = eventTimestampMs;
    this.saveMetadata();
  }

  listRemoteLogSegments(topic: string, partition: number): RemoteLogSegmentMetadata[] {
    return this.metadata
      .filter((m) => m.topic === topic && m.partition === partition && m.state !== 'DELETE_SEGMENT_FINISHED')
      .sort((a, b) => a.startOffset - b.startOffset)
      .map((m) => ({ ...m }));
  }
}
