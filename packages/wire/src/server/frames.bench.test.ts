import { describe, expect, it } from 'vitest';
import { benchFrames } from './frames.bench';

describe('benchFrames', () => {
  it('delivers and counts every frame it sends over loopback', async () => {
    const result = await benchFrames({ frameBytes: 1000, totalBytes: 200_000 });
    expect(result.frames).toBe(200);
    expect(result.bytes).toBe(200 * 1004);
    expect(result.megabytesPerSecond).toBeGreaterThan(0);
  });
});
