import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from './lab';
import type { ServerMessage } from './protocol';

const labs: Lab[] = [];
afterEach(() => {
  for (const lab of labs.splice(0)) lab.dispose();
});

async function startLab(shape?: Parameters<typeof Lab.start>[1]): Promise<{ lab: Lab; messages: ServerMessage[] }> {
  const lab = await Lab.start('test', shape);
  labs.push(lab);
  const messages: ServerMessage[] = [];
  lab.attach({ send: (m) => messages.push(m) });
  return { lab, messages };
}

function output(messages: readonly ServerMessage[]): string {
  return messages.map((m) => (m.t === 'out' ? m.text : '')).join('');
}

describe('Lab', () => {
  it('starts ready: a quorum leader and every broker running', async () => {
    const { lab, messages } = await startLab();
    const snapshot = lab.clusterApi.snapshot();
    expect(snapshot.activeControllerId).not.toBeNull();
    expect(snapshot.brokers.map((b) => [b.id, b.state])).toEqual([
      [1, 'running'],
      [2, 'running'],
      [3, 'running'],
    ]);
    expect(messages[0]).toMatchObject({ t: 'hello', lab: { brokers: 3, controllers: 3 } });
    expect(messages[1]?.t).toBe('snapshot');
  });

  it('runs kafka-topics against its own cluster and reports the exit code', async () => {
    const { lab, messages } = await startLab();
    await lab.exec(1, 'kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 3');
    expect(output(messages)).toContain('Created topic orders.');
    expect(messages.at(-1)).toEqual({ t: 'done', id: 1, code: 0 });
    await lab.exec(2, 'kafka-topics --bootstrap-server localhost:9092 --describe --topic orders');
    expect(output(messages)).toMatch(/Topic: orders\tPartition: 0\tLeader: \d\tReplicas: \d,\d,\d\tIsr: \d,\d,\d/);
    await lab.exec(3, 'kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 3');
    expect(output(messages)).toContain("Topic 'orders' already exists.");
    expect(messages.at(-1)).toEqual({ t: 'done', id: 3, code: 1 });
  });

  it('seeds the topics its shape asks for', async () => {
    const { lab } = await startLab({ topics: [{ name: 'payments', numPartitions: 2, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }] });
    const topic = lab.clusterApi.snapshot().topics.find((t) => t.name === 'payments');
    expect(topic?.partitions).toHaveLength(2);
    expect(topic?.configs['min.insync.replicas']).toBe('2');
    expect(topic?.partitions.every((p) => p.leader > 0)).toBe(true);
  });

  it('resets to its starting shape', async () => {
    const { lab, messages } = await startLab();
    await lab.exec(1, 'kafka-topics --bootstrap-server localhost:9092 --create --topic scratch --partitions 1 --replication-factor 1');
    await lab.exec(2, 'lab reset');
    expect(lab.clusterApi.snapshot().topics.filter((t) => !t.internal)).toEqual([]);
    expect(messages.filter((m) => m.t === 'hello')).toHaveLength(2);
  });

  it('refuses a second command while one runs and interrupts on Ctrl-C', async () => {
    const { lab, messages } = await startLab();
    const consuming = lab.exec(1, 'trace --follow');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await lab.exec(2, 'kafka-topics --bootstrap-server localhost:9092 --list');
    expect(output(messages)).toContain('A command is still running');
    lab.interrupt();
    await consuming;
    expect(messages.some((m) => m.t === 'done' && m.id === 1)).toBe(true);
  });

  it('two labs are independent', async () => {
    const a = await startLab();
    const b = await startLab();
    await a.lab.exec(1, 'kafka-topics --bootstrap-server localhost:9092 --create --topic only-in-a --partitions 1 --replication-factor 1');
    await b.lab.exec(1, 'kafka-topics --bootstrap-server localhost:9092 --list');
    expect(output(b.messages)).not.toContain('only-in-a');
    expect(a.lab.clusterApi.snapshot().topics.map((t) => t.name)).toContain('only-in-a');
  });
});

describe('time rewind from the terminal', () => {
  it('brings broker 2 back after `broker stop 2` and leaves the clock paused', async () => {
    const { lab, messages } = await startLab();
    await lab.exec(1, 'broker stop 2');
    // The lab's clock runs in real time; step it so that the controlled shutdown finishes.
    lab.time({ action: 'pause' });
    lab.time({ action: 'step', ms: 15_000 });
    const broker2 = () => lab.clusterApi.snapshot().brokers.find((b) => b.id === 2)?.state;
    expect(broker2()).not.toBe('running');
    const stop = lab.clusterApi.events().find((e) => e.type === 'node-stop-requested');
    const before = lab.clusterApi.events().filter((e) => e.seq < (stop?.seq ?? 0)).at(-1);
    expect(before).toBeDefined();
    await lab.exec(2, `time rewind #${before?.seq}`);
    expect(output(messages)).toContain(`right after event #${before?.seq} ${before?.type}`);
    expect(messages.at(-1)).toEqual({ t: 'done', id: 2, code: 0 });
    expect(broker2()).toBe('running');
    expect(lab.clusterApi.events().some((e) => e.type === 'node-stop-requested')).toBe(false);
    await lab.exec(3, 'time');
    expect(output(messages)).toMatch(/Virtual time \d+\.\d{3}s, paused at 1x\.\n$/);
    // The terminal goes on from the rewound moment.
    await lab.exec(4, 'broker list');
    expect(messages.at(-1)).toEqual({ t: 'done', id: 4, code: 0 });
  });

  it('rewinds a lab that runs a built-in producer, which runs again from there', async () => {
    const { lab, messages } = await startLab({ topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3 }] });
    await lab.exec(1, 'clients producer --topic orders --rate 5');
    lab.time({ action: 'pause' });
    lab.time({ action: 'step', ms: 3_000 });
    await lab.exec(2, 'time rewind -1s');
    expect(messages.at(-1)).toEqual({ t: 'done', id: 2, code: 0 });
    expect(output(messages)).toContain('Time is paused here.');
    await lab.exec(3, 'clients list');
    expect(output(messages)).toMatch(/producer-1\s+producer\s+running/);
  });

  it('prints the lab\'s reason when it cannot rewind', async () => {
    const { lab, messages } = await startLab({ topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3 }] });
    await lab.exec(1, 'kafka-console-producer --bootstrap-server localhost:9092 --topic orders --producer-property enable.idempotence=true --message a');
    await lab.exec(2, 'time rewind -1s');
    expect(output(messages)).toContain('Cannot rewind: Rewind is not available once a console producer with enable.idempotence');
    expect(messages.at(-1)).toEqual({ t: 'done', id: 2, code: 1 });
  });
});
