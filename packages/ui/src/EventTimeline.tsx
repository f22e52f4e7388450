/**
 * Event timeline: the trace as a vertical timeline, grouped by lab time, filterable by
 * category and node, each event with a learner-readable headline and, for the events the
 * lessons rely on, why it happens. When the host has rewound time (`currentSeq`), later
 * events are dimmed. `LeaderElectionStory` tells the events after a broker left in order.
 */
import { useState } from 'react';
import type { TraceEvent } from '@kil/engine';
import { eventCategories, eventCategory, eventExplanation, eventHeadline, filterEvents, groupEvents, nodeName, type EventCategory, type EventFilter } from './event-format';
import { leaderElectionStory, type StoryOptions } from './leader-election-story';
import { formatClock, formatMs, type Theme, ViewFrame } from './theme';

const css = `
.kil-events .kil-filters{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:8px;font-size:13px;}
.kil-events select{font:inherit;color:inherit;background:var(--kil-bg);border:1px solid var(--kil-border);border-radius:4px;padding:2px 4px;}
.kil-events ol{list-style:none;margin:0;padding:0;}
.kil-events .kil-group{position:relative;padding:0 0 10px 18px;border-left:2px solid var(--kil-border);margin-left:6px;}
.kil-events .kil-group::before{content:"";position:absolute;left:-6px;top:4px;width:10px;height:10px;border-radius:50%;background:var(--kil-bg);border:2px solid var(--kil-accent);}
.kil-events time{font-size:12px;color:var(--kil-muted);font-variant-numeric:tabular-nums;}
.kil-events .kil-event{margin:2px 0;padding:3px 6px;border-radius:4px;border-left:3px solid var(--kil-border);animation:kil-event-in .4s ease-out;}
@keyframes kil-event-in{from{opacity:0;transform:translateY(-3px);}to{opacity:1;transform:none;}}
.kil-events .kil-event[data-future="true"]{opacity:.4;}
.kil-events .kil-event[data-current="true"]{background:var(--kil-accent-soft);}
.kil-events .kil-event[data-category="broker"]{border-left-color:var(--kil-warn);}
.kil-events .kil-event[data-category="controller"]{border-left-color:var(--kil-accent);}
.kil-events .kil-event[data-category="partition"]{border-left-color:var(--kil-accent);}
.kil-events .kil-event[data-category="replication"]{border-left-color:var(--kil-ok);}
.kil-events .kil-event[data-category="transaction"]{border-left-color:var(--kil-txn);}
.kil-events .kil-event[data-category="storage"]{border-left-color:var(--kil-remote);}
.kil-events .kil-tag{font-size:11px;color:var(--kil-muted);margin-right:6px;}
.kil-events .kil-why{font-size:12px;color:var(--kil-muted);margin-top:1px;}
.kil-events button.kil-seek{font:inherit;font-size:11px;color:var(--kil-accent);background:none;border:1px solid var(--kil-border);border-radius:4px;margin-left:6px;padding:0 4px;cursor:pointer;}
.kil-events .kil-step-n{font-weight:600;margin-right:6px;}
`;

export interface EventTimelineProps {
  readonly events: readonly TraceEvent[];
  /** The moment the pictures show; events after it are dimmed. Default: the latest. */
  readonly currentSeq?: number;
  /** Initial filters; the learner can change category and node in the view. */
  readonly filter?: EventFilter;
  /** Events within this many ms of a group's first event share its time heading (default 50). */
  readonly groupWindowMs?: number;
  /** Only the latest N events are drawn, so a long run stays fast. */
  readonly eventsMax?: number;
  readonly showExplanations?: boolean;
  /** Rewind the lab to just after this event. */
  readonly onSeek?: (seq: number) => void;
  readonly theme?: Theme;
}

function EventItem({ e, currentSeq, showWhy, onSeek }: { e: TraceEvent; currentSeq: number | undefined; showWhy: boolean; onSeek?: ((seq: number) => void) | undefined }) {
  const why = showWhy ? eventExplanation(e) : null;
  return (
    <li className="kil-event" data-seq={e.seq} data-type={e.type} data-category={eventCategory(e.type)} data-future={currentSeq !== undefined && e.seq > currentSeq ? 'true' : undefined} data-current={currentSeq === e.seq ? 'true' : undefined}>
      <span className="kil-tag">{e.node !== undefined ? nodeName(e.node) : 'cluster'}</span>
      <span className="kil-tag">{e.type}</span>
      <span className="kil-headline">{eventHeadline(e)}</span>
      {onSeek ? (
        <button type="button" className="kil-seek" onClick={() => onSeek(e.seq)} aria-label={`Show the cluster right after event ${e.seq}: ${eventHeadline(e)}`}>
          go here
        </button>
      ) : null}
      {why ? <div className="kil-why">{why}</div> : null}
    </li>
  );
}

