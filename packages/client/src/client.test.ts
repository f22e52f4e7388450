import { describe, expect, it } from 'vitest';
import { cooperativeStickyAssignor, rangeAssignor, roundRobinAssignor } from './assignors';
import { Kafka } from './index';
import { KafkaClientError, type ClientOp, type Transport } from './protocol';

/** A transport that records requests and answers from a table, like a tiny broker. */
function scripted(answer: (op: ClientOp, args: Readonly<Record<string, unknown>>) => unknown): Transport & { calls: [ClientOp, Readonly<Record<string, unknown>>][] } {
  const calls: [ClientOp, Readonly<Record<string, unknown>>][] = [];
  return {
    calls,
    async request(op, args) {
      calls.push([op, args]);
      // The lab's `wait` takes lab time; here a macrotask, so anything answered at once wins a race with it.
      if (op === 'wait') return new Promise((resolve) => setTimeout(() => resolve({}), 5));
      return answer(op, args);
    },
  };
}

const sub = (topics: string[], owned: { topic: string; partition: number }[] = []) => ({ topics, ownedPartitions: owned });

describe('assignors', () => {
  it('range gives consecutive partitions per topic', () => {
    const plan = rangeAssignor.assign({ partitionsPerTopic: { clicks: 5 }, members: { a: sub(['clicks']), b: sub(['clicks']) } });
    expect(plan).toEqual({ a: [0, 1, 2].map((p) => ({ topic: 'clicks', partition: p })), b: [3, 4].map((p) => ({ topic: 'clicks', partition: p })) });
  });

  it('round robin deals partitions in turn', () => {
    const plan = roundRobinAssignor.assign({ partitionsPerTopic: { t: 4 }, members: { a: sub(['t']), b: sub(['t']) } });
    expect(plan.a?.map((tp) => tp.partition)).toEqual([0, 2]);
    expect(plan.b?.map((tp) => tp.partition)).toEqual([1, 3]);
  });

  it('cooperative-sticky keeps owned partitions and only revokes what must move', () => {
    const all = (ps: number[]) => ps.map((p) => ({ topic: 't', partition: p }));
    const plan = cooperativeStickyAssignor.assign({
      partitionsPerTopic: { t: 6 },
      members: { a: sub(['t'], all([0, 1, 2])), b: sub(['t'], all([3, 4, 5])), c: sub(['t']) },
    });
    // Each old member keeps two of its three; the third of each is revoked, not yet given to c.
    expect(plan.a).toHaveLength(2);
    expect(plan.b).toHaveLength(2);
    expect(plan.c).toEqual([]);
    for (const tp of [...(plan.a ?? []), ...(plan.b ?? [])]) expect([0, 1, 2, 3, 4, 5]).toContain(tp.partition);
    const second = cooperativeStickyAssignor.assign({
      partitionsPerTopic: { t: 6 },
      members: { a: sub(['t'], plan.a), b: sub(['t'], plan.b), c: sub(['t']) },
    });
    expect(second.c).toHaveLength(2);
    expect(second.a).toEqual(plan.a);
  });
});

