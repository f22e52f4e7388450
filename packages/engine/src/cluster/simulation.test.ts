import { describe, expect, it } from 'vitest';
import { runSimulation } from './simulation';

describe('seeded fault simulation', () => {
  // Pinned seeds. Seeds 3 and 8 once caught a restarted broker (back before its session
  // expired) acting on its old leadership with a log that lost unflushed data; it now waits
  // for its new registration before touching replicas. The others cover other fault mixes.
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed} keeps every invariant`, async () => {
      const result = await runSimulation({ seed, durationMs: 15_000 });
      expect(result.violations).toEqual([]);
      expect(result.acked).toBeGreaterThan(50);
      expect(result.faults.length).toBeGreaterThan(0);
    });
  }

  it('replays identically from the same seed', async () => {
    const a = await runSimulation({ seed: 42, durationMs: 5_000 });
    const b = await runSimulation({ seed: 42, durationMs: 5_000 });
    expect(b).toEqual(a);
  });
});
