import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';
import { Lab } from './lab';
import type { ServerMessage } from './protocol';
import { decodeRun, encodeRun, inputsUpTo, type RecordedCall } from './recording';
import { refusedClientReason } from './recorded-clients';

/**
 * Time travel in a lab that ran the built-in clients (consumer groups, a producer, a
 * transactional producer fenced by a second one), with the lab's real-time scheduler
 * stopping the clock wherever the wall clock says: the rebuilt past must equal what the
 * live lab had, event for event.
 */
const labs: Lab[] = [];
afterEach(() => {
  for (const lab of labs.splice(0)) lab.dispose();
});

const realMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Moment {
  readonly seq: number;
  readonly nowMs: number;
  readonly snapshot: ClusterSnapshot;
  readonly events: readonly TraceEvent[];
}

/** The lab at rest: after a clock stop, once the clients' continuations have run. */
async function moment(lab: Lab): Promise<Moment> {
  await quiet();
  const events = lab.clusterApi.events();
  return { seq: events.at(-1)?.seq ?? -1, nowMs: lab.clusterApi.nowMs(), snapshot: lab.clusterApi.snapshot(), events };
}

/**
 * A page's message starts a macrotask of its own: nothing the cluster resolved is still
 * pending when it arrives. The test's own continuations are not like that, so it waits
 * for such a moment before it acts, as the gateway would.
 */
const quiet = () => new Promise((resolve) => setImmediate(resolve));

/** `lab.time(action)` as a page sends it. */
async function time(lab: Lab, action: Parameters<Lab['time']>[0]): Promise<void> {
  await quiet();
  lab.time(action);
}

async function run(lab: Lab, messages: ServerMessage[], id: number, line: string): Promise<void> {
  await quiet();
  await lab.exec(id, line);
  expect(messages.at(-1), line).toEqual({ t: 'done', id, code: 0 });
}

/** Runs the story; returns the moment in its middle and the moment at its end. */
async function story(lab: Lab, messages: ServerMessage[]): Promise<{ middle: Moment; end: Moment }> {
  await run(lab, messages, 1, 'clients consumers --group billing --topic orders --count 2');
  await run(lab, messages, 2, 'clients producer --topic orders --rate 20');
  await run(lab, messages, 3, 'clients producer --topic orders --rate 5 --transactional-id payments');
  // Real time at ten times speed: the scheduler stops the clock wherever the wall says.
  await time(lab, { action: 'speed', speed: 10 });
  await realMs(150);
  await run(lab, messages, 4, 'clients producer --topic orders --rate 5 --transactional-id payments');
  await realMs(150);
  await time(lab, { action: 'pause' });
  await time(lab, { action: 'step', ms: 2_000 });
  const middle = await moment(lab);
  // Still paused: the stop is the very next input, so `middle` is the last moment of its trace.
  await run(lab, messages, 5, 'broker stop 2');
  await time(lab, { action: 'resume' });
  await realMs(150);
  await run(lab, messages, 6, 'clients stop consumer-1');
  await time(lab, { action: 'pause' });
  await time(lab, { action: 'step', ms: 3_000 });
  return { middle, end: await moment(lab) };
}

async function started(): Promise<{ lab: Lab; messages: ServerMessage[] }> {
  const lab = await Lab.start('clients-rec', { topics: [{ name: 'orders', numPartitions: 3, replicationFactor: 3 }] });
  labs.push(lab);
  const messages: ServerMessage[] = [];
  lab.attach({ send: (m) => messages.push(m) });
  return { lab, messages };
}

const types = (events: readonly TraceEvent[]) => new Set(events.map((e) => e.type));

