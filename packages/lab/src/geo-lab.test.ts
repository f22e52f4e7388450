/**
 * A geo-replication lab: two clusters on one clock, the terminal and learner code routed
 * by bootstrap servers, mirrors driven by the lab's scheduler, the secondary in every
 * snapshot message, and time travel refused with a reason rather than replayed wrongly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from './lab';
import type { ServerMessage } from './protocol';
import { isGeoShape, normalizeShape } from './shape';

const labs: Lab[] = [];
afterEach(() => {
  for (const lab of labs.splice(0)) lab.dispose();
});

async function geoLab(): Promise<{ lab: Lab; messages: ServerMessage[] }> {
  const lab = await Lab.start('geo', { clusters: 2, linkLatencyMs: 30, topics: [{ name: 'orders', numPartitions: 2, replicationFactor: 3 }] });
  labs.push(lab);
  const messages: ServerMessage[] = [];
  lab.attach({ send: (m) => messages.push(m) });
  return { lab, messages };
}

const output = (messages: readonly ServerMessage[]) => messages.map((m) => (m.t === 'out' ? m.text : '')).join('');
const lastSnapshot = (messages: readonly ServerMessage[]) => messages.filter((m) => m.t === 'snapshot').at(-1);

describe('geo-replication lab', () => {
  it('normalizes a two-cluster shape', () => {
    expect(isGeoShape({ clusters: 2 })).toBe(true);
    expect(isGeoShape({ brokers: 3 })).toBe(false);
    expect(normalizeShape({ secondary: { brokers: 99 }, linkLatencyMs: 10_000 })).toMatchObject({ clusters: 2, secondary: { brokers: 6, controllers: 3 }, linkLatencyMs: 2_000 });
  });

  it('starts both regions and sends the secondary with every snapshot', async () => {
    const { messages } = await geoLab();
    const snapshot = lastSnapshot(messages);
    expect(snapshot?.t === 'snapshot' && snapshot.snapshot.brokers.map((b) => b.port)).toEqual([9092, 9093, 9094]);
    expect(snapshot?.t === 'snapshot' && snapshot.secondary).toMatchObject({ primaryAlias: 'us-east', alias: 'eu-west', up: { 'us-east': true, 'eu-west': true }, linkLatencyMs: 30, mirrors: [] });
    const secondary = snapshot?.t === 'snapshot' ? snapshot.secondary?.snapshot : undefined;
    expect(secondary?.brokers.map((b) => [b.port, b.state])).toEqual([[9192, 'running'], [9193, 'running'], [9194, 'running']]);
    expect(secondary?.topics.some((t) => t.name === 'orders')).toBe(false);
  });

  it('routes a terminal line to the cluster its --bootstrap-server names', async () => {
    const { lab, messages } = await geoLab();
    await lab.exec(1, 'kafka-topics --bootstrap-server localhost:9192 --create --topic eu-only --partitions 1 --replication-factor 3');
    expect(messages.at(-1)).toEqual({ t: 'done', id: 1, code: 0 });
    await lab.exec(2, 'kafka-topics --bootstrap-server localhost:9092 --list');
    expect(output(messages)).not.toMatch(/^eu-only$/m);
    const view = lab.view();
    expect(view.secondary?.snapshot.topics.map((t) => t.name)).toContain('eu-only');
    expect(view.snapshot.topics.map((t) => t.name)).not.toContain('eu-only');
  });

  it('mirrors under the lab scheduler, even across one long time step', async () => {
    const { lab, messages } = await geoLab();
    await lab.exec(1, 'mirror start --topics orders --groups billing');
    await lab.exec(2, 'kafka-console-producer --bootstrap-server localhost:9092 --topic orders --message a --message b --message c');
    // Let the flow create its topics in real time, then stop the clock and jump a minute.
    for (let i = 0; i < 100; i++) {
      const status = lastSnapshot(messages);
      if (status?.t === 'snapshot' && status.secondary?.mirrors[0]?.state === 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    lab.time({ action: 'pause' });
    lab.time({ action: 'step', ms: 60_000 });
    await lab.exec(3, 'mirror status');
    expect(output(messages)).toMatch(/us-east->eu-west +mm2 +running +orders +us-east\.orders/);
    const remote = lab.view().secondary?.snapshot.topics.find((t) => t.name === 'us-east.orders');
    const primary = lab.view().snapshot.topics.find((t) => t.name === 'orders');
    expect(remote?.partitions.map((p) => p.highWatermark)).toEqual(primary?.partitions.map((p) => p.highWatermark));
    expect(remote?.partitions.reduce((n, p) => n + p.highWatermark, 0)).toBe(3);
    lab.time({ action: 'resume' });
    await new Promise((r) => setTimeout(r, 200));
    const snapshot = lastSnapshot(messages);
    expect(snapshot?.t === 'snapshot' && snapshot.secondary?.mirrors).toEqual([{ mode: 'mm2', source: 'us-east', target: 'eu-west', state: 'running', topics: [{ sourceTopic: 'orders', targetTopic: 'us-east.orders' }] }]);
  });

  it('answers learner code on the cluster its bootstrap servers name', async () => {
    const { lab } = await geoLab();
    await lab.exec(1, 'kafka-topics --bootstrap-server localhost:9192 --create --topic eu-only --partitions 1 --replication-factor 3');
    const secondary = await lab.client(1, 'metadata', { bootstrapServers: 'localhost:9192' });
    const primary = await lab.client(2, 'metadata', {});
    const names = (m: ServerMessage) => (m.t === 'client-result' && m.ok ? (m.value as { topics: { name: string }[] }).topics.map((t) => t.name) : []);
    expect(names(secondary)).toEqual(['eu-only']);
    expect(names(primary)).toEqual(['orders']);
  });

  it('refuses to rewind or share, saying why', async () => {
    const { lab } = await geoLab();
    const seq = lab.clusterApi.events().at(-1)!.seq;
    expect(await lab.rewind(seq)).toMatch(/not available in a two-cluster lab/);
    expect(() => lab.shareLink()).toThrow(/not available in a two-cluster lab/);
  });
});
