import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@kil/engine';
import { TieringView, tieringModelFromEvents } from './TieringView';
import { count, render, subtree } from './test-utils';

let seq = 0;
const ev = (type: string, data: Record<string, unknown>, partition = 0): TraceEvent => ({ seq: ++seq, timeMs: seq, type, node: 1, topic: 'logs', partition, message: type, data });

const events: TraceEvent[] = [
  ev('segment-rolled', { reason: 'segment.bytes', oldBaseOffset: 0, oldSizeBytes: 1000, newBaseOffset: 100 }),
  ev('segment-rolled', { reason: 'segment.bytes', oldBaseOffset: 100, oldSizeBytes: 1000, newBaseOffset: 200 }),
  ev('tier-copy', { remoteLogSegmentId: 'r-0', segmentBaseOffset: 0, segmentEndOffset: 99, sizeBytes: 1000 }),
  ev('retention-delete', { reason: 'local.retention.ms', tier: 'local', segmentBaseOffset: 0, segmentEndOffset: 99, sizeBytes: 1000, logStartOffset: 0 }),
  ev('segment-rolled', { oldBaseOffset: 0, newBaseOffset: 50 }, 1),
];

describe('TieringView', () => {
  const model = tieringModelFromEvents(events, 'logs', 0, 250);

  it('rebuilds local and remote segments from storage events', () => {
    expect(model.segments.map((s) => [s.baseOffset, s.endOffset, s.local, s.remote, s.active])).toEqual([
      [0, 99, false, true, false],
      [100, 199, true, false, false],
      [200, 249, true, false, true],
    ]);
    expect([model.logStartOffset, model.localLogStartOffset]).toEqual([0, 100]);
  });

  it('draws each segment on its lane', () => {
    const html = render(<TieringView model={model} />);
    expect(count(subtree(html, 'data-testid', 'tier-local'), 'data-segment=')).toBe(2);
    expect(count(subtree(html, 'data-testid', 'tier-remote'), 'data-segment=')).toBe(1);
    expect(html).toContain('data-tier="local" data-active="true"');
    expect(html).toContain('local log start 100');
  });
});
