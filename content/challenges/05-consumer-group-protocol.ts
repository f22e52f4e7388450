/**
 * Module 5 challenge: grow the group `shipping` from three members to four with a
 * cooperative assignor, so members only give up the partitions that move (KIP-429).
 * Judged from the group coordinator's join and assignment events and from the members'
 * own revoke/assign events: an eager rebalance revokes everything and hands most of it
 * straight back, which is exactly what the last criterion catches.
 */
import { criterion, dataOf, generations, groupStable, memberCountsInOrder, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';

const group = 'shipping';
const topic = 'orders';
const cooperativeProtocols = ['cooperative-sticky'];

function partitionsOf(event: TraceEvent): string[] {
  const text = dataOf(event, 'partitions');
  return typeof text === 'string' ? text.split(',').map((p) => p.trim()).filter((p) => p.startsWith(`${topic}-`)) : [];
}

/** Members' events from the generation that first had three members onwards. */
function sinceThreeMembers(view: LabView, type: string): TraceEvent[] {
  const three = generations(view, group).find((g) => g.members === 3);
  if (!three) return [];
  return view.events.filter((e) => e.seq > three.seq && e.type === type);
}

/** Partitions a member revoked and was later given back: what a cooperative protocol avoids. */
function revokedAndKept(view: LabView): string[] {
  const assigned = sinceThreeMembers(view, 'consumer-partitions-assigned');
  const kept: string[] = [];
  for (const revoke of sinceThreeMembers(view, 'consumer-partitions-revoked')) {
    const client = dataOf(revoke, 'client');
    const back = assigned.filter((a) => a.seq > revoke.seq && dataOf(a, 'client') === client).flatMap(partitionsOf);
    for (const p of partitionsOf(revoke)) if (back.includes(p)) kept.push(`${String(client)} gave up ${p} and got it back`);
  }
  return kept;
}

export const cooperativeScale = defineChallenge({
  id: '05-consumer-group-protocol-cooperative-scale',
  title: 'Grow a group without stopping it',
  module: '05-consumer-group-protocol',
  lab: { brokers: 3, controllers: 3, topics: [{ name: topic, numPartitions: 6, replicationFactor: 3 }] },
  tasks: [
    {
      id: 'cooperative-scale',
      title: 'Grow shipping from three to four members with a cooperative assignor',
      description: 'The group `shipping` on `orders` grows from 3 to 4 members; at the end it is Stable with 4 members, it uses a cooperative assignor, and no member gave up a partition it kept.',
      criteria: [
        memberCountsInOrder(group, [3, 4]),
        criterion(`group ${group} ends Stable with 4 members`, (view) => {
          const gens = generations(view, group);
          const last = gens[gens.length - 1];
          if (!last) return { passed: false, observed: `group ${group} has not completed a rebalance` };
          const stable = groupStable(group).evaluate(view).passed && view.events.some((e) => e.type === 'group-assignment-completed' && dataOf(e, 'groupId') === group && e.seq > last.seq);
          return { passed: stable && last.members === 4, observed: `generation ${last.generationId} has ${last.members} member(s)${stable ? ' and an assignment' : ', still waiting for its assignment'}` };
        }),
        criterion(`group ${group} uses a cooperative assignor`, (view) => {
          const last = generations(view, group).at(-1);
          if (!last) return { passed: false, observed: `group ${group} has not completed a rebalance` };
          return { passed: cooperativeProtocols.includes(last.protocolName), observed: `generation ${last.generationId} uses ${last.protocolName || 'no protocol'}` };
        }),
        criterion('no member gave up a partition it kept', (view) => {
          if (sinceThreeMembers(view, 'consumer-partitions-assigned').length === 0) return { passed: false, observed: 'no partitions were assigned since the group had three members' };
          const kept = revokedAndKept(view);
          return kept.length === 0 ? { passed: true, observed: 'members only gave up partitions that moved' } : { passed: false, observed: kept.slice(0, 3).join('; ') };
        }),
      ],
      hints: [
        'With the eager protocol every member revokes all of its partitions at the start of a rebalance, even those it gets back. Which assignor avoids that?',
        'Start the group with `clients consumers --group shipping --topic orders --count 3 --assignor cooperative-sticky`, then add one more member the same way with `--count 1`.',
      ],
      solution: [
        { kind: 'shell', line: 'clients consumers --group shipping --topic orders --count 3 --assignor cooperative-sticky' },
        { kind: 'advance', ms: 10_000 },
        { kind: 'shell', line: 'clients consumers --group shipping --topic orders --count 1 --assignor cooperative-sticky' },
        { kind: 'advance', ms: 15_000 },
        { kind: 'shell', line: 'kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group shipping --members' },
      ],
    },
  ],
});
