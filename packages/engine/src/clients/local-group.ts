/**
 * Wires built-in consumers straight to a group coordinator, with no network in between:
 * requests go in, held responses come back through the coordinator's `deliver` list. Tests
 * and lessons use it to watch rebalances step by step; inside a cluster the broker does the
 * same routing over the simulated network.
 */
import { GroupCoordinator } from '../group/group-coordinator';
import type { RandomSource } from '../group/common';
import type { GroupCoordinatorRecord } from '../group/records';
import type { Delivery, GroupResult } from '../group/types';
import type { ConsumerClient, ConsumerRequest } from './consumer';

export class LocalGroupRunner {
  readonly clients = new Map<string, ConsumerClient>();
  /** Everything the coordinator wrote: this runner's `__consumer_offsets` partition. */
  readonly log: GroupCoordinatorRecord[] = [];
  nowMs = 0;

  constructor(public coordinator: GroupCoordinator) {}

  /** The coordinator moves to another broker: a fresh one replays the log, in-flight rebalances are lost. */
  failover(rng: RandomSource): GroupCoordinator {
    const next = new GroupCoordinator({ rng, config: this.coordinator.config });
    for (const r of this.log) next.replay(r);
    next.completeLoad(this.nowMs);
    this.coordinator = next;
    for (const client of this.clients.values()) client.onCoordinatorLost();
    return next;
  }

  /** Sends any group request to the coordinator, keeping its records (for commits from tests or the shell). */
  record<R>(result: GroupResult<R>): R | null {
    this.log.push(...result.records);
    this.deliverAll(result.deliver);
    return result.response;
  }

  add(client: ConsumerClient): void {
    this.clients.set(client.name, client);
  }

  /** Stops a client: it leaves the group (dynamic) or just goes silent (static). */
  stop(name: string): void {
    const client = this.clients.get(name);
    if (!client) return;
    const leave = client.close();
    if (leave && leave.api === 'LeaveGroup') this.record(this.coordinator.leaveGroup(leave.request, this.nowMs));
    this.clients.delete(name);
  }

  /** A crash: no LeaveGroup, the coordinator only notices when the session times out. */
  crash(name: string): void {
    this.clients.delete(name);
  }

  /** Advances time in steps, letting every client send what is due and firing coordinator timers. */
  run(durationMs: number, stepMs = 100): void {
    const end = this.nowMs + durationMs;
    while (this.nowMs < end) {
      this.nowMs = Math.min(end, this.nowMs + stepMs);
      const timers = this.coordinator.onTimer(this.nowMs);
      this.log.push(...timers.records);
      this.deliverAll(timers.deliver);
      for (const client of [...this.clients.values()]) {
        for (let request = client.poll(this.nowMs); request; request = client.poll(this.nowMs)) this.send(client, request);
      }
    }
  }

  private send(client: ConsumerClient, request: ConsumerRequest): void {
    const c = this.coordinator;
    switch (request.api) {
      case 'JoinGroup': {
        const r = c.joinGroup(request.request, this.nowMs, client.name);
        this.record(r);
        if (r.response) client.onResponse({ api: 'JoinGroup', response: r.response }, this.nowMs);
        return;
      }
      case 'SyncGroup': {
        const r = c.syncGroup(request.request, this.nowMs, client.name);
        this.record(r);
        if (r.response) client.onResponse({ api: 'SyncGroup', response: r.response }, this.nowMs);
        return;
      }
      case 'Heartbeat': {
        const r = c.heartbeat(request.request, this.nowMs);
        if (r.response) client.onResponse({ api: 'Heartbeat', response: r.response }, this.nowMs);
        return;
      }
      case 'LeaveGroup':
        this.record(c.leaveGroup(request.request, this.nowMs));
        return;
    }
  }

  private deliverAll(deliveries: readonly Delivery[]): void {
    for (const d of deliveries) {
      const client = this.clients.get(d.replyTo);
      if (!client) continue;
      if (d.api === 'JoinGroup') client.onResponse({ api: 'JoinGroup', response: d.response }, this.nowMs);
      else client.onResponse({ api: 'SyncGroup', response: d.response }, this.nowMs);
    }
  }
}
