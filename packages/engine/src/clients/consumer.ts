/**
 * A built-in group consumer: the client half of the classic group protocol, as a pure
 * state machine. The host asks `poll(nowMs)` for the next request to send (one at a time),
 * and hands each response to `onResponse`.
 *
 * States: UNJOINED → JOINING (JoinGroup in flight) → SYNCING (SyncGroup in flight) →
 * STABLE (heartbeating every heartbeat.interval.ms) → back to UNJOINED when the coordinator
 * says REBALANCE_IN_PROGRESS; CLOSED after close() or FENCED_INSTANCE_ID.
 *
 * Two rebalance protocols, chosen from the assignor like Kafka's ConsumerCoordinator:
 *   EAGER (range, roundrobin, sticky): every partition is revoked before rejoining, so the
 *     whole group stops ("stop the world") for the length of the rebalance.
 *   COOPERATIVE (cooperative-sticky, KIP-429): members keep their partitions and report them
 *     in the subscription; after SyncGroup a member revokes only what it no longer has, and
 *     if it revoked anything it rejoins at once so the freed partitions can be handed over.
 * Counters (`revokedCount`, `assignedCount`, `lostCount`, `rebalances`) let tests and lessons
 * compare the two.
 *
 * Deviations: no fetching or offset commits here (the lab's fetch loop sits on top); a
 * partition lost through UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION is counted as lost, not
 * revoked, as Kafka's onPartitionsLost does.
 */
import type { ErrorName } from '../errors';
import type { Emit } from '../group/common';
import { formatPartitions, minus, union } from '../group/consumer-group';
import type { TopicPartitions } from '../group/records';
import type { HeartbeatRequest, HeartbeatResponse, JoinGroupRequest, JoinGroupResponse, LeaveGroupRequest, SyncGroupRequest, SyncGroupResponse } from '../group/types';
import type { Assignor, RebalanceProtocol } from './assignors';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './consumer-protocol';

export type ConsumerState = 'UNJOINED' | 'JOINING' | 'SYNCING' | 'STABLE' | 'CLOSED';

export type ConsumerRequest =
  | { readonly api: 'JoinGroup'; readonly request: JoinGroupRequest }
  | { readonly api: 'SyncGroup'; readonly request: SyncGroupRequest }
  | { readonly api: 'Heartbeat'; readonly request: HeartbeatRequest }
  | { readonly api: 'LeaveGroup'; readonly request: LeaveGroupRequest };

export type ConsumerResponse =
  | { readonly api: 'JoinGroup'; readonly response: JoinGroupResponse }
  | { readonly api: 'SyncGroup'; readonly response: SyncGroupResponse }
  | { readonly api: 'Heartbeat'; readonly response: HeartbeatResponse };

export interface ConsumerClientOptions {
  readonly clientId: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly assignor: Assignor;
  /** Topic → partition count; the leader assigns from it. */
  readonly metadata: () => ReadonlyMap<string, number>;
  readonly groupInstanceId?: string | null;
  /** session.timeout.ms (consumer default 45000). */
  readonly sessionTimeoutMs?: number;
  /** max.poll.interval.ms, used as the rebalance timeout (default 300000). */
  readonly rebalanceTimeoutMs?: number;
  /** heartbeat.interval.ms (default 3000). */
  readonly heartbeatIntervalMs?: number;
  readonly emit?: Emit;
}

export class ConsumerClient {
  state: ConsumerState = 'UNJOINED';
  memberId = '';
  generationId = -1;
  isLeader = false;
  owned: TopicPartitions = [];
  readonly protocol: RebalanceProtocol;
  revokedCount = 0;
  assignedCount = 0;
  lostCount = 0;
  rebalances = 0;
  private inFlight = false;
  private nextHeartbeatMs = 0;
  private pendingSync: SyncGroupRequest | null = null;
  private readonly emit: Emit;

  constructor(readonly options: ConsumerClientOptions) {
    this.protocol = options.assignor.supportedProtocols[0] ?? 'EAGER';
    this.emit = options.emit ?? (() => {});
  }

