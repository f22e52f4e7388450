/**
 * Every exercise, through the same grader the site uses: the solution passes every task
 * the engine can serve today, and the starter passes none. Tasks that need an engine
 * feature still pending must fail for now; when the feature lands this test says so, and
 * the feature comes off `pendingFeatures`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { exerciseFolders, exercises } from '../../../exercises/index';
import { pendingFeatures } from './client-host';
import { runExercise } from './runner';

const blocked = (needs: readonly string[] | undefined) => (needs ?? []).some((f) => pendingFeatures.has(f as never));

describe.each(exercises.map((e) => [e.id, e] as const))('exercise %s', (_id, manifest) => {
  it('has unique task ids, hints and a solution for every task', () => {
    expect(new Set(manifest.tasks.map((t) => t.id)).size).toBe(manifest.tasks.length);
    for (const task of manifest.tasks) {
      expect(task.criteria.length).toBeGreaterThan(0);
      expect(task.hints.length).toBeGreaterThan(0);
      expect(task.solution.length).toBeGreaterThan(0);
    }
  });

  it('starts the live lab (README frontmatter) in the shape the grader uses', () => {
    const file = path.join(import.meta.dirname, '../../../exercises', exerciseFolders[manifest.id] ?? '?', 'README.mdx');
    const front = matter(readFileSync(file, 'utf8')).data as {
      id: string;
      lab?: {
        brokers?: number; controllers?: number; racks?: string[]; topics?: { name: string; partitions: number; replicationFactor: number; configs?: Record<string, string> }[];
        clusters?: number; secondary?: { brokers?: number; controllers?: number; racks?: string[] }; linkLatencyMs?: number;
      };
    };
    expect(front.id).toBe(manifest.id);
    expect({ brokers: front.lab?.brokers ?? 3, controllers: front.lab?.controllers ?? 3, racks: front.lab?.racks ?? null }).toEqual({
      brokers: manifest.lab.brokers ?? 3,
      controllers: manifest.lab.controllers ?? 3,
      racks: manifest.lab.racks ?? null,
    });
    // A geo-replication lab: the same second cluster and link live and in grading.
    const geo = (lab: { clusters?: number; secondary?: { brokers?: number; controllers?: number; racks?: readonly string[] }; linkLatencyMs?: number } | undefined) =>
      lab?.clusters === 2 || lab?.secondary
        ? { brokers: lab.secondary?.brokers ?? 3, controllers: lab.secondary?.controllers ?? 3, racks: lab.secondary?.racks ?? null, linkLatencyMs: lab.linkLatencyMs ?? 40 }
        : null;
    expect(geo(front.lab)).toEqual(geo(manifest.lab));
    const topics = (front.lab?.topics ?? []).map((t) => ({ name: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor, configs: t.configs ?? {} }));
    expect(topics).toEqual((manifest.lab.topics ?? []).map((t) => ({ name: t.name, numPartitions: t.numPartitions, replicationFactor: t.replicationFactor, configs: t.configs ?? {} })));
  });

  it('passes with the solution wherever the engine can serve the task', async () => {
    const { result } = await runExercise(manifest, { kind: 'solution' });
    for (const task of manifest.tasks) {
      const graded = result.tasks.find((t) => t.taskId === task.id)!;
      expect({ task: task.id, passed: graded.passed, observed: graded.observed }).toMatchObject({ task: task.id, passed: !blocked(task.needs) });
    }
  });

  it('fails every task with the starter', async () => {
    const { result } = await runExercise(manifest, { kind: 'starter' });
    expect(result.passed).toBe(false);
    expect(result.tasks.filter((t) => t.passed).map((t) => t.taskId)).toEqual([]);
  });
});
