import { describe, expect, it } from 'vitest';
import { LeaderEpochCache } from './epoch-cache';
import { MemoryLogStore } from './store';

describe('LeaderEpochCache (KIP-101/279)', () => {
  it('assign drops entries the new one contradicts and persists through the checkpoint', () => {
    const store = new MemoryLogStore();
    const c = new LeaderEpochCache(store, 't-0');
    c.assign(1, 0);
    c.assign(2, 10);
    c.assign(2, 15); // same epoch, later offset: ignored
    c.assign(3, 8); // a new leader truncated below epoch 2's start: epoch 2 goes
    expect(c.entries()).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 3, startOffset: 8 }]);
    expect(new TextDecoder().decode(store.read('t-0', 'leader-epoch-checkpoint', 0, 100))).toBe('0\n2\n1 0\n3 8\n');
    expect(new LeaderEpochCache(store, 't-0').entries()).toEqual(c.entries());
  });

  it('truncateFromStart keeps the covering epoch, starting at the new log start', () => {
    const c = new LeaderEpochCache(new MemoryLogStore(), 't-0');
    c.assign(1, 0);
    c.assign(2, 10);
    c.assign(4, 20);
    c.truncateFromStart(15);
    expect(c.entries()).toEqual([{ epoch: 2, startOffset: 15 }, { epoch: 4, startOffset: 20 }]);
    c.truncateFromEnd(20);
    expect(c.latestEpoch()).toBe(2);
    expect(c.endOffsetFor(2, 30)).toMatchObject({ epoch: 2, endOffset: 30 });
  });
});
