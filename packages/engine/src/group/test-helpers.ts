/**
 * Shared scaffolding for the group coordinator tests: a coordinator whose records are
 * collected into an in-memory `__consumer_offsets` partition, and short request builders.
 */
import { Prng } from '../sim/prng';
import type { TraceInput } from '../sim/trace';
import { GroupCoordinator } from './group-coordinator';
import type { GroupCoordinatorRecord } from './records';
import type { Delivery, GroupCoordinatorConfig, GroupResult, JoinGroupRequest, JoinGroupResponse, SyncGroupResponse, TimerResult } from './types';

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

export class GroupHarness {
  readonly log: GroupCoordinatorRecord[] = [];
  readonly events: TraceInput[] = [];
  readonly delivered: Delivery[] = [];
  coordinator: GroupCoordinator;
  nowMs = 0;

  constructor(readonly config: Partial<GroupCoordinatorConfig> = {}, seed = 1) {
    this.coordinator = this.fresh(seed);
  }

  fresh(seed: number): GroupCoordinator {
    return new GroupCoordinator({ rng: new Prng(seed), emit: (e) => this.events.push(e), config: this.config });
  }

  /** Records every result into the log and the delivered list, like a host would. */
  take<R>(result: GroupResult<R>): R | null {
    this.log.push(...result.records);
    this.delivered.push(...result.deliver);
    return result.response;
  }

  advance(ms: number): TimerResult {
    this.nowMs += ms;
    const result = this.coordinator.onTimer(this.nowMs);
    this.log.push(...result.records);
    this.delivered.push(...result.deliver);
    return result;
  }

  /** Runs due timers until `untilMs`, one deadline at a time (as the host's scheduler would). */
  runUntil(untilMs: number): void {
    for (;;) {
      const next = this.coordinator.nextDeadlineMs();
      if (next === null || next > untilMs) break;
      this.advance(Math.max(0, next - this.nowMs));
    }
    this.nowMs = untilMs;
  }

  joinRequest(groupId: string, memberId: string, overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
    return {
      groupId, memberId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, groupInstanceId: null, protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: bytes(`meta-${memberId || overrides.clientId || 'x'}`) }],
      clientId: 'client', clientHost: '/127.0.0.1', version: 7, ...overrides,
    };
  }

  /** Joins; a response that comes back at once is also recorded as delivered to the member. */
  join(groupId: string, memberId: string, overrides: Partial<JoinGroupRequest> = {}, replyTo?: string): JoinGroupResponse | null {
    const response = this.take(this.coordinator.joinGroup(this.joinRequest(groupId, memberId, overrides), this.nowMs, replyTo));
    if (response && response.error === 'NONE') this.delivered.push({ api: 'JoinGroup', replyTo: replyTo ?? response.memberId, response });
    return response;
  }

  /** The MEMBER_ID_REQUIRED dance: returns the member id the coordinator handed out. */
  newMember(groupId: string, overrides: Partial<JoinGroupRequest> = {}): string {
    const first = this.join(groupId, '', overrides);
    if (!first || first.error !== 'MEMBER_ID_REQUIRED') throw new Error(`expected MEMBER_ID_REQUIRED, got ${first?.error}`);
    this.join(groupId, first.memberId, overrides);
    return first.memberId;
  }

  joinResponseFor(replyTo: string): JoinGroupResponse | undefined {
    for (let i = this.delivered.length - 1; i >= 0; i--) {
      const d = this.delivered[i]!;
      if (d.api === 'JoinGroup' && d.replyTo === replyTo) return d.response;
    }
    return undefined;
  }

  syncResponseFor(replyTo: string): SyncGroupResponse | undefined {
    for (let i = this.delivered.length - 1; i >= 0; i--) {
      const d = this.delivered[i]!;
      if (d.api === 'SyncGroup' && d.replyTo === replyTo) return d.response;
    }
    return undefined;
  }

  sync(groupId: string, memberId: string, generationId: number, assignments: Record<string, string> = {}, groupInstanceId: string | null = null): SyncGroupResponse | null {
    return this.take(this.coordinator.syncGroup({
      groupId, memberId, generationId, groupInstanceId,
      assignments: Object.entries(assignments).map(([m, a]) => ({ memberId: m, assignment: bytes(a) })),
    }, this.nowMs));
  }

  heartbeat(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null = null): string {
    return this.take(this.coordinator.heartbeat({ groupId, memberId, generationId, groupInstanceId }, this.nowMs))!.error;
  }

  commit(groupId: string, memberId: string, generationId: number, offsets: Record<string, number>): string[] {
    const topics = new Map<string, Array<{ partitionIndex: number; committedOffset: number }>>();
    for (const [tp, offset] of Object.entries(offsets)) {
      const cut = tp.lastIndexOf('-');
      const topic = tp.slice(0, cut);
      topics.set(topic, [...(topics.get(topic) ?? []), { partitionIndex: Number(tp.slice(cut + 1)), committedOffset: offset }]);
    }
    const response = this.take(this.coordinator.offsetCommit({
      groupId, memberId, generationIdOrMemberEpoch: generationId, groupInstanceId: null,
      topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
    }, this.nowMs))!;
    return response.topics.flatMap((t) => t.partitions.map((p) => p.error));
  }

  committed(groupId: string, topic: string, partition: number, coordinator = this.coordinator): number {
    const r = coordinator.offsetFetch({ groupId, topics: [{ name: topic, partitionIndexes: [partition] }] }, this.nowMs);
    return r.topics[0]!.partitions[0]!.committedOffset;
  }

  eventTypes(): string[] {
    return this.events.map((e) => e.type);
  }

  /** A coordinator rebuilt from the log, as a new leader of the partition would (failover). */
  failover(seed = 2): GroupCoordinator {
    const next = this.fresh(seed);
    for (const r of this.log) next.replay(r);
    next.completeLoad(this.nowMs);
    this.coordinator = next;
    return next;
  }
}
