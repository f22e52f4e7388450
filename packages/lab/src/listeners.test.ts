import { createServer, connect, type Server } from 'node:net';
import { Cluster, runUntil } from '@kil/engine';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from './lab';
import { everyBrokerSeesEveryBroker, KafkaListeners, ListenerPortsExhaustedError } from './listeners';
import { RealTimeScheduler } from './scheduler';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function readyCluster(): Promise<Cluster> {
  const cluster = new Cluster({ seed: 3 });
  expect(await runUntil(cluster, everyBrokerSeesEveryBroker(cluster))).toBe(true);
  return cluster;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function eventually(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('KafkaListeners', () => {
  it('gives every broker its own port from the range, skipping ports in use, and advertises them', async () => {
    const cluster = await readyCluster();
    const first = await freePort();
    await occupy(first + 1);
    const listeners = await KafkaListeners.start(cluster, { ports: { first, last: first + 10 } });
    cleanups.push(() => listeners.close());
    expect([1, 2, 3].map((id) => listeners.address(id)?.port)).toEqual([first, first + 2, first + 3]);
    expect(listeners.bootstrapServers()).toBe(`127.0.0.1:${first},127.0.0.1:${first + 2},127.0.0.1:${first + 3}`);
    const scheduler = new RealTimeScheduler(cluster);
    cleanups.push(() => scheduler.dispose());
    const kafka = new Kafka({ clientId: 'listeners', brokers: [listeners.bootstrapServers().split(',')[1] as string], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const described = await admin.describeCluster();
    expect(described.brokers.map((b) => b.port).sort()).toEqual([first, first + 2, first + 3]);
  });

  it('fails with a clear error when the range has too few free ports, and releases what it bound', async () => {
    const cluster = await readyCluster();
    const first = await freePort();
    await expect(KafkaListeners.start(cluster, { ports: { first, last: first + 1 } })).rejects.toBeInstanceOf(ListenerPortsExhaustedError);
    expect(await accepts(first)).toBe(false);
  });

  it('closes a stopped broker’s port and reopens the same port when it starts again', async () => {
    const cluster = await readyCluster();
    const scheduler = new RealTimeScheduler(cluster);
    cleanups.push(() => scheduler.dispose());
    const listeners = await KafkaListeners.start(cluster, { onWork: () => scheduler.poke() });
    cleanups.push(() => listeners.close());
    const port = listeners.address(2)?.port as number;
    expect(await accepts(port)).toBe(true);
    cluster.faults.stopNode(2);
    scheduler.poke();
    expect(await eventually(async () => !(await accepts(port)))).toBe(true);
    expect(listeners.isListening(2)).toBe(false);
    cluster.faults.startNode(2);
    scheduler.poke();
    expect(await eventually(() => accepts(port))).toBe(true);
    expect(listeners.address(2)?.port).toBe(port);
  });
});

describe('Lab.enableKafkaListeners', () => {
  it('is off by default, then serves a kafkajs admin and closes with the lab', async () => {
    const lab = await Lab.start('listeners-lab', { seed: 5 });
    let disposed = false;
    cleanups.push(() => {
      if (!disposed) lab.dispose();
    });
    const listeners = await lab.enableKafkaListeners({ ports: 'ephemeral' });
    expect(await lab.enableKafkaListeners()).toBe(listeners);
    const kafka = new Kafka({ clientId: 'lab', brokers: listeners.bootstrapServers().split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: 'from-kafkajs', numPartitions: 2, replicationFactor: 2 }] })).toBe(true);
    await admin.disconnect();
    expect(lab.clusterApi.snapshot().topics.map((t) => t.name)).toContain('from-kafkajs');
    const port = listeners.address(1)?.port as number;
    lab.dispose();
    disposed = true;
    expect(await eventually(async () => !(await accepts(port)))).toBe(true);
  });
});
