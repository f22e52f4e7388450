import { describe, expect, it } from 'vitest';
import { Cluster, runUntil, settle } from '@kil/engine';
import { BuiltInClients } from './clients';

async function start(): Promise<{ cluster: Cluster; clients: BuiltInClients }> {
  const cluster = new Cluster({ seed: 7 });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'), 30_000);
  await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 6, replicationFactor: 3 }]));
  return { cluster, clients: new BuiltInClients(() => cluster) };
}

const consumerRows = (clients: BuiltInClients) => clients.list().filter((c) => c.kind === 'consumer');

describe('built-in lab clients', () => {
  it('runs a consumer group that shares the partitions, consumes what a producer writes and commits it', async () => {
    const { cluster, clients } = await start();
    const names = await settle(cluster, clients.startConsumers({ group: 'payments', topic: 'orders', count: 3, assignor: 'cooperative-sticky' }));
    expect(names).toEqual(['consumer-1', 'consumer-2', 'consumer-3']);
    expect(await runUntil(cluster, () => consumerRows(clients).every((c) => c.state === 'STABLE' && /partitions=\d,\d /.test(c.description)), 60_000)).toBe(true);

    const producer = await settle(cluster, clients.startProducer({ topic: 'orders', rate: 20 }));
    expect(producer).toBe('producer-1');
    await settle(cluster, cluster.sleep(10_000));
    const row = clients.list().find((c) => c.name === 'producer-1')!;
    expect(row.state).toBe('running');
    const sent = Number(/sent=(\d+)/.exec(row.description)![1]);
    expect(sent).toBeGreaterThan(150);
    // Once the producer stops, the consumers catch up and auto-commit (every 5 s): no lag is left.
    expect(await settle(cluster, clients.stop('producer-1'))).toBe(1);
    await settle(cluster, cluster.sleep(6_000));
    const total = Number(/sent=(\d+)/.exec(clients.list().find((c) => c.name === 'producer-1')?.description ?? `sent=${sent}`)![1]);
    const consumed = consumerRows(clients).reduce((n, c) => n + Number(/consumed=(\d+)/.exec(c.description)![1]), 0);
    expect(consumed).toBe(total);
    const offsets = await settle(cluster, cluster.admin.listConsumerGroupOffsets('payments'));
    expect(offsets.every((o) => o.lag === 0)).toBe(true);
    expect(offsets.reduce((n, o) => n + o.committedOffset, 0)).toBe(total);

    expect(await settle(cluster, clients.stop('consumer-2'))).toBe(1);
    expect(await runUntil(cluster, () => consumerRows(clients).length === 2 && consumerRows(clients).every((c) => c.state === 'STABLE' && /partitions=\d,\d,\d /.test(c.description)), 60_000)).toBe(true);
    expect(cluster.events().some((e) => e.type === 'consumer-partitions-revoked')).toBe(true);
    expect(await settle(cluster, clients.stop('all'))).toBe(2);
    expect(clients.list()).toEqual([]);
  });

  it('a transactional producer commits every second; a second one with the same id fences it', async () => {
    const { cluster, clients } = await start();
    const first = await settle(cluster, clients.startProducer({ topic: 'orders', rate: 10, transactionalId: 'tx-demo' }));
    await settle(cluster, cluster.sleep(5_000));
    expect(clients.list().find((c) => c.name === first)?.state).toBe('running');
    const committed = cluster.events().filter((e) => e.type === 'producer-txn-committed').length;
    expect(committed).toBeGreaterThanOrEqual(3);

    const second = await settle(cluster, clients.startProducer({ topic: 'orders', rate: 10, transactionalId: 'tx-demo' }));
    expect(await runUntil(cluster, () => clients.list().find((c) => c.name === first)?.state === 'fenced', 30_000)).toBe(true);
    await settle(cluster, cluster.sleep(3_000));
    expect(clients.list().find((c) => c.name === second)?.state).toBe('running');
    expect(clients.list().find((c) => c.name === second)?.description).toContain('transactional.id=tx-demo');
    const read = await settle(cluster, cluster.client.fetch({ topic: 'orders', partition: 0, fetchOffset: 0, maxWaitMs: 0, isolationLevel: 'read_committed' }));
    expect(read.records.length).toBeGreaterThan(0);
    expect(cluster.events().some((e) => e.type === 'txn-producer-fenced')).toBe(true);
  });

  it('an idempotent producer gets a producer id; clients of a replaced cluster disappear', async () => {
    const { cluster, clients } = await start();
    await settle(cluster, clients.startProducer({ topic: 'orders', rate: 5, idempotent: true, acks: 'all' }));
    await settle(cluster, cluster.sleep(2_000));
    expect(clients.list()[0]?.description).toMatch(/idempotent pid=\d+ epoch=0 sent=\d+/);
    const other = new BuiltInClients(() => new Cluster({ seed: 8 }));
    expect(other.list()).toEqual([]);
  });
});
