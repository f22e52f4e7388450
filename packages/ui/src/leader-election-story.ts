/**
 * Picks, from the trace, the events around the most recent time a broker went away
 * (controlled shutdown, stop, crash or fencing) and orders them as the steps of a story:
 * the broker leaves, the controller fences it, PartitionChangeRecords move leadership and
 * bump epochs, followers truncate, ISRs shrink and the high watermark moves on.
 */
import type { TraceEvent } from '@kil/engine';
import { eventCategory, eventExplanation, eventHeadline, type EventCategory } from './event-format';

export interface StoryStep {
  readonly seq: number;
  readonly timeMs: number;
  /** Time since the event that started the story. */
  readonly elapsedMs: number;
  readonly category: EventCategory;
  readonly headline: string;
  readonly explanation: string | null;
}

export interface LeaderElectionStoryModel {
  readonly brokerId: number;
  readonly trigger: TraceEvent;
  readonly steps: readonly StoryStep[];
}

export interface StoryOptions {
  /** The broker whose departure to tell; default: the one that left most recently. */
  readonly brokerId?: number;
  readonly topic?: string;
  readonly partition?: number;
  /** How long after the trigger events still belong to the story. */
  readonly windowMs?: number;
  readonly stepsMax?: number;
}

const departure = /controlled-shutdown|(broker|node)-(stopped|crashed|stop|crash)|broker-fenced|broker-partitioned|node-isolated/;
const arrival = /(broker|node)-(started|registered|unfenced|start)/;
const relevant = new Set<EventCategory>(['broker', 'controller', 'partition', 'replication']);

function brokerOf(e: TraceEvent): number | null {
  const id = e.data?.['brokerId'];
  if (typeof id === 'number') return id;
  return e.node !== undefined && e.node <= 100 ? e.node : null;
}

/** The first departure event of each broker's latest absence, keyed by broker id. */
function departures(events: readonly TraceEvent[]): Map<number, TraceEvent> {
  const open = new Map<number, TraceEvent>();
  const latest = new Map<number, TraceEvent>();
  for (const e of events) {
    const id = brokerOf(e);
    if (id === null) continue;
    if (arrival.test(e.type)) open.delete(id);
    else if (departure.test(e.type) && !open.has(id)) {
      open.set(id, e);
      latest.set(id, e);
    }
  }
  return latest;
}

function pickTrigger(events: readonly TraceEvent[], brokerId: number | undefined): TraceEvent | null {
  const byBroker = departures(events);
  if (brokerId !== undefined) return byBroker.get(brokerId) ?? null;
  let best: TraceEvent | null = null;
  for (const e of byBroker.values()) if (!best || e.seq > best.seq) best = e;
  return best;
}

export function leaderElectionStory(events: readonly TraceEvent[], options: StoryOptions = {}): LeaderElectionStoryModel | null {
  const trigger = pickTrigger(events, options.brokerId);
  if (!trigger) return null;
  const windowMs = options.windowMs ?? 60_000;
  const steps = events
    .filter((e) => e.seq >= trigger.seq && e.timeMs <= trigger.timeMs + windowMs)
    .filter((e) => relevant.has(eventCategory(e.type)))
    .filter((e) => (options.topic === undefined || e.topic === undefined || e.topic === options.topic) && (options.partition === undefined || e.partition === undefined || e.partition === options.partition))
    .slice(0, options.stepsMax ?? 12)
    .map((e): StoryStep => ({ seq: e.seq, timeMs: e.timeMs, elapsedMs: e.timeMs - trigger.timeMs, category: eventCategory(e.type), headline: eventHeadline(e), explanation: eventExplanation(e) }));
  return { brokerId: brokerOf(trigger) ?? -1, trigger, steps };
}