  get name(): string {
    return this.options.clientId;
  }

  /** The next request to send, or null while one is in flight or nothing is due. */
  poll(nowMs: number): ConsumerRequest | null {
    if (this.inFlight || this.state === 'CLOSED') return null;
    if (this.state === 'UNJOINED') {
      this.inFlight = true;
      this.state = 'JOINING';
      return { api: 'JoinGroup', request: this.joinRequest() };
    }
    if (this.state === 'SYNCING' && this.pendingSync) {
      this.inFlight = true;
      const request = this.pendingSync;
      this.pendingSync = null;
      return { api: 'SyncGroup', request };
    }
    if (this.state === 'STABLE' && nowMs >= this.nextHeartbeatMs) {
      this.inFlight = true;
      this.nextHeartbeatMs = nowMs + (this.options.heartbeatIntervalMs ?? 3000);
      return { api: 'Heartbeat', request: { groupId: this.options.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.options.groupInstanceId ?? null } };
    }
    return null;
  }

  onResponse(response: ConsumerResponse, nowMs: number): void {
    this.inFlight = false;
    if (this.state === 'CLOSED') return;
    switch (response.api) {
      case 'JoinGroup':
        return this.onJoin(response.response);
      case 'SyncGroup':
        return this.onSync(response.response, nowMs);
      case 'Heartbeat':
        return this.onHeartbeat(response.response.error);
    }
  }

  /**
   * The coordinator moved (FindCoordinator would now name another broker): a request in
   * flight is lost, so the client sends again. A held JoinGroup is resent as a JoinGroup.
   */
  onCoordinatorLost(): void {
    if (!this.inFlight) return;
    this.inFlight = false;
    if (this.state === 'JOINING' || this.state === 'SYNCING') this.state = 'UNJOINED';
  }

  /** Leaves the group (dynamic members send LeaveGroup; static ones just stop, per KIP-345). */
  close(): ConsumerRequest | null {
    const wasMember = this.memberId !== '' && this.state !== 'CLOSED';
    this.revoke(this.owned, 'closing');
    this.state = 'CLOSED';
    if (!wasMember || this.options.groupInstanceId) return null;
    return { api: 'LeaveGroup', request: { groupId: this.options.groupId, members: [{ memberId: this.memberId, groupInstanceId: null, reason: 'the consumer is being closed' }] } };
  }

  private joinRequest(): JoinGroupRequest {
    const a = this.options.assignor;
    const ownedForSubscription = this.protocol === 'COOPERATIVE' ? this.owned : [];
    const metadata = encodeSubscription({
      topics: [...this.options.topics].sort(), userData: a.userData?.(this.owned, this.generationId) ?? null,
      ownedPartitions: ownedForSubscription, generationId: this.generationId, rackId: null,
    });
    return {
      groupId: this.options.groupId, sessionTimeoutMs: this.options.sessionTimeoutMs ?? 45_000, rebalanceTimeoutMs: this.options.rebalanceTimeoutMs ?? 300_000,
      memberId: this.memberId, groupInstanceId: this.options.groupInstanceId ?? null, protocolType: 'consumer',
      protocols: [{ name: a.name, metadata }], clientId: this.options.clientId, clientHost: '/lab', version: 7,
    };
  }

  private onJoin(r: JoinGroupResponse): void {
    if (r.error === 'MEMBER_ID_REQUIRED') {
      this.memberId = r.memberId;
      this.state = 'UNJOINED';
      return;
    }
    if (r.error !== 'NONE') return this.handleGroupError(r.error);
    this.memberId = r.memberId;
    this.generationId = r.generationId;
    this.isLeader = r.leader === r.memberId && r.members.length > 0;
    this.rebalances++;
    const assignments = this.isLeader ? this.assign(r) : [];
    this.pendingSync = { groupId: this.options.groupId, generationId: r.generationId, memberId: r.memberId, groupInstanceId: this.options.groupInstanceId ?? null, protocolType: 'consumer', protocolName: r.protocolName, assignments };
    this.state = 'SYNCING';
  }

