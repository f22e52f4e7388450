import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@kil/engine';
import { GroupComparison, GroupView, groupModelFromEvents, type GroupModel } from './GroupView';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

let seq = 0;
const ev = (type: string, data: Record<string, unknown>): TraceEvent => ({ seq: ++seq, timeMs: seq * 100, type, node: 2, message: type, data: { groupId: 'billing', ...data } });

const events: TraceEvent[] = [
  ev('member-joined', { memberId: 'c1-a', clientId: 'c1' }),
  ev('member-joined', { memberId: 'c2-b', clientId: 'c2', groupInstanceId: 'pod-2' }),
  ev('group-state-changed', { state: 'CompletingRebalance', generationId: 1, assignor: 'cooperative-sticky' }),
  ev('group-assigned', { assignment: { 'c1-a': ['orders-0', 'orders-1'], 'c2-b': ['orders-2'] } }),
  ev('group-state-changed', { state: 'Stable' }),
  ev('member-joined', { memberId: 'c3-c', clientId: 'c3' }),
  ev('group-state-changed', { state: 'PreparingRebalance', generationId: 2 }),
  ev('partitions-revoked', { memberId: 'c1-a', partitions: ['orders-1'] }),
  { seq: 99, timeMs: 1, type: 'member-joined', message: 'other group', data: { groupId: 'other', memberId: 'x' } },
];

describe('GroupView', () => {
  const model = groupModelFromEvents(events, 'billing')!;

  it('folds group events into state, generation, protocol and ownership', () => {
    expect([model.state, model.generationId, model.assignor, model.rebalanceProtocol]).toEqual(['PreparingRebalance', 2, 'cooperative-sticky', 'cooperative']);
    expect(model.members.map((m) => [m.memberId, m.owned, m.revoking])).toEqual([
      ['c1-a', ['orders-0'], ['orders-1']],
      ['c2-b', ['orders-2'], []],
      ['c3-c', [], []],
    ]);
    expect(groupModelFromEvents(events, 'nobody')).toBeNull();
  });

  it('shows the current state, the members and each partition with its status', () => {
    const html = render(<GroupView model={model} />);
    expect(attr(tagWith(html, 'data-testid', 'group-view'), 'data-generation')).toBe('2');
    expect(html).toContain('<li aria-current="step">PreparingRebalance</li>');
    expect(count(html, 'data-member=')).toBe(3);
    expect(attr(tagWith(subtree(html, 'data-member', 'c1-a'), 'data-tp', 'orders-1'), 'data-status')).toBe('revoking');
    expect(text(subtree(html, 'data-member', 'c2-b'))).toContain('static pod-2');
    expect(text(subtree(html, 'data-member', 'c3-c'))).toContain('no partitions');
  });

  it('compares eager and cooperative rebalancing of the same change', () => {
    const eager: GroupModel = { ...model, rebalanceProtocol: 'eager', assignor: 'range', members: model.members.map((m) => ({ ...m, owned: [], revoking: [] })), unowned: ['orders-0', 'orders-1', 'orders-2'] };
    const html = render(<GroupComparison eager={eager} cooperative={model} />);
    expect(text(subtree(html, 'data-testid', 'group-eager'))).toContain('3 partition(s) paused');
    expect(text(subtree(html, 'data-testid', 'group-cooperative'))).toContain('1 partition(s) paused');
    expect(count(subtree(html, 'data-testid', 'group-eager'), 'data-status="unowned"')).toBe(3);
  });

  it('explains how to start a group when there is none', () => {
    expect(render(<GroupView model={null} />)).toContain('clients consumers --group');
  });
});
