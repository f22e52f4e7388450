import { describe, expect, it } from 'vitest';
import { Prng } from '../sim/prng';
import { placeReplicas, rackAlternatedBrokers } from './placement';

describe('replica placement', () => {
  it('spreads leaders round-robin and never repeats a broker in one partition', () => {
    const brokers = [1, 2, 3, 4].map((id) => ({ id, rack: null }));
    const assignment = placeReplicas(brokers, 8, 3, new Prng(1));
    for (const replicas of assignment) expect(new Set(replicas).size).toBe(3);
    const leaders = assignment.map((r) => r[0]);
    for (const id of [1, 2, 3, 4]) expect(leaders.filter((l) => l === id)).toHaveLength(2);
  });

  it('interleaves racks and puts each replica in a different rack when it can', () => {
    const brokers = [
      { id: 1, rack: 'a' },
      { id: 2, rack: 'a' },
      { id: 3, rack: 'b' },
      { id: 4, rack: 'b' },
      { id: 5, rack: 'c' },
      { id: 6, rack: 'c' },
    ];
    expect(rackAlternatedBrokers(brokers).map((b) => b.id)).toEqual([1, 3, 5, 2, 4, 6]);
    const rackOf = new Map(brokers.map((b) => [b.id, b.rack]));
    for (const replicas of placeReplicas(brokers, 12, 3, new Prng(7))) {
      expect(new Set(replicas.map((id) => rackOf.get(id))).size).toBe(3);
    }
  });

  it('refuses a replication factor above the number of brokers with Kafka\'s message', () => {
    expect(() => placeReplicas([{ id: 1, rack: null }], 1, 2, new Prng(1))).toThrow('Replication factor: 2 larger than available brokers: 1.');
  });
});