describe('time travel with built-in clients', () => {
  it('rewinds to the middle of a run with clients and rebuilds exactly what the lab had there', async () => {
    const { lab, messages } = await started();
    const { middle, end } = await story(lab, messages);
    // The story is the one the lessons tell: a group that rebalanced, a fenced producer, a stopped broker.
    expect(types(middle.events)).toContain('group-rebalance-started');
    expect(types(middle.events)).toContain('producer-fenced');
    expect(types(end.events)).toContain('node-stop-requested');
    expect(lab.clusterApi.snapshot().brokers.find((b) => b.id === 2)?.state).not.toBe('running');

    expect(await lab.rewind(middle.seq)).toBeNull();
    expect(lab.clusterApi.nowMs()).toBe(middle.nowMs);
    expect(lab.clusterApi.snapshot()).toEqual(middle.snapshot);
    expect(lab.clusterApi.events()).toEqual(middle.events);
    expect(lab.clusterApi.snapshot().brokers.find((b) => b.id === 2)?.state).toBe('running');
  }, 60_000);

  it('restarts the clients the run had at that moment, under the same names', async () => {
    const { lab, messages } = await started();
    const { middle } = await story(lab, messages);
    expect(await lab.rewind(middle.seq)).toBeNull();
    await run(lab, messages, 7, 'clients list');
    const listed = messages.filter((m): m is Extract<ServerMessage, { t: 'out' }> => m.t === 'out').at(-1)?.text ?? '';
    expect(listed).toMatch(/consumer-1\s+consumer/);
    expect(listed).toMatch(/producer-2\s+producer\s+fenced/);
    expect(listed).toMatch(/producer-3\s+producer\s+running/);
    // From there the run goes on: the stop that came later is forgotten and may be typed again.
    await run(lab, messages, 8, 'clients stop consumer-1');
  }, 60_000);

  it('reopens a shared link of a run with clients at exactly the same state', async () => {
    const { lab, messages } = await started();
    const { end } = await story(lab, messages);
    const reopened = await Lab.fromRunLink('copy', lab.shareLink());
    labs.push(reopened);
    expect(reopened.clusterApi.nowMs()).toBe(end.nowMs);
    expect(reopened.clusterApi.snapshot()).toEqual(end.snapshot);
    expect(reopened.clusterApi.events()).toEqual(end.events);
  }, 60_000);

  it('refuses to rewind once a lab limit refused a built-in client, because a replay would not be refused', async () => {
    const { lab, messages } = await started();
    await run(lab, messages, 1, 'clients consumers --group billing --topic orders --count 20');
    await quiet();
    await lab.exec(2, 'clients consumers --group audit --topic orders --count 1');
    expect(messages.at(-1)).toEqual({ t: 'done', id: 2, code: 1 });
    const seq = lab.clusterApi.events().at(-1)?.seq ?? -1;
    expect(await lab.rewind(seq)).toBe(refusedClientReason);
    expect(() => lab.shareLink()).toThrow(refusedClientReason);
  }, 60_000);
});

describe('the moment right after an event', () => {
  const tick = (timeMs: number, afterSeq: number): RecordedCall => ({ timeMs, afterSeq, path: 'lab.tick', args: [] });
  const stop = (timeMs: number, afterSeq: number): RecordedCall => ({ timeMs, afterSeq, path: 'faults.stopNode', args: [2] });
  // Stops at 10 (events 1..4 happen), 20 (none), then a stop call at 20 (event 5), then 30 (6..9).
  const calls = [tick(10, 0), tick(20, 4), stop(20, 4), tick(30, 5), tick(40, 9)];

  it('is the first stop at which the event had happened, carried through inputs that added none', () => {
    expect(inputsUpTo(calls, 2)).toBe(2);
    expect(inputsUpTo(calls, 4)).toBe(2);
    expect(inputsUpTo(calls, 5)).toBe(3);
    expect(inputsUpTo(calls, 7)).toBe(4);
    // After the last input, nothing tells what it added: everything is kept.
    expect(inputsUpTo(calls, 12)).toBe(5);
  });

  it('travels in links, where a malformed flag is refused', () => {
    const run = { version: 1 as const, options: { seed: 1 }, calls: [...calls, { ...tick(40, 9), joined: true as const }], atMs: 40 };
    expect(decodeRun(encodeRun(run)).calls).toEqual(run.calls);
    const bad = encodeRun({ ...run, calls: [{ ...tick(40, 9), joined: 'yes' as unknown as true }] });
    expect(() => decodeRun(bad)).toThrow('malformed run link');
  });
});