function Filters({ nodes, category, node, setCategory, setNode }: { nodes: readonly number[]; category: EventCategory | 'all'; node: number | 'all'; setCategory: (c: EventCategory | 'all') => void; setNode: (n: number | 'all') => void }) {
  return (
    <div className="kil-filters" role="group" aria-label="Filter events">
      <label>
        Kind{' '}
        <select value={category} onChange={(ev) => setCategory(ev.target.value as EventCategory | 'all')} data-testid="event-filter-category">
          <option value="all">all</option>
          {eventCategories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Node{' '}
        <select value={String(node)} onChange={(ev) => setNode(ev.target.value === 'all' ? 'all' : Number(ev.target.value))} data-testid="event-filter-node">
          <option value="all">all</option>
          {nodes.map((n) => (
            <option key={n} value={n}>
              {nodeName(n)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export function EventTimeline({ events, currentSeq, filter = {}, groupWindowMs = 50, eventsMax = 200, showExplanations = true, onSeek, theme }: EventTimelineProps) {
  const [category, setCategory] = useState<EventCategory | 'all'>(filter.categories?.length === 1 ? filter.categories[0]! : 'all');
  const [node, setNode] = useState<number | 'all'>(filter.nodes?.length === 1 ? filter.nodes[0]! : 'all');
  const nodes = [...new Set(events.flatMap((e) => (e.node !== undefined ? [e.node] : [])))].sort((a, b) => a - b);
  // A single category or node from the props seeds the selects; a longer list stays a fixed
  // restriction that the "all" choice keeps in force.
  const baseCategories = (filter.categories?.length ?? 0) > 1 ? (filter.categories ?? []) : [];
  const baseNodes = (filter.nodes?.length ?? 0) > 1 ? (filter.nodes ?? []) : [];
  const active: EventFilter = { ...filter, categories: category === 'all' ? baseCategories : [category], nodes: node === 'all' ? baseNodes : [node] };
  const shown = filterEvents(events, active).slice(-eventsMax);
  const groups = groupEvents(shown, groupWindowMs);
  return (
    <ViewFrame testId="event-timeline" label="Cluster events" theme={theme} styleId="events" css={css} className="kil-events">
      <Filters nodes={nodes} category={category} node={node} setCategory={setCategory} setNode={setNode} />
      {groups.length === 0 ? <p className="kil-note">No events match. Events appear as the cluster works: try creating a topic or stopping a broker.</p> : null}
      <ol aria-label="Events in time order">
        {groups.map((g) => (
          <li key={g.events[0]!.seq} className="kil-group" data-testid="event-group" data-time-ms={g.timeMs}>
            <time>t = {formatClock(g.timeMs)}</time>
            <ol>
              {g.events.map((e) => (
                <EventItem key={e.seq} e={e} currentSeq={currentSeq} showWhy={showExplanations} onSeek={onSeek} />
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </ViewFrame>
  );
}

export interface LeaderElectionStoryProps extends StoryOptions {
  readonly events: readonly TraceEvent[];
  readonly onSeek?: (seq: number) => void;
  readonly theme?: Theme;
}

export function LeaderElectionStory({ events, onSeek, theme, ...options }: LeaderElectionStoryProps) {
  const story = leaderElectionStory(events, options);
  return (
    <ViewFrame testId="leader-election-story" label="What happened when a broker left" theme={theme} styleId="events" css={css} className="kil-events">
      {story ? (
        <>
          <p className="kil-title">What happened when broker {story.brokerId} left (t = {formatMs(story.trigger.timeMs)})</p>
          <ol aria-label="Steps in order">
            {story.steps.map((s, i) => (
              <li key={s.seq} className="kil-event" data-seq={s.seq} data-category={s.category} data-testid="story-step">
                <span className="kil-step-n">{i + 1}.</span>
                <span className="kil-tag">+{formatMs(s.elapsedMs)}</span>
                <span className="kil-headline">{s.headline}</span>
                {onSeek ? (
                  <button type="button" className="kil-seek" onClick={() => onSeek(s.seq)} aria-label={`Show the cluster at step ${i + 1}`}>
                    go here
                  </button>
                ) : null}
                {s.explanation ? <div className="kil-why">{s.explanation}</div> : null}
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className="kil-note">No broker has left yet. Try broker stop 2 in the terminal, then come back to see how Kafka elects new leaders.</p>
      )}
    </ViewFrame>
  );
}
