import { describe, expect, it } from 'vitest';
import { SlicedQueue } from './sliced-queue';
import { systemClock } from './scheduler';

/** A queue on a hand-moved clock whose deferred slices run only when the test says so. */
function manualQueue(budgetMs: number) {
  let now = 0;
  const deferred: (() => void)[] = [];
  const queue = new SlicedQueue({ budgetMs, nowMs: () => now, defer: (fn) => deferred.push(fn) });
  return {
    queue,
    spend: (ms: number) => (now += ms),
    slices: () => deferred.length,
    runNextSlice: () => deferred.shift()?.(),
  };
}

describe('SlicedQueue', () => {
  it('runs queued work in a later macrotask, not inside push', () => {
    const { queue, runNextSlice, slices } = manualQueue(4);
    const ran: number[] = [];
    queue.push(() => ran.push(1));
    queue.push(() => ran.push(2));
    expect(ran).toEqual([]);
    expect(slices()).toBe(1);
    runNextSlice();
    expect(ran).toEqual([1, 2]);
    expect(queue.size).toBe(0);
    expect(slices()).toBe(0);
  });

  it('stops a slice once its budget is spent and continues in the next one, in order', () => {
    const { queue, runNextSlice, slices, spend } = manualQueue(4);
    const ran: number[] = [];
    for (let i = 0; i < 10; i++) {
      queue.push(() => {
        ran.push(i);
        spend(1.5);
      });
    }
    runNextSlice();
    // 1.5 + 1.5 = 3 < 4, the third task reaches 4.5: three tasks per slice.
    expect(ran).toEqual([0, 1, 2]);
    expect(queue.size).toBe(7);
    expect(slices()).toBe(1);
    runNextSlice();
    runNextSlice();
    runNextSlice();
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(slices()).toBe(0);
  });

  it('always makes progress, even with a task longer than the budget', () => {
    const { queue, runNextSlice, spend } = manualQueue(4);
    const ran: string[] = [];
    queue.push(() => {
      ran.push('long');
      spend(50);
    });
    queue.push(() => ran.push('next'));
    runNextSlice();
    expect(ran).toEqual(['long']);
    runNextSlice();
    expect(ran).toEqual(['long', 'next']);
  });

  it('work pushed during a slice runs after the task that pushed it, in the same slice while budget is left', () => {
    const { queue, runNextSlice } = manualQueue(4);
    const ran: string[] = [];
    queue.push(() => {
      ran.push('first');
      queue.push(() => ran.push('pushed while running'));
    });
    runNextSlice();
    // The pushed task fits the budget, so it runs in the same slice, after the first.
    expect(ran).toEqual(['first', 'pushed while running']);
  });

  it('a throwing task does not stop the others', async () => {
    const { queue, runNextSlice } = manualQueue(4);
    const ran: string[] = [];
    const reported: unknown[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (fn) => original(() => {
      try {
        fn();
      } catch (error) {
        reported.push(error);
      }
    });
    try {
      queue.push(() => {
        throw new Error('boom');
      });
      queue.push(() => ran.push('after'));
      runNextSlice();
      await Promise.resolve();
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(ran).toEqual(['after']);
    expect(reported.map((e) => (e as Error).message)).toEqual(['boom']);
  });

  it('refuses a budget that is not positive', () => {
    expect(() => new SlicedQueue({ budgetMs: 0 })).toThrow(/positive budget/);
  });
});

describe('systemClock timers', () => {
  it('fire through the queue, and a cancelled timer never runs', async () => {
    const fired: string[] = [];
    systemClock.setTimer(0, () => fired.push('kept'));
    const cancel = systemClock.setTimer(0, () => fired.push('cancelled'));
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toEqual(['kept']);
  });

  it('a timer cancelled after it fell due but before its slice ran does not run', async () => {
    const fired: string[] = [];
    let cancelSecond: () => void = () => {};
    // Both fall due in the same timers phase; the first cancels the second from its slice.
    systemClock.setTimer(0, () => {
      fired.push('first');
      cancelSecond();
    });
    cancelSecond = systemClock.setTimer(0, () => fired.push('second'));
    // Hold the thread until both timers are certainly due, so both fire in one timers phase.
    const until = performance.now() + 5;
    while (performance.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toEqual(['first']);
  });
});
