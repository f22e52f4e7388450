import { describe, expect, it } from 'vitest';
import { ReassignmentView, reassignmentModel, reassignmentsFromSnapshot } from './ReassignmentView';
import { orders0, snapshot } from './test-fixtures';
import { attr, render, tagWith, text } from './test-utils';

/** orders-0 moving from [2,1,3] to [1,3,4]: broker 4 is adding and half-way through the log. */
const moving = {
  ...orders0,
  replicas: [2, 1, 3, 4],
  addingReplicas: [4],
  removingReplicas: [2],
  replicaStates: [...orders0.replicaStates, { brokerId: 4, logStartOffset: 0, logEndOffset: 6, highWatermark: 6, lastCaughtUpTimeMs: null, online: true }],
};

describe('ReassignmentView', () => {
  it('derives the target, the phase and each replica change from the partition', () => {
    const m = reassignmentModel(moving);
    expect(m.targetReplicas).toEqual([1, 3, 4]);
    expect(m.phase).toBe('copying');
    expect(m.replicas.map((r) => [r.brokerId, r.change])).toEqual([
      [2, 'removing'],
      [1, 'keeping'],
      [3, 'keeping'],
      [4, 'adding'],
    ]);
    expect(reassignmentModel({ ...moving, isr: [1, 3, 4] }).phase).toBe('completing');
    expect(reassignmentModel(orders0).phase).toBe('done');
  });

  it('finds only the partitions being reassigned', () => {
    expect(reassignmentsFromSnapshot(snapshot)).toEqual([]);
    const withMove = { ...snapshot, topics: [{ ...snapshot.topics[0]!, partitions: [moving, ...snapshot.topics[0]!.partitions.slice(1)] }] };
    expect(reassignmentsFromSnapshot(withMove).map((m) => `${m.topic}-${m.partition}`)).toEqual(['orders-0']);
  });

  it('shows copy progress of the new replica against the leader LEO', () => {
    const html = render(<ReassignmentView models={[reassignmentModel(moving)]} />);
    expect(attr(tagWith(html, 'data-testid', 'reassign-replica-4'), 'data-progress')).toBe('0.50');
    expect(text(html)).toContain('orders-0 → [1, 3, 4] · copying');
    expect(text(html)).toContain('6/12 · adding · not in ISR');
    expect(render(<ReassignmentView models={[]} />)).toContain('No reassignment in progress');
  });
});
