import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLogConfig, encodeRecordBatch, Log, logStoreContract } from '@kil/engine';
import { FileLogStore } from './file-log-store';

const roots: string[] = [];
function freshStore(): FileLogStore {
  const root = mkdtempSync(join(tmpdir(), 'kil-log-'));
  roots.push(root);
  return new FileLogStore(root);
}
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('LogStore contract: FileLogStore', () => {
  for (const c of logStoreContract) it(c.name, () => c.run(freshStore));
});

describe('FileLogStore writes Kafka\'s on-disk layout', () => {
  it('segment files, index entries (relative offset, position) and time index entries (timestamp, relative offset)', () => {
    const store = freshStore();
    const log = new Log({ topic: 'payments', partition: 3, config: { ...defaultLogConfig, indexIntervalBytes: 100, segmentBytes: 2000 }, store, nowMs: () => 0 });
    const positions: number[] = [];
    let position = 0;
    for (let i = 0; i < 30; i++) {
      const b = encodeRecordBatch({ records: [{ key: `k${i}`, value: 'v'.repeat(60), timestamp: 1000 + i }] });
      if (log.activeSegment.baseOffset === 0) positions.push(position);
      position += b.length;
      log.appendAsLeader(b, 1);
    }
    log.flush();
    const dir = join(store.root, 'payments-3');
    const names = readdirSync(dir).sort();
    expect(names).toContain('00000000000000000000.log');
    expect(names).toContain('00000000000000000000.index');
    expect(names).toContain('00000000000000000000.timeindex');
    expect(names).toContain('leader-epoch-checkpoint');
    expect(readFileSync(join(dir, 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n1\n1 0\n');
    const index = readFileSync(join(dir, '00000000000000000000.index'));
    expect(index.length % 8).toBe(0);
    expect(index.length).toBeGreaterThan(0);
    for (let p = 0; p < index.length; p += 8) {
      const relativeOffset = index.readInt32BE(p);
      expect(index.readInt32BE(p + 4)).toBe(positions[relativeOffset]); // one record per batch
    }
    const timeindex = readFileSync(join(dir, '00000000000000000000.timeindex'));
    expect(timeindex.length % 12).toBe(0);
    expect(Number(timeindex.readBigInt64BE(0)) - 1000).toBe(timeindex.readInt32BE(8));
    const rp = readFileSync(join(store.root, 'recovery-point-offset-checkpoint'), 'utf8');
    expect(rp).toBe('0\n1\npayments 3 30\n');
    store.close();
  });

  it('simulated power loss drops unflushed bytes on disk and the log recovers', () => {
    const store = freshStore();
    const mk = () => new Log({ topic: 't', partition: 0, config: defaultLogConfig, store, nowMs: () => 0 });
    const log = mk();
    log.appendAsLeader(encodeRecordBatch({ records: [{ value: 'kept' }] }), 0);
    log.flush();
    log.appendAsLeader(encodeRecordBatch({ records: [{ value: 'lost' }] }), 0);
    store.crash();
    const restarted = mk();
    expect(restarted.logEndOffset).toBe(1);
    store.close();
  });
});
