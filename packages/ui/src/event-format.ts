/**
 * Turns trace events into sentences a learner can follow. The engine already writes a
 * `message` for every event; this module adds a category (for filtering and colour), a
 * headline when the message is missing, and a short "why" for the events the lessons lean
 * on, naming the Kafka config or KIP that governs them. Event types are matched by
 * keyword, so new engine event types still land in a sensible category.
 */
import type { TraceEvent } from '@kil/engine';

export type EventCategory = 'broker' | 'controller' | 'partition' | 'replication' | 'storage' | 'client' | 'group' | 'transaction' | 'other';

export const eventCategories: readonly EventCategory[] = ['broker', 'controller', 'partition', 'replication', 'storage', 'client', 'group', 'transaction', 'other'];

const categoryRules: readonly [RegExp, EventCategory][] = [
  [/txn|transaction|marker|producer-fenced|lso/, 'transaction'],
  [/group|rebalance|member|heartbeat-group|offset-commit|assign/, 'group'],
  [/quorum|vote|raft|controller|metadata|snapshot|election-timeout/, 'controller'],
  [/network|disk/, 'broker'],
  [/isr|hw-|high-watermark|follower|fetch|replica|truncat|diverg|lag/, 'replication'],
  [/leader|partition|topic|reassign/, 'partition'],
  [/broker|node|heartbeat|fenc|register|shutdown|network|disk/, 'broker'],
  [/segment|append|roll|clean|compact|retention|tier|remote|flush|recovery|index|log-start/, 'storage'],
  [/produce|consume|request|client/, 'client'],
];

export function eventCategory(type: string): EventCategory {
  const t = type.toLowerCase();
  for (const [re, category] of categoryRules) if (re.test(t)) return category;
  return 'other';
}

/** Kafka convention in this lab: brokers are 1..N, controllers 101 and up. */
export function nodeName(id: number): string {
  return id > 100 ? `controller ${id}` : `broker ${id}`;
}

function dataNum(e: TraceEvent, key: string): number | null {
  const v = e.data?.[key];
  return typeof v === 'number' ? v : null;
}

function tp(e: TraceEvent): string {
  return e.topic !== undefined ? `${e.topic}${e.partition !== undefined ? `-${e.partition}` : ''}` : 'a partition';
}

/** A one-line headline: the engine's message, or one composed from the type and data. */
export function eventHeadline(e: TraceEvent): string {
  if (e.message.trim().length > 0) return e.message;
  const leader = dataNum(e, 'leader');
  const previous = dataNum(e, 'previousLeader');
  const epoch = dataNum(e, 'leaderEpoch');
  if (/partition-change|leader-elected/.test(e.type) && leader !== null) {
    const from = previous !== null && previous >= 0 ? `${previous} → ` : '';
    return `PartitionChangeRecord for ${tp(e)}: leader ${from}${leader < 0 ? 'none' : leader}${epoch !== null ? `, epoch ${epoch}` : ''}`;
  }
  const who = e.node !== undefined ? `${nodeName(e.node)}: ` : '';
  return `${who}${e.type.replace(/-/g, ' ')}${e.topic !== undefined ? ` (${tp(e)})` : ''}`;
}

const explanations: readonly [RegExp, string][] = [
  [/controlled-shutdown/, 'In a controlled shutdown the broker asks the controller to move its leaderships away first, so producers see no unavailable partitions.'],
  [/broker-unfenced|broker-registered/, 'A broker that registers and catches up with the metadata log is unfenced and may lead and follow again.'],
  [/broker-fenced/, 'The controller fences a broker whose heartbeats stop for broker.session.timeout.ms (9000 ms by default); a fenced broker leads nothing and clients stop using it.'],
  [/(stopped|crashed)$/, 'A stopped broker sends no heartbeats and no fetch requests: its leaderships move and it drops out of every ISR.'],
  [/isr-shrunk/, 'A follower leaves the ISR when it has not caught up with the leader for replica.lag.time.max.ms (30000 ms by default) or its broker goes away.'],
  [/isr-expanded/, 'A follower rejoins the ISR once its log end offset reaches the leader\'s high watermark.'],
  [/vote|election-timeout|became-candidate|quorum-election-started/, 'A KRaft controller that hears no leader within controller.quorum.election.timeout.ms asks the others for votes in a higher epoch (KIP-595).'],
  [/quorum-leader-elected/, 'The candidate with a majority of votes leads the metadata quorum for its epoch and appends a leader-change record.'],
  [/partition-change|leader-elected|leader-changed/, 'The controller picks the first live replica of the ISR, bumps the leader epoch and writes a PartitionChangeRecord; brokers apply it from the metadata log.'],
  [/truncat/, 'A follower of a new leader cuts its log back to the point where both agree, found through leader epochs (KIP-101, KIP-279), and fetches the rest again.'],
  [/hw-advanced|high-watermark/, 'The high watermark is the smallest log end offset in the ISR; records below it are committed and visible to consumers.'],
  [/unclean/, 'An unclean election (unclean.leader.election.enable) lets an out-of-sync replica lead: the partition comes back, and records only the old leader had are lost.'],
  [/became-leader/, 'The broker read in the metadata log that it now leads: it accepts produce requests and advances the high watermark as followers fetch.'],
  [/partition-offline/, 'No replica in the ISR is alive, so a clean election is impossible: the partition stays offline until an ISR member returns, unless unclean.leader.election.enable allows an out-of-sync replica to lead.'],
];

/** Why the event happens, in Kafka's terms; null for events that speak for themselves. */
export function eventExplanation(e: TraceEvent): string | null {
  const t = e.type.toLowerCase();
  for (const [re, text] of explanations) if (re.test(t)) return text;
  return null;
}

export interface EventFilter {
  readonly categories?: readonly EventCategory[];
  /** Exact event types, e.g. 'isr-shrunk'. */
  readonly types?: readonly string[];
  readonly nodes?: readonly number[];
  readonly topic?: string;
  readonly partition?: number;
}

export function filterEvents(events: readonly TraceEvent[], f: EventFilter): TraceEvent[] {
  return events.filter(
    (e) =>
      (!f.categories || f.categories.length === 0 || f.categories.includes(eventCategory(e.type))) &&
      (!f.types || f.types.length === 0 || f.types.includes(e.type)) &&
      (!f.nodes || f.nodes.length === 0 || (e.node !== undefined && f.nodes.includes(e.node))) &&
      (f.topic === undefined || e.topic === undefined || e.topic === f.topic) &&
      (f.partition === undefined || e.partition === undefined || e.partition === f.partition),
  );
}

export interface EventGroup {
  readonly timeMs: number;
  readonly events: readonly TraceEvent[];
}

/** Groups consecutive events that fall within `windowMs` of the group's first event. */
export function groupEvents(events: readonly TraceEvent[], windowMs = 0): EventGroup[] {
  const groups: { timeMs: number; events: TraceEvent[] }[] = [];
  for (const e of events) {
    const last = groups[groups.length - 1];
    if (last && e.timeMs - last.timeMs <= windowMs) last.events.push(e);
    else groups.push({ timeMs: e.timeMs, events: [e] });
  }
  return groups;
}
