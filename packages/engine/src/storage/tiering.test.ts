import { describe, expect, it } from 'vitest';
import { MemoryRemoteStorage } from './remote';
import { MemoryLogStore } from './store';
import { batch, kv, makeLog, readAll, ManualClock } from './test-helpers';

function tieredLog(config: Parameters<typeof makeLog>[0] = {}) {
  const remote = new MemoryRemoteStorage();
  const store = new MemoryLogStore();
  const clock = new ManualClock();
  const t = makeLog({ remoteStorageEnable: true, segmentBytes: 300, localRetentionBytes: 400, ...config }, { remote, store, clock });
  const fill = (n: number) => {
    for (let i = 0; i < n; i++) t.log.appendAsLeader(batch([kv(`k${i}`, `value-${t.log.logEndOffset}`, clock.nowMs)]), 0);
  };
  return { ...t, remote, fill };
}

describe('tiered storage (KIP-405)', () => {
  it('copies rolled segments below the high watermark and then applies local retention', () => {
    const { log, remote, events, fill } = tieredLog();
    fill(30);
    log.maintenance();
    expect(log.remoteSegments()).toHaveLength(0); // nothing is below the HW yet
    log.updateHighWatermark(log.logEndOffset);
    log.maintenance();
    const copied = log.remoteSegments();
    expect(copied.length).toBe(log.segments().length + events.filter((e) => e.type === 'retention-delete' && e.tier === 'local').length - 1);
    expect(remote.listRemoteLogSegments('t', 0).every((m) => m.state === 'COPY_SEGMENT_FINISHED')).toBe(true);
    expect(events.filter((e) => e.type === 'tier-copy').length).toBe(copied.length);
    expect(log.logStartOffset).toBe(0);
    expect(log.localLogStartOffset).toBeGreaterThan(0);
    expect(log.sizeBytes).toBeLessThanOrEqual(400 + 300);
    expect(copied[0]!.segmentLeaderEpochs).toEqual({ 0: 0 });
  });

  it('serves reads below the local log start from remote storage, transparently', () => {
    const { log, events, fill } = tieredLog();
    fill(30);
    log.updateHighWatermark(log.logEndOffset);
    log.maintenance();
    const all = readAll(log);
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(all.every((r) => r.value === `value-${r.offset}`)).toBe(true);
    expect(events.some((e) => e.type === 'remote-read' && e.fromOffset === 0)).toBe(true);
    expect(log.offsetForTimestamp(0)?.offset).toBe(0);
  });

  it('never deletes a local segment that is not yet in remote storage', () => {
    const { log, fill } = tieredLog({ localRetentionBytes: 0 });
    fill(30);
    log.updateHighWatermark(12);
    log.maintenance();
    const remoteEnd = log.remoteSegments().at(-1)?.endOffset ?? -1;
    expect(remoteEnd).toBeLessThan(12);
    expect(log.localLogStartOffset).toBe(remoteEnd + 1);
  });

  it('total retention.ms deletes remote segments and moves logStartOffset', () => {
    const { log, clock, events, fill } = tieredLog({ retentionMs: 60_000, localRetentionMs: 1000 });
    fill(30);
    log.updateHighWatermark(log.logEndOffset);
    clock.advance(2000);
    log.maintenance();
    expect(log.logStartOffset).toBe(0);
    expect(log.remoteSegments().length).toBeGreaterThan(0);
    clock.advance(60_000);
    log.maintenance();
    expect(events.some((e) => e.type === 'retention-delete' && e.tier === 'remote' && e.reason === 'retention.ms')).toBe(true);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(() => log.read(0, { maxBytes: 100 })).toThrow(expect.objectContaining({ errorName: 'OFFSET_OUT_OF_RANGE' }));
  });

  it('total retention.bytes counts remote plus local-only bytes', () => {
    const { log, fill } = tieredLog({ retentionBytes: 900, localRetentionBytes: 300 });
    fill(60);
    log.updateHighWatermark(log.logEndOffset);
    log.maintenance();
    const remoteBytes = log.remoteSegments().reduce((n, m) => n + m.segmentSizeInBytes, 0);
    const total = remoteBytes + log.segments().filter((s) => !s.inRemote).reduce((n, s) => n + s.sizeBytes, 0);
    // Kafka deletes the oldest segment only while what remains still meets retention.bytes.
    expect(total).toBeGreaterThanOrEqual(900);
    expect(total - log.remoteSegments()[0]!.segmentSizeInBytes).toBeLessThan(900);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.logStartOffset).toBe(log.remoteSegments()[0]?.startOffset ?? log.localLogStartOffset);
  });

  it('does nothing with remote storage when remote.storage.enable=false', () => {
    const { log, fill } = tieredLog({ remoteStorageEnable: false });
    fill(30);
    log.updateHighWatermark(log.logEndOffset);
    log.maintenance();
    expect(log.remoteSegments()).toHaveLength(0);
  });

  it('finds remote segments again after a restart', () => {
    const t = tieredLog();
    t.fill(30);
    t.log.updateHighWatermark(t.log.logEndOffset);
    t.log.maintenance();
    const again = t.reopen();
    expect(again.logStartOffset).toBe(0);
    expect(readAll(again).length).toBe(30);
  });
});
