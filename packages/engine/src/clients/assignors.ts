/**
 * Client-side partition assignors, as Kafka's consumer ships them. The group leader runs
 * one on everyone's subscriptions and sends the result through SyncGroup.
 *
 *   range              per topic, consecutive ranges; the first `n mod m` members get one extra
 *   roundrobin         all partitions in order, dealt to members in turn
 *   sticky             balanced, and keeps each member's current partitions where it can
 *   cooperative-sticky sticky, but a partition that moves is first only revoked; it is
 *                      assigned in a follow-up rebalance once its old owner let go (KIP-429)
 *
 * The sticky pair computes stickiness from `ownedPartitions` and `generationId` in the
 * subscription (version 1/2, as Kafka 2.4+ clients send); `sticky` also writes Kafka's
 * StickyAssignorUserData (previous assignment + generation) for older peers.
 * Deviation: members are ordered by member id only (Kafka orders static members by
 * group.instance.id in range); the sticky balance is greedy rather than Kafka's exact
 * reassignment search, which gives the same balance (max - min <= 1 for equal
 * subscriptions) but can differ in which partitions move.
 */
import type { TopicPartitions } from '../group/records';
import { Writer, type Subscription } from './consumer-protocol';

export type RebalanceProtocol = 'EAGER' | 'COOPERATIVE';

export interface AssignorMember {
  readonly memberId: string;
  readonly subscription: Subscription;
}

export interface Assignor {
  readonly name: string;
  /** KIP-429: which rebalance protocols the assignor supports, most preferred first. */
  readonly supportedProtocols: readonly RebalanceProtocol[];
  /** topic → partition count, from cluster metadata. */
  assign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly AssignorMember[]): Map<string, TopicPartitions>;
  /** User data a member puts in its subscription (sticky: its previous assignment). */
  userData?(owned: TopicPartitions, generationId: number): Uint8Array | null;
}

type TP = readonly [string, number];

function toTopicPartitions(tps: readonly TP[]): TopicPartitions {
  const byTopic = new Map<string, number[]>();
  for (const [t, p] of tps) byTopic.set(t, [...(byTopic.get(t) ?? []), p]);
  return [...byTopic].sort(([a], [b]) => (a < b ? -1 : 1)).map(([topic, ps]) => ({ topic, partitions: ps.sort((x, y) => x - y) }));
}

