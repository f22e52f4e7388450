import { describe, expect, it } from 'vitest';
import { TimeControls, adjacentKeyEvent, indexOfSeq, isKeyEvent } from './TimeControls';
import { stopTrace } from './test-fixtures';
import { attr, count, render, tagWith, text } from './test-utils';

const noop = () => undefined;

describe('TimeControls', () => {
  it('finds key events around the current moment', () => {
    expect(stopTrace.filter(isKeyEvent).map((e) => e.seq)).toEqual([2, 4, 5, 6, 7, 8, 9, 10]);
    expect(adjacentKeyEvent(stopTrace, 3, 1)).toBe(4);
    expect(adjacentKeyEvent(stopTrace, 4, -1)).toBe(2);
    expect(adjacentKeyEvent(stopTrace, 2, -1)).toBeNull();
    expect(adjacentKeyEvent(stopTrace, 12, 1)).toBeNull();
  });

  it('maps a seq to the scrubber position, tolerating gaps', () => {
    const gappy = stopTrace.filter((e) => e.seq % 2 === 0);
    expect(indexOfSeq(gappy, 6)).toBe(2);
    expect(indexOfSeq(gappy, 7)).toBe(2);
    expect(indexOfSeq(gappy, 0)).toBe(0);
  });

  it('follows the live cluster when no moment is chosen', () => {
    const html = render(<TimeControls events={stopTrace} paused={false} speed={1} onPause={noop} onSeek={noop} />);
    expect(attr(tagWith(html, 'data-testid', 'time-controls'), 'data-live')).toBe('true');
    expect(text(html)).toContain('● live');
    const range = tagWith(html, 'data-testid', 'time-scrubber');
    expect([attr(range, 'max'), attr(range, 'value')]).toEqual(['11', '11']);
    expect(tagWith(html, 'data-testid', 'time-step')).toContain('disabled');
    expect(count(html, 'data-tick=')).toBe(8);
  });

  it('shows a past moment with a way back to live and a shareable link', () => {
    const html = render(<TimeControls events={stopTrace} currentSeq={5} paused speed={2} onResume={noop} onSeek={noop} onLive={noop} onStep={noop} permalink="/lab?seed=7&at=5" />);
    expect(attr(tagWith(html, 'data-testid', 'time-scrubber'), 'value')).toBe('4');
    expect(attr(tagWith(html, 'data-testid', 'time-scrubber'), 'aria-valuetext')).toContain('event 5 of 12');
    expect(text(html)).toContain('viewing the past');
    expect(text(html)).toContain('▶ Resume');
    expect(tagWith(html, 'data-testid', 'time-step')).not.toContain('disabled');
    expect(attr(tagWith(html, 'data-testid', 'time-permalink'), 'href')).toBe('/lab?seed=7&amp;at=5');
    expect(html).toMatch(/<option value="2" selected="">2×<\/option>/);
  });

  it('adds an unusual current speed to the choices', () => {
    const html = render(<TimeControls events={[]} paused={false} speed={3} />);
    expect(html).toContain('<option value="3" selected="">3×</option>');
    expect(text(html)).toContain('No events yet');
  });
});
