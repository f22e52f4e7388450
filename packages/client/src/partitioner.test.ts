import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './partitioner';

describe('default partitioner', () => {
  it('matches the Java client on known keys', () => {
    // Values from Kafka's UtilsTest.testMurmur2 (the Java implementation's own test).
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ];
    for (const [key, hash] of cases) expect(murmur2(new TextEncoder().encode(key))).toBe(hash);
  });

  it('always picks a partition in range', () => {
    for (let i = 0; i < 200; i++) {
      const p = partitionForKey(`key-${i}`, 7);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
    }
  });
});
