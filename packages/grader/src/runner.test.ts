import { describe, expect, it } from 'vitest';
import { criterion, topicExists, totalHighWatermark } from './criteria';
import { formatResult, gradeExercise } from './grade';
import { parseTranscript, runExercise } from './runner';
import type { ExerciseManifest } from './types';

/** A small exercise built only for these tests: make a topic, then write three records. */
const manifest: ExerciseManifest = {
  id: 'test-basics',
  title: 'Basics',
  lab: { brokers: 3, controllers: 1 },
  setup: [],
  starter: [],
  tasks: [
    {
      id: 'create-topic',
      title: 'Create the topic',
      description: 'Create `events` with 3 partitions.',
      criteria: [topicExists('events'), topicExists('events', { partitions: 3, replicationFactor: 2 })],
      hints: ['Use kafka-topics --create.'],
      solution: [{ kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --create --topic events --partitions 3 --replication-factor 2' }],
    },
    {
      id: 'write',
      title: 'Write three records',
      description: 'Produce three records from code.',
      criteria: [
        criterion('3 records in events', (view) => {
          const n = totalHighWatermark(view, 'events');
          return { passed: n === 3, observed: `${n} records in events` };
        }),
      ],
      hints: ['Use kafka.producer().send().'],
      solution: [
        {
          kind: 'code',
          file: 'solution/main.ts',
          program: async (kafka, log) => {
            const producer = kafka.producer();
            for (const value of ['a', 'b', 'c']) {
              const meta = await producer.send({ topic: 'events', key: value, value });
              log(`wrote ${value} at ${meta.partition}/${meta.offset}`);
            }
          },
        },
      ],
    },
  ],
};

describe('runExercise', () => {
  it('passes every task with the solution', async () => {
    const { result, steps } = await runExercise(manifest, { kind: 'solution' });
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(steps[1]?.output).toContain('wrote a at');
    expect(result.tasks.map((t) => [t.taskId, t.passed])).toEqual([
      ['create-topic', true],
      ['write', true],
    ]);
    expect(result.passed).toBe(true);
    expect(result.score).toBe(2);
  });

  it('fails with the starter and explains what it saw', async () => {
    const { result } = await runExercise(manifest, { kind: 'starter' });
    expect(result.passed).toBe(false);
    const first = result.tasks[0]!;
    expect(first.credit).toBe(0);
    expect(first.observed).toContain('no topic named events');
    expect(first.hint).toBe('Use kafka-topics --create.');
    expect(formatResult(result)).toContain('FAIL  create-topic');
  });

  it('gives partial credit when some criteria of a task hold', async () => {
    const lines = parseTranscript('$ kafka-topics --bootstrap-server localhost:9092 --create --topic events --partitions 2 --replication-factor 2\nCreated topic events.\n');
    const { result } = await runExercise(manifest, { kind: 'transcript', lines });
    const task = result.tasks[0]!;
    expect(task.passed).toBe(false);
    expect(task.credit).toBe(0.5);
    expect(task.observed).toContain('it has 2 partitions');
    expect(result.score).toBe(0.5);
  });

  it('reports code that throws as a failed step, not a crash', async () => {
    const broken: ExerciseManifest = {
      ...manifest,
      tasks: [{ ...manifest.tasks[1]!, solution: [{ kind: 'code', file: 'x.ts', program: async (kafka) => void (await kafka.producer().send({ topic: 'missing', value: 'v' })) }] }],
    };
    const { result, steps } = await runExercise(broken, { kind: 'solution' });
    expect(steps[0]?.ok).toBe(false);
    expect(steps[0]?.output).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    expect(result.passed).toBe(false);
  });
});

describe('gradeExercise', () => {
  it('fails a criterion that throws instead of failing the grade', () => {
    const m: ExerciseManifest = {
      ...manifest,
      tasks: [{ ...manifest.tasks[0]!, criteria: [criterion('never throws', () => { throw new Error('boom'); })] }],
    };
    const result = gradeExercise(m, { snapshot: { timeMs: 0, clusterId: 'x', activeControllerId: null, brokers: [], controllers: [], topics: [] }, events: [] });
    expect(result.tasks[0]?.passed).toBe(false);
    expect(result.tasks[0]?.observed).toContain('boom');
  });

  it('grades one task when asked', () => {
    const view = { snapshot: { timeMs: 0, clusterId: 'x', activeControllerId: null, brokers: [], controllers: [], topics: [] }, events: [] };
    expect(gradeExercise(manifest, view, 'write').tasks.map((t) => t.taskId)).toEqual(['write']);
  });
});

describe('parseTranscript', () => {
  it('keeps commands and drops comments, blanks and output', () => {
    expect(parseTranscript('# set up\nkafka-topics --list\n\n  broker stop 2  \n')).toEqual(['kafka-topics --list', 'broker stop 2']);
    expect(parseTranscript('$ a\noutput line\n$ b\n')).toEqual(['a', 'b']);
  });
});
