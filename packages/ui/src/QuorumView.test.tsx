import { describe, expect, it } from 'vitest';
import { QuorumView, quorumMajority, quorumSummary } from './QuorumView';
import { snapshot } from './test-fixtures';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

describe('QuorumView', () => {
  it('summarises the quorum: leader, epoch, voters up and majority', () => {
    expect(quorumSummary(snapshot)).toEqual({ leaderId: 101, epoch: 4, votersUp: 3, majority: 2, highWatermark: 118 });
    expect([1, 2, 3, 4, 5].map(quorumMajority)).toEqual([1, 2, 2, 3, 3]);
  });

  it('draws each controller with its role, epoch, vote and log offsets', () => {
    const html = render(<QuorumView snapshot={snapshot} />);
    expect(count(html, 'data-testid="quorum-controller-')).toBe(3);
    expect(attr(tagWith(html, 'data-testid', 'quorum-controller-101'), 'data-role')).toBe('leader');
    const c103 = text(subtree(html, 'data-testid', 'quorum-controller-103'));
    expect(c103).toContain('follower · epoch 4 · voted for 101');
    expect(c103).toContain('HW 110 · LEO 110');
    expect(text(subtree(html, 'data-testid', 'quorum-controller-101'))).toContain('HW 118 · LEO 120');
  });

  it('shows brokers as observers with how far behind the metadata HW they are', () => {
    const html = render(<QuorumView snapshot={snapshot} />);
    expect(text(subtree(html, 'data-testid', 'quorum-observer-1'))).toContain('applied 118 · up to date');
    expect(text(subtree(html, 'data-testid', 'quorum-observer-2'))).toContain('applied 96 · 22 behind the HW');
    expect(attr(tagWith(html, 'data-testid', 'quorum-observer-2'), 'data-up')).toBe('false');
    expect(render(<QuorumView snapshot={snapshot} showObservers={false} />)).not.toContain('quorum-observer-');
  });

  it('warns when the quorum has lost its majority', () => {
    const down = { ...snapshot, controllers: snapshot.controllers.map((c) => (c.id === 101 ? c : { ...c, state: 'stopped' as const })) };
    const html = render(<QuorumView snapshot={down} />);
    expect(html).toContain('data-testid="alert-no-majority"');
    expect(text(html)).toContain('1 of 3 voters up (majority 2)');
  });

  it('offers controller and broker commands when the host takes actions', () => {
    const html = render(<QuorumView snapshot={snapshot} onAction={() => undefined} />);
    expect(html).toContain('Activate to run: controller stop 102');
    expect(html).toContain('Activate to run: broker start 2');
    expect(count(html, ' role="button"')).toBe(6);
  });
});
