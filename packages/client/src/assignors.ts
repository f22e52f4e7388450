/**
 * Partition assignors: the group leader (a consumer, not the broker) runs one to split
 * the subscribed partitions among the members, as in Kafka's classic protocol. The
 * built-ins follow Kafka's RangeAssignor, RoundRobinAssignor and CooperativeStickyAssignor
 * (KIP-429); a learner may pass their own object with the same shape.
 */
import type { Subscription } from './ops';
import { tpKey, type TopicPartition } from './protocol';

export type RebalanceProtocol = 'eager' | 'cooperative';

export interface GroupSubscription {
  /** Partition count of every subscribed topic. */
  readonly partitionsPerTopic: Readonly<Record<string, number>>;
  readonly members: Readonly<Record<string, Subscription>>;
}

export interface PartitionAssignor {
  /** The protocol name the group agrees on, e.g. "range". */
  readonly name: string;
  /** Cooperative assignors never move a partition directly between two members. */
  readonly protocol?: RebalanceProtocol;
  assign(group: GroupSubscription): Record<string, TopicPartition[]>;
}

function sortedMembers(group: GroupSubscription): string[] {
  return Object.keys(group.members).sort();
}

function partitionsOf(topic: string, count: number): TopicPartition[] {
  return Array.from({ length: count }, (_, partition) => ({ topic, partition }));
}

/** Per topic, consecutive ranges of partitions to members in member-id order. */
export const rangeAssignor: PartitionAssignor = {
  name: 'range',
  assign(group) {
    const result: Record<string, TopicPartition[]> = {};
    for (const member of sortedMembers(group)) result[member] = [];
    for (const [topic, count] of Object.entries(group.partitionsPerTopic).sort()) {
      const members = sortedMembers(group).filter((m) => group.members[m]?.topics.includes(topic));
      if (members.length === 0) continue;
      const per = Math.floor(count / members.length);
      const extra = count % members.length;
      let next = 0;
      members.forEach((member, i) => {
        const n = per + (i < extra ? 1 : 0);
        for (let p = next; p < next + n; p++) result[member]!.push({ topic, partition: p });
        next += n;
      });
    }
    return result;
  },
};

/** All partitions of all topics, dealt one at a time to the members in turn. */
export const roundRobinAssignor: PartitionAssignor = {
  name: 'roundrobin',
  assign(group) {
    const members = sortedMembers(group);
    const result: Record<string, TopicPartition[]> = Object.fromEntries(members.map((m) => [m, []]));
    const all = Object.entries(group.partitionsPerTopic)
      .sort()
      .flatMap(([topic, count]) => partitionsOf(topic, count));
    let turn = 0;
    for (const tp of all) {
      for (let tries = 0; tries < members.length; tries++) {
        const member = members[(turn + tries) % members.length]!;
        if (group.members[member]?.topics.includes(tp.topic)) {
          result[member]!.push(tp);
          turn = (turn + tries + 1) % members.length;
          break;
        }
      }
    }
    return result;
  },
};

/**
 * Sticky and balanced: members keep what they own up to their fair share, and only the
 * surplus and unowned partitions move. Under the cooperative protocol a partition that
 * changes owner is first only revoked; it is handed out in the follow-up rebalance.
 */
function stickyAssign(group: GroupSubscription, cooperative: boolean): Record<string, TopicPartition[]> {
  const members = sortedMembers(group);
  const result: Record<string, TopicPartition[]> = Object.fromEntries(members.map((m) => [m, []]));
  const all = Object.entries(group.partitionsPerTopic)
    .sort()
    .flatMap(([topic, count]) => partitionsOf(topic, count));
  const total = all.length;
  const quota = (i: number) => Math.floor(total / members.length) + (i < total % members.length ? 1 : 0);
  const taken = new Set<string>();
  const ownedBy = new Map<string, string>();
  for (const member of members) {
    for (const tp of group.members[member]?.ownedPartitions ?? []) {
      if (!ownedBy.has(tpKey(tp)) && (group.partitionsPerTopic[tp.topic] ?? 0) > tp.partition) ownedBy.set(tpKey(tp), member);
    }
  }
  // Members with the most owned partitions get the larger quotas, so fewer partitions move.
  const byOwned = [...members].sort((a, b) => countOwned(ownedBy, b) - countOwned(ownedBy, a) || a.localeCompare(b));
  const quotas = new Map(byOwned.map((m, i) => [m, quota(i)]));
  for (const member of byOwned) {
    for (const tp of group.members[member]?.ownedPartitions ?? []) {
      if (ownedBy.get(tpKey(tp)) !== member || taken.has(tpKey(tp))) continue;
      if (result[member]!.length >= (quotas.get(member) ?? 0)) break;
      result[member]!.push({ topic: tp.topic, partition: tp.partition });
      taken.add(tpKey(tp));
    }
  }
  for (const tp of all) {
    if (taken.has(tpKey(tp))) continue;
    // A partition still owned by someone else is only revoked this round (KIP-429).
    if (cooperative && ownedBy.has(tpKey(tp))) continue;
    const member = byOwned.find((m) => result[m]!.length < (quotas.get(m) ?? 0) && group.members[m]?.topics.includes(tp.topic));
    if (member) {
      result[member]!.push(tp);
      taken.add(tpKey(tp));
    }
  }
  return result;
}

function countOwned(ownedBy: ReadonlyMap<string, string>, member: string): number {
  let n = 0;
  for (const owner of ownedBy.values()) if (owner === member) n++;
  return n;
}

export const stickyAssignor: PartitionAssignor = { name: 'sticky', assign: (group) => stickyAssign(group, false) };

export const cooperativeStickyAssignor: PartitionAssignor = {
  name: 'cooperative-sticky',
  protocol: 'cooperative',
  assign: (group) => stickyAssign(group, true),
};

export const builtInAssignors: Readonly<Record<string, PartitionAssignor>> = {
  range: rangeAssignor,
  roundrobin: roundRobinAssignor,
  sticky: stickyAssignor,
  'cooperative-sticky': cooperativeStickyAssignor,
};
