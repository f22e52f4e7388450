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
      expect(steps.filter((s) => !s.ok).map((s) => s.step)).toEqual([]);
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
