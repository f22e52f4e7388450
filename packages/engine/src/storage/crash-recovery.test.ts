/**
 * Seeded crash-recovery property test. The model is the list of batches appended and the
 * offset of the last explicit flush. After every crash the log must hold exactly a prefix of
 * the model made of whole batches, at least as long as the flushed prefix, with the same bytes.
 * The store tears the unflushed tail at a random byte (or leaves garbage), as a real page cache
 * can when power fails mid-writeback, so recovery must find the torn batch by length and CRC.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLogStore, type LogStore } from './store';
import { batch, makeLog, prng, readAll } from './test-helpers';

/** A store whose crash keeps a random part of each file's unflushed bytes, possibly garbled. */
class TearingStore implements LogStore {
  readonly inner = new MemoryLogStore();
  constructor(private readonly rand: () => number) {}
  list(dir: string) { return this.inner.list(dir); }
  exists(dir: string, name: string) { return this.inner.exists(dir, name); }
  size(dir: string, name: string) { return this.inner.size(dir, name); }
  read(dir: string, name: string, p: number, n: number) { return this.inner.read(dir, name, p, n); }
  append(dir: string, name: string, b: Uint8Array) { this.inner.append(dir, name, b); }
  truncate(dir: string, name: string, n: number) { this.inner.truncate(dir, name, n); }
  writeAtomic(dir: string, name: string, b: Uint8Array) { this.inner.writeAtomic(dir, name, b); }
  rename(dir: string, a: string, b: string) { this.inner.rename(dir, a, b); }
  delete(dir: string, name: string) { this.inner.delete(dir, name); }
  flush(dir: string, name: string) { this.inner.flush(dir, name); }
  unflushedBytes(dir: string, name: string) { return this.inner.unflushedBytes(dir, name); }
  crash(dir?: string): void {
    const survivors: Array<[string, string, Uint8Array]> = [];
    for (const d of dir === undefined ? [] : [dir]) {
      for (const name of this.inner.list(d)) {
        const unflushed = this.inner.unflushedBytes(d, name);
        if (unflushed === 0 || !name.endsWith('.log')) continue;
        const size = this.inner.size(d, name);
        const keep = Math.floor(this.rand() * (unflushed + 1));
        const bytes = this.inner.read(d, name, size - unflushed, keep).slice();
        if (this.rand() < 0.3 && bytes.length > 0) bytes[Math.floor(this.rand() * bytes.length)]! ^= 0xff;
        survivors.push([d, name, bytes]);
      }
    }
    this.inner.crash(dir);
    for (const [d, name, bytes] of survivors) {
      this.inner.append(d, name, bytes);
      this.inner.flush(d, name);
    }
  }
}

interface ModelBatch {
  baseOffset: number;
  values: string[];
}

function runSeed(seed: number): void {
  const rand = prng(seed);
  const store = new TearingStore(prng(seed * 31 + 1));
  const { log, clock } = makeLog({ segmentBytes: 400 + Math.floor(rand() * 800), indexIntervalBytes: Math.floor(rand() * 300) }, { store });
  let model: ModelBatch[] = [];
  let flushedOffset = 0;
  let next = 0;
  for (let step = 0; step < 150; step++) {
    const r = rand();
    if (r < 0.7) {
      const n = 1 + Math.floor(rand() * 4);
      const values = Array.from({ length: n }, (_, i) => `s${seed}-v${next + i}-${'x'.repeat(Math.floor(rand() * 40))}`);
      const info = log.appendAsLeader(batch(values.map((v) => ({ key: 'k', value: v, timestamp: clock.nowMs }))), 0);
      expect(info.baseOffset).toBe(next);
      model.push({ baseOffset: next, values });
      next += n;
    } else if (r < 0.8) {
      log.flush();
      flushedOffset = next;
    } else if (r < 0.9) {
      const before = next;
      log.crash();
      const leo = log.logEndOffset;
      expect(leo).toBeGreaterThanOrEqual(flushedOffset);
      expect(leo).toBeLessThanOrEqual(before);
      model = model.filter((b) => b.baseOffset < leo);
      const lastBatch = model[model.length - 1];
      expect(leo).toBe(lastBatch ? lastBatch.baseOffset + lastBatch.values.length : 0);
      next = leo;
      flushedOffset = leo; // recovery flushes what it kept
    } else {
      clock.advance(1000);
    }
  }
  const expected = model.flatMap((b) => b.values.map((v, i) => ({ offset: b.baseOffset + i, value: v })));
  expect(readAll(log).map((x) => ({ offset: x.offset, value: x.value }))).toEqual(expected);
  const reopened = makeLog({}, { store }).log;
  expect(reopened.logEndOffset).toBe(next);
}

describe('crash recovery (seeded, against a flushed-prefix model)', () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}: a crash keeps whole batches, at least up to the last flush`, () => runSeed(seed));
  }

  it('a torn tail batch is detected by CRC and truncated, with a recovery event', () => {
    const { log, store, events } = makeLog();
    log.appendAsLeader(batch([{ key: 'a', value: 'one' }]), 0);
    log.flush();
    log.appendAsLeader(batch([{ key: 'b', value: 'two' }]), 0);
    const size = store.size('t-0', '00000000000000000000.log');
    const tail = store.read('t-0', '00000000000000000000.log', size - 10, 10).slice();
    tail[5]! ^= 1;
    store.truncate('t-0', '00000000000000000000.log', size - 10);
    store.append('t-0', '00000000000000000000.log', tail);
    store.flush('t-0', '00000000000000000000.log');
    log.crash();
    expect(log.logEndOffset).toBe(1);
    expect(events.some((e) => e.type === 'recovery' && e.truncatedBytes > 0)).toBe(true);
    expect(log.appendAsLeader(batch([{ key: 'c', value: 'three' }]), 0).baseOffset).toBe(1);
  });

  it('garbage after the last batch (a length below the header size) is cut off without panicking', () => {
    const { log, store } = makeLog();
    log.appendAsLeader(batch([{ key: 'a', value: 'one' }]), 0);
    store.append('t-0', '00000000000000000000.log', new Uint8Array([0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 3, 1, 2, 3]));
    store.flush('t-0', '00000000000000000000.log');
    log.crash();
    expect(log.logEndOffset).toBe(1);
    expect(store.size('t-0', '00000000000000000000.log')).toBe(log.segments()[0]!.sizeBytes);
  });

  it('segments after a corrupt segment are deleted (Kafka deletes everything after the corruption)', () => {
    const { log, store } = makeLog({ segmentBytes: 200 });
    for (let i = 0; i < 6; i++) log.appendAsLeader(batch([{ key: 'k', value: 'v'.repeat(50) }]), 0);
    const names = store.list('t-0').filter((n) => n.endsWith('.log'));
    expect(names.length).toBeGreaterThan(2);
    // Damage the second segment, then pretend nothing was ever flushed past the first one.
    const second = names[1]!;
    const bytes = store.read('t-0', second, 0, store.size('t-0', second)).slice();
    bytes[bytes.length - 1]! ^= 0xff;
    store.truncate('t-0', second, 0);
    store.append('t-0', second, bytes);
    store.flush('t-0', second);
    store.writeAtomic('', 'recovery-point-offset-checkpoint', new TextEncoder().encode('0\n1\nt 0 0\n'));
    const again = makeLog({ segmentBytes: 200 }, { store }).log;
    expect(again.segments().length).toBe(2);
    expect(again.logEndOffset).toBeLessThan(6);
  });
});
