/**
 * Every module challenge (content/challenges) through the same grader the site uses: each
 * module's `<Challenge id>` has exactly one manifest and vice versa, the manifest starts
 * the lab the module's frontmatter describes, the model answer passes unless the challenge
 * is marked pending (then it must still fail, so the mark is removed as soon as the
 * engine can serve it), and doing nothing passes no task.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { challenges, defineChallenge, pendingHint } from '../../../content/challenges/index';
import { gradeExercise } from './grade';
import { runExercise } from './runner';
import type { Step } from './types';

const modulesDir = path.join(import.meta.dirname, '../../../content/modules');

interface ModuleChallenge {
  readonly module: string;
  readonly ids: string[];
  readonly lab: { brokers?: number; controllers?: number; racks?: string[]; topics?: { name: string; partitions: number; replicationFactor: number; configs?: Record<string, string> }[] } | undefined;
}

function moduleChallenges(): ModuleChallenge[] {
  return readdirSync(modulesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const parsed = matter(readFileSync(path.join(modulesDir, d.name, 'index.mdx'), 'utf8'));
      const ids = [...parsed.content.matchAll(/<Challenge\s+id="([^"]+)"/g)].map((m) => m[1]!);
      return { module: d.name, ids, lab: (parsed.data as { lab?: ModuleChallenge['lab'] }).lab };
    });
}

describe('module challenges', () => {
  it('pairs every module Challenge id with exactly one manifest, and every manifest with a module', () => {
    const modules = moduleChallenges();
    expect(modules.length).toBe(11);
    for (const m of modules) expect({ module: m.module, ids: m.ids.length }).toEqual({ module: m.module, ids: 1 });
    const fromModules = modules.map((m) => `${m.module}:${m.ids[0]}`).sort();
    const fromManifests = challenges.map((c) => `${c.module}:${c.id}`).sort();
    expect(fromManifests).toEqual(fromModules);
    expect(new Set(challenges.map((c) => c.id)).size).toBe(challenges.length);
  });

  it('marks a pending challenge in its first hint, and only then', () => {
    const task = { id: 't', title: 'T', description: 'd', criteria: [], hints: ['first'], solution: [] };
    const pending = defineChallenge({ id: 'x', title: 'X', module: 'm', lab: {}, tasks: [task], pending: 'the engine lacks Y.' });
    expect(pending.tasks[0]!.hints).toEqual([pendingHint('the engine lacks Y.'), 'first']);
    expect(pending.pending).toBe('the engine lacks Y.');
    const ready = defineChallenge({ id: 'x', title: 'X', module: 'm', lab: {}, tasks: [task] });
    expect(ready.tasks[0]!.hints).toEqual(['first']);
    expect(ready.pending).toBeNull();
    expect(ready.starter).toEqual([]);
    expect(ready.setup).toEqual([]);
  });
});

describe.each(challenges.map((c) => [c.id, c] as const))('challenge %s', (_id, manifest) => {
  it('starts the lab its module describes', () => {
    const lab = moduleChallenges().find((m) => m.module === manifest.module)?.lab;
    expect({ brokers: lab?.brokers ?? 3, controllers: lab?.controllers ?? 3, racks: lab?.racks ?? null }).toEqual({
      brokers: manifest.lab.brokers ?? 3,
      controllers: manifest.lab.controllers ?? 3,
      racks: manifest.lab.racks ?? null,
    });
    const topics = (lab?.topics ?? []).map((t) => ({ name: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor, configs: t.configs ?? {} }));
    expect(topics).toEqual((manifest.lab.topics ?? []).map((t) => ({ name: t.name, numPartitions: t.numPartitions, replicationFactor: t.replicationFactor, configs: t.configs ?? {} })));
  });

  it('has tasks with criteria, hints and a solution', () => {
    expect(manifest.tasks.length).toBeGreaterThan(0);
    for (const task of manifest.tasks) {
      expect(task.criteria.length).toBeGreaterThan(0);
      expect(task.hints.length).toBeGreaterThan(0);
      expect(task.solution.length).toBeGreaterThan(0);
    }
  });

  it(manifest.pending === null ? 'passes with the model answer' : 'still fails with the model answer while it is pending', async () => {
    const { result, steps } = await runExercise(manifest, { kind: 'solution' });
    const failing = result.tasks.filter((t) => !t.passed).map((t) => ({ task: t.taskId, expected: t.expected, observed: t.observed }));
    if (manifest.pending === null) {
      expect(failing).toEqual([]);
      // Every step succeeds, except a line the answer runs to see it refused: that one must fail.
      const meantToFail = new Set(manifest.tasks.flatMap((t) => t.solution).flatMap((s) => (s.kind === 'shell' && s.fails === true ? [`$ ${s.line}`] : [])));
      expect(steps.filter((s) => s.ok === meantToFail.has(s.step)).map((s) => s.step)).toEqual([]);
    } else {
      expect(result.passed).toBe(false);
    }
  });

  it('fails every task when nothing is done', async () => {
    const { result } = await runExercise(manifest, { kind: 'starter' });
    expect(result.passed).toBe(false);
    expect(result.tasks.filter((t) => t.passed).map((t) => t.taskId)).toEqual([]);
    // Grading is pure: the same view gives the same result.
    expect(gradeExercise(manifest, { snapshot: { timeMs: 0, clusterId: 'x', activeControllerId: null, brokers: [], controllers: [], topics: [] }, events: [] }).passed).toBe(false);
  });
});

/** Routes that look close but miss the point: the criterion named must catch each one. */
const wrongRoutes: { id: string; why: string; lines: (string | number)[]; failing: string; observed: string }[] = [
  {
    id: '01-architecture-keyed-spread',
    why: 'records without keys',
    lines: [
      'kafka-topics --bootstrap-server localhost:9092 --create --topic events --partitions 6 --replication-factor 3',
      ...[0, 1, 2, 3, 4, 5].map((p) => `kafka-console-producer --bootstrap-server localhost:9092 --topic events --message v${p}`),
    ],
    failing: 'every record in events has a non-null key',
    observed: 'record(s) have no key',
  },
  {
    id: '02-broker-roll-segments',
    why: 'a broker-level change',
    lines: [
      'kafka-configs --bootstrap-server localhost:9092 --entity-type brokers --entity-name 1 --alter --add-config log.retention.ms=100000',
      'kafka-topics --bootstrap-server localhost:9092 --create --topic metrics --partitions 1 --replication-factor 3 --config segment.bytes=1024',
      `kafka-console-producer --bootstrap-server localhost:9092 --topic metrics ${'abcdefghijkl'.split('').map((c) => `--message ${c.repeat(200)}`).join(' ')}`,
    ],
    failing: 'no broker-level configuration was changed',
    observed: 'updated configs of broker 1',
  },
  {
    id: '03-data-replication-isr-round-trip',
    why: 'stopping and starting a broker',
    lines: ['broker stop 3', 40_000, 'broker start 3', 40_000],
    failing: 'no broker or controller stopped, crashed or started between the shrink and the expansion',
    observed: 'between the shrink and the expansion: Starting broker 3',
  },
  {
    id: '05-consumer-group-protocol-cooperative-scale',
    why: 'the eager range assignor',
    lines: ['clients consumers --group shipping --topic orders --count 3 --assignor range', 10_000, 'clients consumers --group shipping --topic orders --count 1 --assignor range', 15_000],
    failing: 'group shipping uses a cooperative assignor',
    observed: 'uses range',
  },
  {
    id: '05-consumer-group-protocol-cooperative-scale',
    why: 'the eager sticky assignor (members give up partitions they get back)',
    lines: ['clients consumers --group shipping --topic orders --count 3 --assignor sticky', 10_000, 'clients consumers --group shipping --topic orders --count 1 --assignor sticky', 15_000],
    failing: 'no member gave up a partition it kept',
    observed: 'gave up orders-',
  },
  {
    id: '06-guarantees-not-enough-replicas',
    why: 'acks=1 writes (min.insync.replicas does not apply)',
    lines: [
      'broker stop 2',
      'broker stop 3',
      5_000,
      'kafka-console-producer --bootstrap-server localhost:9092 --topic payments --producer-property acks=1 --message not-refused',
    ],
    failing: 'an acks=all produce to payments-0 was rejected with NOT_ENOUGH_REPLICAS',
    observed: 'no acks=all produce to payments-0 was rejected',
  },
  {
    id: '07-transactions-fenced-zombie',
    why: 'two different transactional ids',
    lines: ['clients producer --topic receipts --rate 5 --acks all --transactional-id billing-7', 3_000, 'clients producer --topic receipts --rate 5 --acks all --transactional-id billing-8', 10_000],
    failing: 'the coordinator of billing-7 bumped the epoch while a transaction was open',
    observed: 'billing-7 was never fenced',
  },
  {
    id: '08-compaction-forget-bob',
    why: 'the default delete.retention.ms of one day',
    lines: [
      'kafka-console-producer --bootstrap-server localhost:9092 --topic customers --property parse.key=true --property key.separator=: --property null.marker=NULL --message alice:a1 --message bob:b1 --message carol:c1 --message dave:d1',
      'kafka-configs --bootstrap-server localhost:9092 --entity-type topics --entity-name customers --alter --add-config segment.ms=1000,min.cleanable.dirty.ratio=0.01',
      'kafka-console-producer --bootstrap-server localhost:9092 --topic customers --property parse.key=true --property key.separator=: --property null.marker=NULL --message bob:NULL',
      2_000,
      'kafka-console-producer --bootstrap-server localhost:9092 --topic customers --property parse.key=true --property key.separator=: --message alice:a2',
      60_000,
    ],
    failing: 'no record with key bob in customers-0 on its leader',
    observed: 'still holds 1 record(s) of bob',
  },
  {
    id: '11-geo-replication-survive-region-cut',
    why: 'replication factor 3 (one side has a single replica)',
    lines: [
      'kafka-topics --bootstrap-server localhost:9092 --create --topic ledger --partitions 4 --replication-factor 3 --config min.insync.replicas=2',
      'network partition 4,5,6 --from 1,2,3',
      40_000,
      'network heal',
    ],
    failing: 'ledger has 4 partitions, each with as many replicas in east as in west',
    observed: 'ledger-0: [',
  },
];

describe.each(wrongRoutes.map((r) => [r.id, r.why, r] as const))('challenge %s with %s', (id, _why, route) => {
  it('fails the criterion that route misses', async () => {
    const manifest = challenges.find((c) => c.id === id)!;
    // Numbers are lab time passing (as the model answers let it pass), strings terminal lines.
    const steps: Step[] = route.lines.map((l) => (typeof l === 'number' ? { kind: 'advance', ms: l } : { kind: 'shell', line: l }));
    const { result } = await runExercise({ ...manifest, tasks: manifest.tasks.map((t) => ({ ...t, solution: steps })) }, { kind: 'solution' });
    const criteria = result.tasks.flatMap((t) => t.criteria);
    const missed = criteria.find((c) => c.expected === route.failing);
    expect(missed).toMatchObject({ passed: false });
    expect(missed?.observed).toContain(route.observed);
    expect(result.passed).toBe(false);
  });
});
