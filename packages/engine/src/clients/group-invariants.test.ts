import { describe, it, expect } from 'vitest';
import { Prng } from '../sim/prng';
import { GroupCoordinator } from '../group/group-coordinator';
import { assignors } from './assignors';
import { ConsumerClient } from './consumer';
import { LocalGroupRunner } from './local-group';

const TOPIC = 'orders';
const PARTITIONS = 6;

/**
 * Seeded runs of built-in consumers with crashes, restarts, zombies and coordinator
 * failovers. Checked after every commit: committed offsets never move backwards (the
 * generation checks stop zombies), and no partition is owned by two live members of the
 * same generation once the group is Stable.
 */
function runSeed(seed: number): { commits: number; rejected: number } {
  const rng = new Prng(seed);
  const assignorName = rng.pick(Object.keys(assignors))!;
  const runner = new LocalGroupRunner(new GroupCoordinator({ rng: rng.fork() }));
  const metadata = () => new Map([[TOPIC, PARTITIONS]]);
  let started = 0;
  const start = () => {
    started++;
    runner.add(new ConsumerClient({ clientId: `c${started}`, groupId: 'g', topics: [TOPIC], assignor: assignors[assignorName]!, metadata, sessionTimeoutMs: 6000, rebalanceTimeoutMs: 10_000 }));
  };
  const committed = new Map<number, number>();
  const zombies: Array<{ memberId: string; generationId: number; offsets: Map<number, number> }> = [];
  let commits = 0;
  let rejected = 0;

  const commit = (memberId: string, generationId: number, offsets: Map<number, number>) => {
    const response = runner.record(runner.coordinator.offsetCommit({
      groupId: 'g', memberId, generationIdOrMemberEpoch: generationId, groupInstanceId: null,
      topics: [{ name: TOPIC, partitions: [...offsets].map(([partitionIndex, committedOffset]) => ({ partitionIndex, committedOffset })) }],
    }, runner.nowMs))!;
    const ok = response.topics[0]!.partitions.every((p) => p.error === 'NONE');
    if (ok) commits++;
    else rejected++;
    for (let p = 0; p < PARTITIONS; p++) {
      const now = runner.coordinator.offsetFetch({ groupId: 'g', topics: [{ name: TOPIC, partitionIndexes: [p] }] }, runner.nowMs).topics[0]!.partitions[0]!.committedOffset;
      expect(now, `seed ${seed}: partition ${p} went backwards`).toBeGreaterThanOrEqual(committed.get(p) ?? -1);
      committed.set(p, now);
    }
  };

  for (let i = 0; i < 3; i++) start();
  for (let step = 0; step < 80; step++) {
    runner.run(500);
    // Every stable consumer processes a few records and commits its position.
    for (const c of runner.clients.values()) {
      if (c.state !== 'STABLE' || c.owned.length === 0) continue;
      const offsets = new Map<number, number>();
      for (const p of c.owned.flatMap((tp) => tp.partitions)) offsets.set(p, (committed.get(p) ?? 0) + rng.int(5));
      if (rng.chance(0.7)) commit(c.memberId, c.generationId, offsets);
    }
    // A zombie (a consumer paused past its session) wakes up and commits the position it had.
    for (const z of zombies) if (rng.chance(0.3)) commit(z.memberId, z.generationId, z.offsets);
    const roll = rng.int(100);
    if (roll < 5 && runner.clients.size > 1) {
      const victim = rng.pick([...runner.clients.values()])!;
      zombies.push({ memberId: victim.memberId, generationId: victim.generationId, offsets: new Map(victim.owned.flatMap((tp) => tp.partitions).map((p) => [p, committed.get(p) ?? 0])) });
      runner.crash(victim.name);
    } else if (roll < 10 && runner.clients.size < 5) {
      start();
    } else if (roll < 13) {
      runner.failover(rng.fork());
    }
    if (runner.coordinator.group('g')?.state === 'Stable') {
      const live = [...runner.clients.values()].filter((c) => c.state === 'STABLE' && c.generationId === runner.coordinator.group('g')!.generationId);
      const owned = live.flatMap((c) => c.owned.flatMap((tp) => tp.partitions));
      expect(new Set(owned).size, `seed ${seed}: a partition has two owners`).toBe(owned.length);
    }
  }
  // An explicit reset (kafka-consumer-groups --reset-offsets) is the one way back: it needs an empty group.
  for (const name of [...runner.clients.keys()]) runner.stop(name);
  runner.run(20_000);
  const reset = runner.record(runner.coordinator.offsetCommit({ groupId: 'g', memberId: '', generationIdOrMemberEpoch: -1, groupInstanceId: null, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 0 }] }] }, runner.nowMs))!;
  expect(reset.topics[0]!.partitions[0]!.error).toBe('NONE');
  return { commits, rejected };
}

describe('randomized group runs (seeded)', () => {
  it('committed offsets never move backwards except by an explicit reset, across crashes, zombies and failovers', () => {
    let commits = 0;
    let rejected = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = runSeed(seed);
      commits += r.commits;
      rejected += r.rejected;
    }
    // The runs must really exercise both paths.
    expect(commits).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(10);
  });
});
