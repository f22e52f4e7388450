import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from './lab';
import { decodeRun, encodeRun, RecordingError } from './recording';
import type { ServerMessage } from './protocol';

const labs: Lab[] = [];
afterEach(() => {
  for (const lab of labs.splice(0)) lab.dispose();
});

async function started(): Promise<{ lab: Lab; messages: ServerMessage[] }> {
  const lab = await Lab.start('rec', { topics: [{ name: 'orders', numPartitions: 2, replicationFactor: 3 }] });
  labs.push(lab);
  const messages: ServerMessage[] = [];
  lab.attach({ send: (m) => messages.push(m) });
  return { lab, messages };
}

/** Snapshots minus wall-clock-free noise: everything the pictures show. */
const state = (lab: Lab) => lab.clusterApi.snapshot();

describe('time travel by deterministic replay', () => {
  it('reopens a shared run at exactly the same state', async () => {
    const { lab } = await started();
    await lab.exec(1, 'kafka-console-producer --bootstrap-server localhost:9092 --topic orders --message a --message b --message c');
    await lab.exec(2, 'broker stop 2');
    await lab.exec(3, 'kafka-topics --bootstrap-server localhost:9092 --create --topic audit --partitions 1 --replication-factor 2');
    lab.time({ action: 'pause' });
    const link = lab.shareLink();
    const reopened = await Lab.fromRunLink('copy', link);
    labs.push(reopened);
    expect(state(reopened)).toEqual(state(lab));
    expect(reopened.clusterApi.events().map((e) => [e.seq, e.type])).toEqual(lab.clusterApi.events().map((e) => [e.seq, e.type]));
  });

  it('rewinds to before a broker stopped and can go on from there', async () => {
    const { lab, messages } = await started();
    await lab.exec(1, 'broker stop 2');
    const stop = lab.clusterApi.events().find((e) => e.type === 'node-stop-requested');
    expect(stop).toBeDefined();
    const before = lab.clusterApi.events().filter((e) => e.seq < (stop?.seq ?? 0)).at(-1);
    expect(await lab.rewind(before?.seq ?? -1)).toBeNull();
    expect(state(lab).brokers.find((b) => b.id === 2)?.state).toBe('running');
    expect(messages.some((m) => m.t === 'events' && m.reset === true)).toBe(true);
    // Paused after the rewind: resume and the past becomes a new present.
    lab.time({ action: 'resume' });
    await lab.exec(2, 'kafka-topics --bootstrap-server localhost:9092 --describe --topic orders');
    expect(messages.some((m) => m.t === 'done' && m.id === 2 && m.code === 0)).toBe(true);
    expect(state(lab).topics.find((t) => t.name === 'orders')?.partitions.every((p) => p.isr.includes(2))).toBe(true);
  });

  it('refuses a tampered or oversized link with a clear error', () => {
    expect(() => decodeRun('not a link!')).toThrow(RecordingError);
    expect(() => decodeRun('AAAA')).toThrow('malformed run link');
    const evil = encodeRun({ version: 1, options: { seed: 1 }, calls: [{ timeMs: 1, path: 'constructor.call', args: [] }], atMs: 5 });
    expect(() => decodeRun(evil)).toThrow('malformed run link');
  });
});