function sortedMembers(members: readonly AssignorMember[]): AssignorMember[] {
  return [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

export const rangeAssignor: Assignor = {
  name: 'range',
  supportedProtocols: ['EAGER'],
  assign(partitionsPerTopic, members) {
    const out = new Map<string, TP[]>(members.map((m) => [m.memberId, []]));
    const topics = [...new Set(members.flatMap((m) => m.subscription.topics))].sort();
    for (const topic of topics) {
      const consumers = sortedMembers(members.filter((m) => m.subscription.topics.includes(topic)));
      const n = partitionsPerTopic.get(topic) ?? 0;
      const per = Math.floor(n / consumers.length);
      const extra = n % consumers.length;
      consumers.forEach((c, i) => {
        const start = per * i + Math.min(i, extra);
        const length = per + (i < extra ? 1 : 0);
        for (let p = start; p < start + length; p++) out.get(c.memberId)!.push([topic, p]);
      });
    }
    return new Map([...out].map(([m, tps]) => [m, toTopicPartitions(tps)]));
  },
};

export const roundRobinAssignor: Assignor = {
  name: 'roundrobin',
  supportedProtocols: ['EAGER'],
  assign(partitionsPerTopic, members) {
    const sorted = sortedMembers(members);
    const out = new Map<string, TP[]>(sorted.map((m) => [m.memberId, []]));
    const topics = [...new Set(members.flatMap((m) => m.subscription.topics))].sort();
    let next = 0;
    for (const topic of topics) {
      for (let p = 0; p < (partitionsPerTopic.get(topic) ?? 0); p++) {
        // Deal to the next member in the circle that subscribes to this topic.
        for (let tries = 0; tries < sorted.length; tries++) {
          const m = sorted[(next + tries) % sorted.length]!;
          if (!m.subscription.topics.includes(topic)) continue;
          out.get(m.memberId)!.push([topic, p]);
          next = (next + tries + 1) % sorted.length;
          break;
        }
      }
    }
    return new Map([...out].map(([m, tps]) => [m, toTopicPartitions(tps)]));
  },
};

/**
 * The sticky core shared by `sticky` and `cooperative-sticky`: valid owned partitions are
 * kept up to the member's quota (claims from a newer generation win), the rest go to the
 * least-loaded subscribed member, then partitions move from the most to the least loaded
 * eligible member until no move improves balance.
 */
export function stickyAssign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly AssignorMember[]): Map<string, TP[]> {
  const sorted = sortedMembers(members);
  const subscribed = new Map(sorted.map((m) => [m.memberId, new Set(m.subscription.topics)]));
  const all: TP[] = [...new Set(sorted.flatMap((m) => m.subscription.topics))].sort().flatMap((t) => Array.from({ length: partitionsPerTopic.get(t) ?? 0 }, (_, p): TP => [t, p]));
  const key = ([t, p]: TP) => `${t}\u0000${p}`;
  const owner = new Map<string, { memberId: string; generationId: number }>();
  for (const m of sorted) {
    for (const tp of m.subscription.ownedPartitions) {
      for (const p of tp.partitions) {
        if (!subscribed.get(m.memberId)!.has(tp.topic) || p >= (partitionsPerTopic.get(tp.topic) ?? 0)) continue;
        const claim = owner.get(key([tp.topic, p]));
        if (!claim || claim.generationId < m.subscription.generationId) owner.set(key([tp.topic, p]), { memberId: m.memberId, generationId: m.subscription.generationId });
      }
    }
  }
  const out = new Map<string, TP[]>(sorted.map((m) => [m.memberId, []]));
  const floor = sorted.length ? Math.floor(all.length / sorted.length) : 0;
  let extra = sorted.length ? all.length % sorted.length : 0;
  const unassigned: TP[] = [];
  const keepPass = (tp: TP, pass: number): boolean => {
    const claim = owner.get(key(tp));
    if (!claim) return false;
    const list = out.get(claim.memberId)!;
    if (list.length < floor || (pass === 1 && list.length === floor && extra > 0)) {
      if (list.length === floor) extra--;
      list.push(tp);
      return true;
    }
    return false;
  };
  const leftover = all.filter((tp) => !keepPass(tp, 0));
  for (const tp of leftover) if (!keepPass(tp, 1)) unassigned.push(tp);
  for (const tp of unassigned) {
    let best: string | null = null;
    for (const m of sorted) if (subscribed.get(m.memberId)!.has(tp[0]) && (best === null || out.get(m.memberId)!.length < out.get(best)!.length)) best = m.memberId;
    if (best !== null) out.get(best)!.push(tp);
  }
  balance(out, subscribed);
  return out;
}

/** Moves single partitions from over- to under-loaded eligible members (needed for unequal subscriptions). */
function balance(out: Map<string, TP[]>, subscribed: Map<string, Set<string>>): void {
  for (let guard = 0; guard < 10_000; guard++) {
    let moved = false;
    const byLoad = [...out.keys()].sort((a, b) => out.get(b)!.length - out.get(a)!.length || (a < b ? -1 : 1));
    for (const from of byLoad) {
      for (const to of [...byLoad].reverse()) {
        if (out.get(from)!.length <= out.get(to)!.length + 1) continue;
        const index = out.get(from)!.findIndex(([t]) => subscribed.get(to)!.has(t));
        if (index < 0) continue;
        out.get(to)!.push(out.get(from)!.splice(index, 1)[0]!);
        moved = true;
        break;
      }
      if (moved) break;
    }
    if (!moved) return;
  }
}

function encodeStickyUserData(owned: TopicPartitions, generationId: number): Uint8Array {
  return new Writer().topicPartitions(owned).int32(generationId).done();
}

export const stickyAssignor: Assignor = {
  name: 'sticky',
  supportedProtocols: ['EAGER'],
  assign(partitionsPerTopic, members) {
    return new Map([...stickyAssign(partitionsPerTopic, members)].map(([m, tps]) => [m, toTopicPartitions(tps)]));
  },
  userData: encodeStickyUserData,
};

export const cooperativeStickyAssignor: Assignor = {
  name: 'cooperative-sticky',
  supportedProtocols: ['COOPERATIVE', 'EAGER'],
  assign(partitionsPerTopic, members) {
    const target = stickyAssign(partitionsPerTopic, members);
    // KIP-429: a partition still owned by someone else is withheld this round; its owner
    // revokes it, rejoins, and the follow-up rebalance hands it over.
    const ownedBy = new Map<string, string>();
    for (const m of members) for (const tp of m.subscription.ownedPartitions) for (const p of tp.partitions) ownedBy.set(`${tp.topic}\u0000${p}`, m.memberId);
    return new Map([...target].map(([memberId, tps]) => {
      const kept = tps.filter(([t, p]) => {
        const current = ownedBy.get(`${t}\u0000${p}`);
        return current === undefined || current === memberId;
      });
      return [memberId, toTopicPartitions(kept)];
    }));
  },
  userData: (_owned, generationId) => new Writer().int32(generationId).done(),
};

export const assignors: Readonly<Record<string, Assignor>> = {
  range: rangeAssignor,
  roundrobin: roundRobinAssignor,
  sticky: stickyAssignor,
  'cooperative-sticky': cooperativeStickyAssignor,
};
