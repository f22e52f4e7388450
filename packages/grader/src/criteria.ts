/**
 * Building blocks for task criteria. Every one reads the snapshot or the trace and says
 * what it saw in a sentence, so a failing check explains itself ("topic orders has 3
 * partitions" rather than "false").
 */
import type { PartitionSnapshot, TopicSnapshot, TraceEvent } from '@kil/engine';
import type { Criterion, LabView, Observation } from './types';

/** A criterion from a function; the escape hatch for checks specific to one exercise. */
export function criterion(expected: string, evaluate: (view: LabView) => Observation): Criterion {
  return { expected, evaluate };
}

export function findTopic(view: LabView, name: string): TopicSnapshot | undefined {
  return view.snapshot.topics.find((t) => t.name === name);
}

export interface TopicExpectation {
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** Topic-level config overrides that must be set to these values. */
  readonly configs?: Readonly<Record<string, string>>;
}

/** The topic exists, optionally with a partition count, replication factor and configs. */
export function topicExists(name: string, want: TopicExpectation = {}): Criterion {
  const parts = [`topic ${name}`];
  if (want.partitions !== undefined) parts.push(`with ${want.partitions} partitions`);
  if (want.replicationFactor !== undefined) parts.push(`replication factor ${want.replicationFactor}`);
  for (const [key, value] of Object.entries(want.configs ?? {})) parts.push(`${key}=${value}`);
  return criterion(parts.join(', '), (view) => {
    const topic = findTopic(view, name);
    if (!topic) return { passed: false, observed: `no topic named ${name}` };
    const problems: string[] = [];
    if (want.partitions !== undefined && topic.partitions.length !== want.partitions) {
      problems.push(`it has ${topic.partitions.length} partitions`);
    }
    const rf = topic.partitions[0]?.replicas.length ?? 0;
    if (want.replicationFactor !== undefined && rf !== want.replicationFactor) problems.push(`its replication factor is ${rf}`);
    for (const [key, value] of Object.entries(want.configs ?? {})) {
      const actual = topic.configs[key];
      if (actual !== value) problems.push(actual === undefined ? `${key} is not set on it` : `${key}=${actual}`);
    }
    return problems.length === 0
      ? { passed: true, observed: `topic ${name} is there as required` }
      : { passed: false, observed: `topic ${name} exists but ${problems.join(', ')}` };
  });
}

export type EventFilter = (event: TraceEvent) => boolean;

export function eventsOf(view: LabView, type: string, filter: EventFilter = () => true): TraceEvent[] {
  return view.events.filter((e) => e.type === type && filter(e));
}

/** At least `min` trace events of `type` (and matching `filter`) happened. */
export function eventSeen(expected: string, type: string, filter: EventFilter = () => true, min = 1): Criterion {
  return criterion(expected, (view) => {
    const seen = eventsOf(view, type, filter);
    if (seen.length >= min) return { passed: true, observed: lastMessage(seen) };
    return {
      passed: false,
      observed: seen.length === 0 ? `no ${type} event in the trace` : `only ${seen.length} ${type} event(s), the last: ${lastMessage(seen)}`,
    };
  });
}

/** No trace event of `type` (matching `filter`) happened after the first event matching `after`. */
export function noEventAfter(expected: string, type: string, after: EventFilter, filter: EventFilter = () => true): Criterion {
  return criterion(expected, (view) => {
    const start = view.events.find(after);
    if (!start) return { passed: false, observed: 'the moment this task starts from has not happened yet' };
    const later = view.events.filter((e) => e.seq > start.seq && e.type === type && filter(e));
    return later.length === 0
      ? { passed: true, observed: `no ${type} event since: ${start.message}` }
      : { passed: false, observed: later[0]?.message ?? `${later.length} ${type} event(s)` };
  });
}

/** Every partition of `topic` satisfies `test`; `describe` says what one partition shows. */
export function everyPartition(
  expected: string,
  topic: string,
  test: (p: PartitionSnapshot) => boolean,
  describe: (p: PartitionSnapshot) => string,
): Criterion {
  return criterion(expected, (view) => {
    const found = findTopic(view, topic);
    if (!found) return { passed: false, observed: `no topic named ${topic}` };
    const failing = found.partitions.filter((p) => !test(p));
    if (failing.length === 0) return { passed: true, observed: found.partitions.map(describe).join(', ') };
    return { passed: false, observed: failing.map(describe).join(', ') };
  });
}

/** Sum of high watermarks over a topic's partitions: how many records a consumer can read. */
export function totalHighWatermark(view: LabView, topic: string): number {
  return findTopic(view, topic)?.partitions.reduce((sum, p) => sum + p.highWatermark, 0) ?? 0;
}

export function dataOf(event: TraceEvent, key: string): unknown {
  return event.data?.[key];
}

function lastMessage(events: readonly TraceEvent[]): string {
  return events[events.length - 1]?.message ?? 'nothing';
}