  /** The leader runs the assignor over every member's decoded subscription. */
  private assign(r: JoinGroupResponse): Array<{ memberId: string; assignment: Uint8Array }> {
    const members = r.members.map((m) => ({ memberId: m.memberId, subscription: decodeSubscription(m.metadata) }));
    const result = this.options.assignor.assign(this.options.metadata(), members);
    this.emit({ type: 'consumer-assignment-computed', message: `${this.name} is the leader of ${this.options.groupId} generation ${r.generationId}; ${this.options.assignor.name} assigned ${[...result].map(([m, tps]) => `${m.split('-')[0]}=[${formatPartitions(tps)}]`).join(' ')}.`, data: { groupId: this.options.groupId, generationId: r.generationId, assignor: this.options.assignor.name } });
    return members.map((m) => ({ memberId: m.memberId, assignment: encodeAssignment({ partitions: result.get(m.memberId) ?? [], userData: null }) }));
  }

  private onSync(r: SyncGroupResponse, nowMs: number): void {
    if (r.error !== 'NONE') return this.handleGroupError(r.error);
    const assigned = decodeAssignment(r.assignment).partitions;
    const revoked = minus(this.owned, assigned);
    const added = minus(assigned, this.owned);
    if (this.protocol === 'COOPERATIVE') this.revoke(revoked, 'moved to another member');
    this.owned = union(minus(this.owned, revoked), added);
    this.assignedCount += count(added);
    if (count(added) > 0) this.emit({ type: 'consumer-partitions-assigned', message: `${this.name} was assigned ${formatPartitions(added)}.`, data: { client: this.name, partitions: formatPartitions(added), generationId: this.generationId } });
    this.state = 'STABLE';
    this.nextHeartbeatMs = nowMs + (this.options.heartbeatIntervalMs ?? 3000);
    // KIP-429: partitions we gave up can only be handed over in a follow-up rebalance.
    if (this.protocol === 'COOPERATIVE' && count(revoked) > 0) this.rejoin('revoked partitions must be reassigned');
  }

  private onHeartbeat(error: ErrorName): void {
    if (error === 'NONE') return;
    this.handleGroupError(error);
  }

  private handleGroupError(error: ErrorName): void {
    switch (error) {
      case 'REBALANCE_IN_PROGRESS':
        return this.rejoin('the group is rebalancing');
      case 'UNKNOWN_MEMBER_ID':
      case 'ILLEGAL_GENERATION':
        this.lose(error);
        if (error === 'UNKNOWN_MEMBER_ID') this.memberId = '';
        this.generationId = -1;
        this.state = 'UNJOINED';
        return;
      case 'FENCED_INSTANCE_ID':
        this.lose(error);
        this.state = 'CLOSED';
        return;
      default:
        // Retriable coordinator errors: try the join again.
        this.state = 'UNJOINED';
    }
  }

  private rejoin(why: string): void {
    // Eager: stop the world. Give everything back before asking to join again.
    if (this.protocol === 'EAGER') this.revoke(this.owned, why);
    this.state = 'UNJOINED';
  }

  private revoke(partitions: TopicPartitions, why: string): void {
    const n = count(partitions);
    if (n === 0) return;
    this.revokedCount += n;
    this.owned = minus(this.owned, partitions);
    this.emit({ type: 'consumer-partitions-revoked', message: `${this.name} revoked ${formatPartitions(partitions)} (${why}; ${this.protocol.toLowerCase()} protocol).`, data: { client: this.name, partitions: formatPartitions(partitions), protocol: this.protocol, count: n } });
  }

  private lose(error: ErrorName): void {
    const n = count(this.owned);
    if (n === 0) return;
    this.lostCount += n;
    this.emit({ type: 'consumer-partitions-lost', message: `${this.name} lost ${formatPartitions(this.owned)} (${error}): another member may already own them.`, data: { client: this.name, partitions: formatPartitions(this.owned), error } });
    this.owned = [];
  }
}

export function count(tps: TopicPartitions): number {
  return tps.reduce((n, tp) => n + tp.partitions.length, 0);
}
