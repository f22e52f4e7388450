import { describe, expect, it } from 'vitest';
import { GraderLab, topicExists, type ExerciseManifest, type ExerciseResult } from '@kil/grader';
import { ExerciseChecks } from './checks';
import { Lab } from './lab';
import { parseClientMessage, ProtocolError } from './protocol';
import type { WallClock } from './scheduler';

const manifest: ExerciseManifest = {
  id: 'check-test',
  title: 'Check test',
  lab: { brokers: 1, controllers: 1 },
  setup: [],
  starter: [],
  tasks: [
    { id: 'make-a', title: 'Make a', description: '', criteria: [topicExists('a')], hints: ['create a'], solution: [] },
    { id: 'make-b', title: 'Make b', description: '', criteria: [topicExists('b')], hints: ['create b'], solution: [] },
  ],
};

describe('ExerciseChecks', () => {
  it('grades the lab it is given and records the result for the session', async () => {
    const lab = await GraderLab.start(manifest.lab);
    await lab.runLine('kafka-topics --bootstrap-server localhost:9092 --create --topic a --partitions 1 --replication-factor 1');
    const recorded: [string, ExerciseResult, boolean][] = [];
    const checks = new ExerciseChecks({ exercise: (id) => (id === manifest.id ? manifest : undefined), record: async (s, r, auto) => void recorded.push([s, r, auto]) });
    const reply = await checks.check('session-1', lab.view(), { exerciseId: 'check-test' });
    expect(reply.t).toBe('check-result');
    if (reply.t !== 'check-result') return;
    expect(reply.result?.tasks.map((t) => [t.taskId, t.passed])).toEqual([
      ['make-a', true],
      ['make-b', false],
    ]);
    expect(reply.result?.tasks[1]?.hint).toBe('create b');
    expect(recorded.map(([s, r, auto]) => [s, r.score, auto])).toEqual([['session-1', 1, false]]);
  });

  it('answers unknown exercises and tasks with an error and records nothing', async () => {
    const lab = await GraderLab.start(manifest.lab);
    let calls = 0;
    const checks = new ExerciseChecks({ exercise: (id) => (id === manifest.id ? manifest : undefined), record: async () => void calls++ });
    const unknown = await checks.check('s', lab.view(), { exerciseId: 'nope' });
    expect(unknown).toMatchObject({ t: 'check-result', result: null, error: 'There is no exercise called nope.' });
    const badTask = await checks.check('s', lab.view(), { exerciseId: 'check-test', taskId: 'nope' });
    expect(badTask).toMatchObject({ result: null });
    expect(calls).toBe(0);
  });

  it('still returns the result when saving it fails', async () => {
    const lab = await GraderLab.start(manifest.lab);
    const checks = new ExerciseChecks({ exercise: () => manifest, record: async () => { throw new Error('disk full'); } });
    const reply = await checks.check('s', lab.view(), { exerciseId: 'check-test', taskId: 'make-a', auto: true });
    expect(reply).toMatchObject({ t: 'check-result', auto: true, error: expect.stringContaining('could not be saved') });
    if (reply.t === 'check-result') expect(reply.result?.tasks.map((t) => t.taskId)).toEqual(['make-a']);
  });
});

describe('check and client messages', () => {
  it('parses well-formed messages and rejects malformed ones', () => {
    expect(parseClientMessage('{"t":"check","exerciseId":"transactions","taskId":"commit"}')).toEqual({ t: 'check', exerciseId: 'transactions', taskId: 'commit', auto: false });
    expect(parseClientMessage('{"t":"client","id":4,"op":"metadata","args":{}}')).toEqual({ t: 'client', id: 4, op: 'metadata', args: {} });
    expect(() => parseClientMessage('{"t":"check","exerciseId":"../etc"}')).toThrow(ProtocolError);
    expect(() => parseClientMessage('{"t":"client","id":1,"op":"metadata","args":[1]}')).toThrow(ProtocolError);
    expect(() => parseClientMessage('{"t":"client","id":-1,"op":"metadata","args":{}}')).toThrow(ProtocolError);
  });
});

/** A wall clock that only moves when the test says so. */
function manualWall(): WallClock & { advance(ms: number): void } {
  let now = 0;
  return { nowMs: () => now, setTimer: () => () => {}, advance: (ms) => void (now += ms) };
}

async function drive<T>(lab: Lab, work: Promise<T>): Promise<T> {
  let done = false;
  void work.finally(() => (done = true));
  for (let i = 0; i < 5000 && !done; i++) {
    lab.time({ action: 'step', ms: 5 });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return work;
}

describe('Lab.client', () => {
  it('serves learner-code ops on the lab cluster and reports errors as Kafka errors', async () => {
    const lab = await Lab.start('t', { brokers: 1, controllers: 1 }, manualWall());
    const created = await drive(lab, lab.client(1, 'createTopics', { topics: [{ name: 'orders', numPartitions: 2, replicationFactor: 1 }] }));
    expect(created).toEqual({ t: 'client-result', id: 1, ok: true, value: [{ name: 'orders', error: null }] });
    for (let i = 0; i < 1000 && !lab.view().snapshot.topics.some((t) => t.name === 'orders' && t.partitions.every((p) => p.leader > 0)); i++) lab.time({ action: 'step', ms: 5 });
    const produced = await drive(lab, lab.client(2, 'produce', { topic: 'orders', partition: 1, acks: -1, records: [{ key: 'k', value: 'v' }] }));
    expect(produced).toMatchObject({ id: 2, ok: true, value: { baseOffset: 0 } });
    expect(lab.view().snapshot.topics.find((t) => t.name === 'orders')?.partitions[1]?.logEndOffset).toBe(1);
    const bad = await drive(lab, lab.client(3, 'produce', { topic: 'orders', partition: 'x' }));
    expect(bad).toMatchObject({ id: 3, ok: false, error: { code: 'INVALID_REQUEST' } });
    const unknownOp = await lab.client(4, 'rm -rf', {});
    expect(unknownOp).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    lab.dispose();
  });
});
