/**
 * The group and transaction views against a real engine run: the adapters must read the
 * coordinators' own event names and data (group-join-completed, txn-state-changed,
 * txn-marker-written, ...), not a guessed vocabulary.
 */
import { describe, expect, it } from 'vitest';
import { Cluster, runUntil, settle } from '@kil/engine';
import { groupModelFromEvents, GroupView } from './GroupView';
import { transactionModelFromEvents, TransactionView } from './TransactionView';
import { attr, render, tagWith } from './test-utils';

async function cluster(): Promise<Cluster> {
  const c = new Cluster({ seed: 11, config: { 'offsets.topic.num.partitions': '3', 'transaction.state.log.num.partitions': '3' } });
  await runUntil(c, () => c.snapshot().brokers.every((b) => b.state === 'running'));
  await settle(c, c.admin.createTopics([{ name: 'orders', numPartitions: 4, replicationFactor: 3 }]));
  return c;
}

describe('views over real group and transaction events', () => {
  it('GroupView shows the generation, the assignor and each built-in consumer\'s partitions', async () => {
    const c = await cluster();
    const consumers = [0, 1].map(() => c.client.createConsumer({ groupId: 'billing', topics: ['orders'], assignor: 'roundrobin' }));
    for (const consumer of consumers) consumer.start();
    await runUntil(c, () => consumers.every((x) => x.state === 'STABLE' && x.assignment().length === 2), 60_000);
    const model = groupModelFromEvents(c.events(), 'billing')!;
    expect(model.state).toBe('Stable');
    expect(model.assignor).toBe('roundrobin');
    expect(model.generationId).toBe(consumers[0]!.generationId);
    expect(model.members.map((m) => m.memberId).sort()).toEqual(consumers.map((x) => x.memberId).sort());
    for (const consumer of consumers) {
      const member = model.members.find((m) => m.memberId === consumer.memberId)!;
      expect([...member.owned].sort()).toEqual(consumer.assignment().map((tp) => `${tp.topic}-${tp.partition}`).sort());
    }
    const html = render(<GroupView model={model} />);
    expect(attr(tagWith(html, 'data-testid', 'group-view'), 'data-state')).toBe('Stable');
    expect(attr(tagWith(html, 'data-testid', 'group-view'), 'data-generation')).toBe(String(model.generationId));
  });

  it('TransactionView follows the coordinator\'s states and the partitions\' markers', async () => {
    const c = await cluster();
    const producer = c.client.createProducer({ transactionalId: 'ledger' });
    await settle(c, producer.init());
    producer.beginTransaction();
    await settle(c, producer.send({ topic: 'orders', partition: 1, records: [{ value: 'a' }] }));
    const open = transactionModelFromEvents(c.events(), 'ledger')!;
    expect(open.state).toBe('Ongoing');
    expect(open.producerId).toBe(producer.producerId);
    expect(open.partitions.map((p) => [`${p.topic}-${p.partition}`, p.firstOffset, p.marker])).toEqual([['orders-1', 0, 'none']]);
    await settle(c, producer.abortTransaction());
    await runUntil(c, () => c.events().some((e) => e.type === 'txn-state-changed' && e.data?.['to'] === 'CompleteAbort'));
    const offsets = (topic: string, partition: number) => {
      const p = c.snapshot().topics.find((t) => t.name === topic)!.partitions[partition]!;
      return { lastStableOffset: p.lastStableOffset, highWatermark: p.highWatermark };
    };
    const done = transactionModelFromEvents(c.events(), 'ledger', offsets)!;
    expect(done.state).toBe('CompleteAbort');
    expect(done.partitions.map((p) => [`${p.topic}-${p.partition}`, p.marker])).toEqual([['orders-1', 'abort']]);
    expect(done.coordinatorId).not.toBeNull();
    const html = render(<TransactionView model={done} />);
    expect(attr(tagWith(html, 'data-txn-state', 'CompleteAbort'), 'aria-current')).toBe('step');
  });
});
