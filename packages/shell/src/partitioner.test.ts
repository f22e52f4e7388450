import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './partitioner';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('murmur2', () => {
  // Reference values from Kafka's UtilsTest.testMurmur2.
  it('matches Kafka for keys of every tail length', () => {
    expect(murmur2(bytes('21'))).toBe(-973932308);
    expect(murmur2(bytes('foobar'))).toBe(-790332482);
    expect(murmur2(bytes('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(bytes('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(bytes('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(new Uint8Array([97, 98, 99]))).toBe(479470107);
  });

  it('sends a key to the same partition every time', () => {
    const p = partitionForKey('customer-42', 6);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(6);
    expect(partitionForKey('customer-42', 6)).toBe(p);
  });
});
