/**
 * Criteria about consumer groups, read from the group coordinator's trace events
 * (`group-join-completed`, `group-assignment-completed`, `group-rebalance-started`,
 * `group-static-rejoin-no-rebalance`), whose `data` carries the group id, generation,
 * protocol and members.
 */
import { criterion, dataOf, eventsOf } from './criteria';
import type { Criterion, LabView } from './types';
import type { TraceEvent } from '@kil/engine';

export interface Generation {
  readonly generationId: number;
  readonly protocolName: string;
  readonly members: number;
  readonly seq: number;
}

/** Completed joins of a group, oldest first: one per generation. */
export function generations(view: LabView, groupId: string): Generation[] {
  return eventsOf(view, 'group-join-completed', (e) => dataOf(e, 'groupId') === groupId).map((e: TraceEvent) => ({
    generationId: Number(dataOf(e, 'generationId')),
    protocolName: String(dataOf(e, 'protocolName') ?? ''),
    members: Array.isArray(dataOf(e, 'members')) ? (dataOf(e, 'members') as unknown[]).length : 0,
    seq: e.seq,
  }));
}

function describe(gens: readonly Generation[]): string {
  if (gens.length === 0) return 'the group has not completed a rebalance';
  return `generations so far: ${gens.map((g) => `${g.generationId} (${g.members} member(s), ${g.protocolName})`).join(', ')}`;
}

/** The group went through generations with these member counts, in this order (others may come between). */
export function memberCountsInOrder(groupId: string, counts: readonly number[]): Criterion {
  return criterion(`group ${groupId} with ${counts.join(', then ')} member(s)`, (view) => {
    const gens = generations(view, groupId);
    let next = 0;
    for (const g of gens) if (next < counts.length && g.members === counts[next]) next++;
    return { passed: next === counts.length, observed: describe(gens) };
  });
}

/** Some generation of the group used `protocol` (or, with `notBuiltIn`, a protocol that is not one of Kafka's). */
export function usedProtocol(groupId: string, protocol: string | { notBuiltIn: readonly string[] }, minGenerations = 1): Criterion {
  const label = typeof protocol === 'string' ? protocol : 'an assignor of your own';
  return criterion(`group ${groupId} rebalanced with ${label} at least ${minGenerations} time(s)`, (view) => {
    const gens = generations(view, groupId);
    const matching = gens.filter((g) => (typeof protocol === 'string' ? g.protocolName === protocol : g.protocolName !== '' && !protocol.notBuiltIn.includes(g.protocolName)));
    return { passed: matching.length >= minGenerations, observed: describe(gens) };
  });
}

/** The leader's assignment reached the members: the group is Stable. */
export function groupStable(groupId: string): Criterion {
  return criterion(`group ${groupId} reached Stable with an assignment`, (view) => {
    const done = eventsOf(view, 'group-assignment-completed', (e) => dataOf(e, 'groupId') === groupId);
    return done.length > 0 ? { passed: true, observed: done[done.length - 1]!.message } : { passed: false, observed: `group ${groupId} never received an assignment` };
  });
}
