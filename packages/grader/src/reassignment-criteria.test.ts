import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, ReassignmentProgress } from '@kil/engine';
import { bytesMovedBy, movedFarLess } from './reassignment-criteria';
import type { LabView } from './types';

const move = (topic: string, bytesMoved: number, state: ReassignmentProgress['state'] = 'completed'): ReassignmentProgress => ({
  topic, partition: 0, state, previousReplicas: [1, 2, 3], targetReplicas: [4, 2, 3], addingReplicas: [4], removingReplicas: [1],
  bytesToMove: bytesMoved, bytesMoved, startedAtMs: 0, finishedAtMs: state === 'in-progress' ? null : 10,
});

const view = (reassignments: ReassignmentProgress[]): LabView => ({
  snapshot: { timeMs: 0, clusterId: 'c', activeControllerId: 1, brokers: [], controllers: [], topics: [], reassignments } as ClusterSnapshot,
  events: [],
});

const check = movedFarLess({ smaller: { topic: 'metrics', partition: 0 }, larger: { topic: 'metrics-local', partition: 0 }, ratioMax: 0.5 });

describe('movedFarLess', () => {
  it('passes when the tiered move copied at most the ratio of the untiered one, and says both sizes', () => {
    const seen = check.evaluate(view([move('metrics', 8 * 1024), move('metrics-local', 120 * 1024)]));
    expect(seen.passed).toBe(true);
    expect(seen.observed).toBe('metrics-0 copied 8.0 KiB, metrics-local-0 copied 120.0 KiB: 7%');
  });

  it('fails when both moves copied about the same', () => {
    const seen = check.evaluate(view([move('metrics', 100 * 1024), move('metrics-local', 120 * 1024)]));
    expect(seen.passed).toBe(false);
    expect(seen.observed).toContain('83%');
  });

  it('fails while a move is still in flight, naming the partition', () => {
    const seen = check.evaluate(view([move('metrics', 1024), move('metrics-local', 5000, 'in-progress')]));
    expect(seen).toEqual({ passed: false, observed: 'no completed reassignment of metrics-local-0 yet' });
  });

  it('fails when the untiered move copied nothing (an empty topic proves nothing)', () => {
    expect(check.evaluate(view([move('metrics', 0), move('metrics-local', 0)])).passed).toBe(false);
  });

  it('adds up every completed move of a partition', () => {
    expect(bytesMovedBy(view([move('metrics', 10), move('metrics', 5), move('metrics', 99, 'cancelled')]), 'metrics', 0)).toBe(15);
    expect(bytesMovedBy(view([]), 'metrics', 0)).toBeNull();
  });
});