describe('producer', () => {
  it('partitions keyed records like the Java client and numbers sequences per partition', async () => {
    const transport = scripted((op) => {
      if (op === 'metadata') return { brokers: [], topics: [{ name: 't', partitions: [0, 1, 2].map((p) => ({ partition: p, leader: 1, replicas: [1], isr: [1] })) }] };
      if (op === 'initProducerId') return { producerId: 7, producerEpoch: 0 };
      return { baseOffset: 0 };
    });
    const producer = new Kafka(transport).producer();
    await producer.send({ topic: 't', key: 'foobar', value: 'x' });
    await producer.send({ topic: 't', key: 'foobar', value: 'y' });
    const produces = transport.calls.filter(([op]) => op === 'produce').map(([, args]) => args);
    // murmur2("foobar") = -790332482; & 0x7fffffff = 1357151166, which is 0 mod 3.
    expect(produces.map((a) => [a.partition, a.baseSequence, a.producerId])).toEqual([
      [0, 0, 7],
      [0, 1, 7],
    ]);
  });

  it('runs the transaction protocol in order and refuses calls out of order', async () => {
    const transport = scripted((op) => (op === 'initProducerId' ? { producerId: 3, producerEpoch: 1 } : op === 'produce' ? { baseOffset: 5 } : {}));
    const producer = new Kafka(transport).producer({ transactionalId: 'tx' });
    await expect(producer.send({ topic: 't', partition: 0, value: 'v' })).rejects.toMatchObject({ code: 'INVALID_TXN_STATE' });
    await producer.initTransactions();
    producer.beginTransaction();
    await producer.send({ topic: 't', partition: 0, value: 'a' });
    await producer.send({ topic: 't', partition: 0, value: 'b' });
    await producer.sendOffsetsToTransaction([{ topic: 'in', partition: 0, offset: 4 }], { groupId: 'g', generationId: 2, memberId: 'm', groupInstanceId: null });
    await producer.commitTransaction();
    expect(transport.calls.map(([op]) => op)).toEqual(['initProducerId', 'addPartitionsToTxn', 'produce', 'produce', 'addOffsetsToTxn', 'txnOffsetCommit', 'endTxn']);
    expect(transport.calls.at(-1)?.[1]).toMatchObject({ transactionalId: 'tx', producerId: 3, producerEpoch: 1, committed: true });
  });

  it('stays fenced once a newer producer has taken the transactional id', async () => {
    const transport = scripted((op) => {
      if (op === 'initProducerId') return { producerId: 3, producerEpoch: 1 };
      if (op === 'addPartitionsToTxn') throw new KafkaClientError({ code: 'PRODUCER_FENCED', message: 'fenced' });
      return {};
    });
    const producer = new Kafka(transport).producer({ transactionalId: 'tx' });
    await producer.initTransactions();
    producer.beginTransaction();
    await expect(producer.send({ topic: 't', partition: 0, value: 'a' })).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
    await expect(producer.commitTransaction()).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
  });
});

