import { describe, expect, it } from 'vitest';
import { cleanLog } from './cleaner';
import type { StorageEventType } from './events';
import { MemoryRemoteStorage } from './remote';
import { batch, kv, makeLog, readAll } from './test-helpers';

describe('storage trace events', () => {
  it('every storage action emits its typed event, stamped with topic, partition and time', () => {
    const remote = new MemoryRemoteStorage();
    const { log, events, clock } = makeLog({ segmentBytes: 300, indexIntervalBytes: 50, cleanupPolicy: 'compact,delete', remoteStorageEnable: true, localRetentionBytes: 300 }, { remote });
    for (let i = 0; i < 30; i++) log.appendAsLeader(batch([kv(`k${i % 4}`, `v${i}`, clock.nowMs)]), 0);
    log.updateHighWatermark(log.logEndOffset);
    cleanLog(log, { force: true });
    log.maintenance();
    readAll(log);
    log.truncateTo(log.logEndOffset - 1);
    log.appendAsLeader(batch([kv('k', 'unflushed', clock.nowMs)]), 0);
    log.crash();
    const seen = new Set(events.map((e) => e.type));
    const expected: StorageEventType[] = ['append', 'segment-rolled', 'index-entry', 'flush', 'truncate', 'retention-delete', 'clean', 'tier-copy', 'remote-read', 'recovery', 'crash'];
    for (const type of expected) expect(seen.has(type), type).toBe(true);
    expect(events.every((e) => e.topic === 't' && e.partition === 0 && e.atMs === clock.nowMs)).toBe(true);
    const crash = events.find((e) => e.type === 'crash');
    expect(crash?.type === 'crash' && crash.lostBytes > 0).toBe(true);
  });
});
