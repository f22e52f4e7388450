import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecordBatch, defaultLogConfig, encodeRecordBatch, Log, MemoryLogStore, MemoryRemoteStorage, type RemoteStorage } from '@kil/engine';
import { DirectoryRemoteStorage } from './directory-remote-storage';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function scenario(makeRemote: () => RemoteStorage) {
  const remote = makeRemote();
  const store = new MemoryLogStore();
  let now = 1_000_000;
  const config = { ...defaultLogConfig, segmentBytes: 300, remoteStorageEnable: true, localRetentionBytes: 300 };
  const mk = () => new Log({ topic: 'tiered', partition: 0, config, store, remote, nowMs: () => now });
  const log = mk();
  for (let i = 0; i < 20; i++) log.appendAsLeader(encodeRecordBatch({ records: [{ key: `k${i}`, value: `v${i}`, timestamp: now }] }), 0);
  log.updateHighWatermark(log.logEndOffset);
  log.maintenance();
  now += 1;
  return { log, remote, mk };
}

const remotes: Array<[string, () => RemoteStorage]> = [
  ['MemoryRemoteStorage', () => new MemoryRemoteStorage()],
  ['DirectoryRemoteStorage', () => {
    const root = mkdtempSync(join(tmpdir(), 'kil-remote-'));
    roots.push(root);
    return new DirectoryRemoteStorage(root);
  }],
];

describe.each(remotes)('RemoteStorage: %s', (_name, makeRemote) => {
  it('holds copied segments and serves offset 0 after local deletion', () => {
    const { log, remote } = scenario(makeRemote);
    const segments = remote.listRemoteLogSegments('tiered', 0);
    expect(segments.length).toBeGreaterThan(1);
    expect(segments.every((m) => m.state === 'COPY_SEGMENT_FINISHED')).toBe(true);
    expect(log.localLogStartOffset).toBeGreaterThan(0);
    const first = decodeRecordBatch(log.read(0, { maxBytes: 1 }).bytes);
    expect(first.records[0]!.offset).toBe(0);
    expect(new TextDecoder().decode(first.records[0]!.value!)).toBe('v0');
    const idx = remote.fetchIndex(segments[0]!, 'LEADER_EPOCH');
    expect(new TextDecoder().decode(idx)).toBe('0\n1\n0 0\n');
  });

  it('reads a byte range of a segment and forgets deleted segments', () => {
    const { remote } = scenario(makeRemote);
    const [m] = remote.listRemoteLogSegments('tiered', 0);
    const whole = remote.fetchLogSegment(m!, 0);
    expect(whole.length).toBe(m!.segmentSizeInBytes);
    expect(remote.fetchLogSegment(m!, 10, 20)).toEqual(whole.subarray(10, 20));
    remote.updateRemoteLogSegmentMetadata(m!.remoteLogSegmentId, 'DELETE_SEGMENT_STARTED', 1);
    remote.deleteLogSegmentData(m!);
    remote.updateRemoteLogSegmentMetadata(m!.remoteLogSegmentId, 'DELETE_SEGMENT_FINISHED', 2);
    expect(remote.listRemoteLogSegments('tiered', 0).some((x) => x.remoteLogSegmentId === m!.remoteLogSegmentId)).toBe(false);
    expect(() => remote.fetchLogSegment(m!, 0)).toThrow(expect.objectContaining({ errorName: 'KAFKA_STORAGE_ERROR' }));
  });
});

describe('DirectoryRemoteStorage persistence', () => {
  it('a new instance over the same directory sees the same segments', () => {
    const root = mkdtempSync(join(tmpdir(), 'kil-remote-'));
    roots.push(root);
    scenario(() => new DirectoryRemoteStorage(root));
    const again = new DirectoryRemoteStorage(root);
    expect(again.listRemoteLogSegments('tiered', 0).length).toBeGreaterThan(1);
    expect(again.listRemoteLogSegments('tiered', 0)[0]!.startOffset).toBe(0);
  });
});
