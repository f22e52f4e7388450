import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@kil/engine';
import { EventTimeline, LeaderElectionStory } from './EventTimeline';
import { eventCategory, eventExplanation, eventHeadline, filterEvents, groupEvents } from './event-format';
import { leaderElectionStory } from './leader-election-story';
import { stopTrace } from './test-fixtures';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

describe('event-format', () => {
  it('sorts event types into categories by keyword', () => {
    expect(['broker-fenced', 'partition-change', 'isr-shrunk', 'hw-advanced', 'follower-truncated', 'segment-rolled', 'vote-granted', 'rebalance-started', 'txn-marker-written', 'mystery'].map(eventCategory)).toEqual([
      'broker',
      'partition',
      'replication',
      'replication',
      'replication',
      'storage',
      'controller',
      'group',
      'transaction',
      'other',
    ]);
  });

  it('composes a PartitionChangeRecord headline when the engine gave no message', () => {
    const e: TraceEvent = { seq: 1, timeMs: 0, type: 'partition-change', topic: 'orders', partition: 0, message: '', data: { leader: 3, previousLeader: 2, leaderEpoch: 5 } };
    expect(eventHeadline(e)).toBe('PartitionChangeRecord for orders-0: leader 2 → 3, epoch 5');
    expect(eventHeadline({ ...e, message: 'Broker 3 leads orders-0' })).toBe('Broker 3 leads orders-0');
  });

  it('explains ISR shrinks with replica.lag.time.max.ms and tells unfencing from fencing', () => {
    const base = { seq: 1, timeMs: 0, message: 'x' };
    expect(eventExplanation({ ...base, type: 'isr-shrunk' })).toContain('replica.lag.time.max.ms');
    expect(eventExplanation({ ...base, type: 'broker-fenced' })).toContain('broker.session.timeout.ms');
    expect(eventExplanation({ ...base, type: 'broker-unfenced' })).toContain('unfenced');
    expect(eventExplanation({ ...base, type: 'produce' })).toBeNull();
  });

  it('filters by category, node and partition, keeping cluster-wide events for a partition filter', () => {
    expect(filterEvents(stopTrace, { categories: ['broker'] }).map((e) => e.type)).toEqual(['broker-controlled-shutdown', 'broker-stopped', 'broker-fenced']);
    expect(filterEvents(stopTrace, { nodes: [3] }).map((e) => e.seq)).toEqual([7]);
    expect(filterEvents(stopTrace, { topic: 'orders', partition: 1 }).map((e) => e.type)).toEqual(['topic-created', 'broker-controlled-shutdown', 'broker-stopped', 'broker-fenced']);
  });

  it('groups events that happen close together', () => {
    expect(groupEvents(stopTrace, 0).length).toBe(stopTrace.length);
    expect(groupEvents(stopTrace, 100).map((g) => g.events.length)).toEqual([2, 1, 6, 1, 1, 1]);
  });
});

describe('leaderElectionStory', () => {
  it('starts at the controlled shutdown of broker 2 and tells the election in order', () => {
    const story = leaderElectionStory(stopTrace)!;
    expect(story.brokerId).toBe(2);
    expect(story.trigger.type).toBe('broker-controlled-shutdown');
    expect(story.steps.map((s) => s.headline)).toEqual([
      'Broker 2 asked the controller for a controlled shutdown',
      'PartitionChangeRecord for orders-0: leader 2 → 1, epoch 3, ISR [1,3]',
      'Broker 1 is the leader of orders-0 in epoch 3',
      'Broker 3 truncated orders-0 to offset 8 after the leader changed',
      'Broker 2 stopped',
      'ISR of orders-0 shrank from [2,1,3] to [1,3]: broker 2 stopped',
      'Broker 2 was fenced: no heartbeat for 9000 ms',
      'High watermark of orders-0 advanced to 10',
    ]);
    expect(story.steps.map((s) => s.elapsedMs).slice(0, 3)).toEqual([0, 5, 10]);
  });

  it('starts a new story after the broker came back and left again', () => {
    const again: TraceEvent[] = [...stopTrace, { seq: 50, timeMs: 70_000, type: 'broker-started', node: 2, message: 'Broker 2 started' }, { seq: 51, timeMs: 80_000, type: 'broker-crashed', node: 2, message: 'Broker 2 crashed' }];
    expect(leaderElectionStory(again)!.trigger.seq).toBe(51);
  });

  it('returns null when the asked-for broker never left', () => {
    expect(leaderElectionStory(stopTrace, { brokerId: 3 })).toBeNull();
    expect(leaderElectionStory([])).toBeNull();
  });
});

describe('EventTimeline', () => {
  it('renders every event under its time, with why for the key ones', () => {
    const html = render(<EventTimeline events={stopTrace} />);
    expect(count(html, 'class="kil-event"')).toBe(stopTrace.length);
    // Events within 50 ms share a heading: the controlled shutdown and its consequences are one group.
    expect(count(html, 'data-testid="event-group"')).toBe(6);
    expect(text(subtree(html, 'data-time-ms', '30000'))).toMatch(/^t = 30\.000 s /);
    expect(count(subtree(html, 'data-time-ms', '30000'), 'class="kil-event"')).toBe(6);
    expect(count(render(<EventTimeline events={stopTrace} groupWindowMs={0} />), 'data-testid="event-group"')).toBe(stopTrace.length);
    const shrink = subtree(html, 'data-type', 'isr-shrunk');
    expect(text(shrink)).toContain('ISR of orders-0 shrank');
    expect(text(shrink)).toContain('replica.lag.time.max.ms');
    expect(attr(tagWith(html, 'data-type', 'isr-shrunk'), 'data-category')).toBe('replication');
  });

  it('applies an initial filter and dims the events after the current moment', () => {
    const html = render(<EventTimeline events={stopTrace} filter={{ categories: ['replication'] }} currentSeq={7} />);
    expect(count(html, 'class="kil-event"')).toBe(4);
    expect(attr(tagWith(html, 'data-seq', '7'), 'data-current')).toBe('true');
    expect(attr(tagWith(html, 'data-seq', '9'), 'data-future')).toBe('true');
    expect(html).toMatch(/<option value="replication" selected="">/);
  });

  it('offers the nodes seen in the trace as a filter and a seek button per event when asked', () => {
    const html = render(<EventTimeline events={stopTrace} onSeek={() => undefined} eventsMax={3} />);
    const nodeSelect = subtree(html, 'data-testid', 'event-filter-node');
    expect(text(nodeSelect)).toBe('all broker 1 broker 2 broker 3 controller 101');
    expect(count(html, 'class="kil-seek"')).toBe(3);
  });

  it('tells the leader election story as numbered steps', () => {
    const html = render(<LeaderElectionStory events={stopTrace} topic="orders" partition={0} />);
    expect(count(html, 'data-testid="story-step"')).toBe(8);
    expect(text(html)).toContain('What happened when broker 2 left');
    expect(render(<LeaderElectionStory events={[]} />)).toContain('broker stop 2');
  });
});