describe('consumer', () => {
  it('joins as leader, assigns with its assignor, and tells the listener', async () => {
    const transport = scripted((op, args) => {
      if (op === 'joinGroup') return { generationId: 1, protocolName: 'range', leader: 'm1', memberId: 'm1', skipAssignment: false, members: [{ memberId: 'm1', groupInstanceId: null, subscription: (args.protocols as { subscription: unknown }[])[0]!.subscription }] };
      if (op === 'metadata') return { brokers: [], topics: [{ name: 't', partitions: [0, 1].map((p) => ({ partition: p, leader: 1, replicas: [1], isr: [1] })) }] };
      if (op === 'syncGroup') return { assignment: (args.assignments as { assignment: unknown }[])[0]!.assignment };
      if (op === 'offsetFetch') return { offsets: [{ topic: 't', partition: 0, offset: 3 }, { topic: 't', partition: 1, offset: -1 }] };
      if (op === 'listOffsets') return { offset: 0 };
      if (op === 'fetch') return { partitions: [{ topic: 't', partition: 0, highWatermark: 5, lastStableOffset: 5, logStartOffset: 0, error: null, records: [{ topic: 't', partition: 0, offset: 3, timestampMs: 0, key: null, value: 'v', headers: [] }] }] };
      return {};
    });
    const consumer = new Kafka(transport).consumer({ groupId: 'g', partitionAssignmentStrategy: ['range'], autoOffsetReset: 'earliest' });
    const assigned: number[] = [];
    consumer.subscribe(['t'], { onPartitionsAssigned: (tps) => void assigned.push(...tps.map((tp) => tp.partition)) });
    const records = await consumer.poll(100);
    expect(assigned).toEqual([0, 1]);
    expect(records.map((r) => r.offset)).toEqual([3]);
    expect(consumer.position({ topic: 't', partition: 0 })).toBe(4);
    expect(consumer.position({ topic: 't', partition: 1 })).toBe(0);
    const sync = transport.calls.find(([op]) => op === 'syncGroup')![1];
    expect(sync).toMatchObject({ generationId: 1, memberId: 'm1', protocolName: 'range' });
  });

  it('rejoins and revokes everything (eager) when a heartbeat says a rebalance is on', async () => {
    let generation = 0;
    let heartbeats = 0;
    const transport = scripted((op, args) => {
      if (op === 'joinGroup') return { generationId: ++generation, protocolName: 'range', leader: 'm1', memberId: 'm1', skipAssignment: false, members: [{ memberId: 'm1', groupInstanceId: null, subscription: (args.protocols as { subscription: unknown }[])[0]!.subscription }] };
      if (op === 'heartbeat' && heartbeats++ === 0) throw new KafkaClientError({ code: 'REBALANCE_IN_PROGRESS', message: 'rebalancing' });
      if (op === 'metadata') return { brokers: [], topics: [{ name: 't', partitions: [{ partition: 0, leader: 1, replicas: [1], isr: [1] }] }] };
      if (op === 'syncGroup') return { assignment: (args.assignments as { assignment: unknown }[])[0]!.assignment };
      if (op === 'offsetFetch') return { offsets: [] };
      if (op === 'listOffsets') return { offset: 0 };
      if (op === 'fetch') return { partitions: [] };
      return {};
    });
    const consumer = new Kafka(transport).consumer({ groupId: 'g', partitionAssignmentStrategy: ['range'] });
    const revoked: number[][] = [];
    consumer.subscribe(['t'], { onPartitionsRevoked: (tps) => void revoked.push(tps.map((tp) => tp.partition)) });
    await consumer.poll(10);
    await consumer.poll(10);
    expect(generation).toBe(2);
    expect(revoked).toEqual([[0]]);
    expect(consumer.groupMetadata().generationId).toBe(2);
  });

  it('returns from poll after its timeout while JoinGroup is held, and finishes the rebalance in the background', async () => {
    let release: (() => void) | null = null;
    const transport = scripted(async (op, args) => {
      if (op === 'joinGroup') {
        // The coordinator holds the join until the other members have rejoined.
        await new Promise<void>((resolve) => (release = resolve));
        return { generationId: 1, protocolName: 'range', leader: 'm1', memberId: 'm1', skipAssignment: false, members: [{ memberId: 'm1', groupInstanceId: null, subscription: (args.protocols as { subscription: unknown }[])[0]!.subscription }] };
      }
      if (op === 'metadata') return { brokers: [], topics: [{ name: 't', partitions: [{ partition: 0, leader: 1, replicas: [1], isr: [1] }] }] };
      if (op === 'syncGroup') return { assignment: (args.assignments as { assignment: unknown }[])[0]!.assignment };
      if (op === 'offsetFetch') return { offsets: [] };
      if (op === 'listOffsets') return { offset: 0 };
      if (op === 'fetch') return { partitions: [] };
      return {};
    });
    const consumer = new Kafka(transport).consumer({ groupId: 'g', partitionAssignmentStrategy: ['range'] });
    consumer.subscribe(['t']);
    expect(await consumer.poll(10)).toEqual([]);
    expect(consumer.assignment()).toEqual([]);
    // A second poll does not send another JoinGroup: the first is still under way.
    expect(await consumer.poll(10)).toEqual([]);
    expect(transport.calls.filter(([op]) => op === 'joinGroup')).toHaveLength(1);
    release!();
    await consumer.poll(10);
    expect(consumer.assignment()).toEqual([{ topic: 't', partition: 0 }]);
  });
});

describe('Kafka.cluster', () => {
  it('names the bootstrap servers in every request, for labs of two clusters', async () => {
    const transport = scripted(() => ({ brokers: [], topics: [] }));
    await new Kafka(transport).cluster('localhost:9192').admin().listTopics();
    expect(transport.calls[0]).toEqual(['metadata', { bootstrapServers: 'localhost:9192' }]);
  });
});
