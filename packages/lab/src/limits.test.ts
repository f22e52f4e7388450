import { describe, expect, it } from 'vitest';
import { Cluster, encodeRecordBatch, KafkaError, type ClusterApi, type NewTopic } from '@kil/engine';
import { fastForward, fastForwardUntil } from './fast-forward';
import { boundedCluster, defaultLabLimits, LabLimiter, measureUsage, type LabLimits } from './limits';
import type { WallClock } from './scheduler';

/** A wall clock the test moves by hand; the limiter only reads it. */
function manualWall(): WallClock & { advance(ms: number): void } {
  let now = 0;
  return {
    nowMs: () => now,
    setTimer: () => () => {},
    advance(ms: number) {
      now += ms;
    },
  };
}

async function bounded(limits: Partial<LabLimits>, brokers = 3): Promise<{ cluster: Cluster; api: ClusterApi; wall: ReturnType<typeof manualWall> }> {
  const cluster = new Cluster({ seed: 7, brokers, controllers: 1 });
  await fastForwardUntil(cluster, () => {
    const s = cluster.snapshot();
    return s.activeControllerId !== null && s.brokers.every((b) => b.state === 'running');
  });
  const wall = manualWall();
  const api = boundedCluster(cluster, new LabLimiter(cluster, { ...defaultLabLimits, ...limits }, wall));
  return { cluster, api, wall };
}

const topic = (name: string, numPartitions = 1, replicationFactor = 1): NewTopic => ({ name, numPartitions, replicationFactor });

async function create(api: ClusterApi, ...topics: NewTopic[]) {
  const results = await fastForward(api, api.admin.createTopics(topics));
  await fastForwardUntil(api, () => api.snapshot().topics.every((t) => t.partitions.every((p) => p.leader !== -1)));
  return results;
}

async function produce(api: ClusterApi, name: string, values: readonly string[]) {
  return fastForward(api, api.client.produce({ topic: name, partition: 0, acks: 1, records: values.map((value) => ({ value })) }));
}

describe('LabLimiter: topics and partitions', () => {
  it('refuses topics past topicsMax with POLICY_VIOLATION, and works again after a delete', async () => {
    const { api } = await bounded({ topicsMax: 2 });
    const results = await create(api, topic('a'), topic('b'), topic('c'));
    expect(results.map((r) => r.error?.errorName ?? 'NONE')).toEqual(['NONE', 'NONE', 'POLICY_VIOLATION']);
    expect(results[2]?.error?.message).toContain('at most 2 topics');
    expect(results[2]?.error?.suggestion).toContain('--delete');
    expect(api.snapshot().topics.map((t) => t.name).sort()).toEqual(['a', 'b']);
    await fastForward(api, api.admin.deleteTopics(['a']));
    await fastForwardUntil(api, () => !api.snapshot().topics.some((t) => t.name === 'a'));
    expect((await create(api, topic('c')))[0]?.error).toBeNull();
  });

  it('answers an existing name with TOPIC_ALREADY_EXISTS even at the limit', async () => {
    const { api } = await bounded({ topicsMax: 1 });
    await create(api, topic('a'));
    const [again] = await create(api, topic('a'));
    expect(again?.error?.errorName).toBe('TOPIC_ALREADY_EXISTS');
  });

  it('bounds partitions per topic and in total', async () => {
    const { api } = await bounded({ partitionsPerTopicMax: 4, partitionsMax: 6 });
    const [tooWide] = await create(api, topic('wide', 5));
    expect(tooWide?.error?.errorName).toBe('POLICY_VIOLATION');
    expect(tooWide?.error?.suggestion).toContain('--partitions 4');
    const results = await create(api, topic('a', 4), topic('b', 3), topic('c', 2));
    expect(results.map((r) => r.error?.errorName ?? 'NONE')).toEqual(['NONE', 'POLICY_VIOLATION', 'NONE']);
    expect(results[1]?.error?.message).toContain('at most 6 partitions');
    expect(measureUsage(api).partitions).toBe(6);
  });

  it('does not overshoot when many creates race to the controller', async () => {
    const { api } = await bounded({ topicsMax: 3 });
    const racing = ['r1', 'r2', 'r3', 'r4', 'r5'].map((name) => api.admin.createTopics([topic(name)]));
    const results = (await fastForward(api, Promise.all(racing))).flat();
    expect(results.filter((r) => r.error === null)).toHaveLength(3);
    expect(results.filter((r) => r.error?.errorName === 'POLICY_VIOLATION')).toHaveLength(2);
  });

  it('validateOnly does not reserve room', async () => {
    const { api } = await bounded({ topicsMax: 1 });
    await fastForward(api, api.admin.createTopics([topic('a')], { validateOnly: true }));
    expect((await create(api, topic('a')))[0]?.error).toBeNull();
  });

  it('guards per-broker creates and automatic creation on metadata', async () => {
    const { api } = await bounded({ topicsMax: 1 });
    await create(api, topic('a'));
    const [viaBroker] = await fastForward(api, api.broker(1).createTopics([topic('b')]));
    expect(viaBroker?.error?.errorName).toBe('POLICY_VIOLATION');
    const auto = api.broker(1).metadata(['auto-made'], { autoCreate: true });
    await expect(auto).rejects.toMatchObject({ errorName: 'POLICY_VIOLATION' });
    // Reading metadata of existing topics is never limited.
    const known = await fastForward(api, api.broker(1).metadata(['a'], { autoCreate: true }));
    expect(known.topics[0]?.error).toBeNull();
  });

  it('refuses a broker past brokersMax', async () => {
    const { api } = await bounded({ brokersMax: 3 });
    expect(() => api.faults.addBroker()).toThrow(KafkaError);
    expect(() => api.faults.addBroker()).toThrow(/at most 3 brokers/);
    await expect(api.admin.addBroker()).rejects.toMatchObject({ errorName: 'POLICY_VIOLATION' });
  });
});

describe('LabLimiter: writes', () => {
  it('bounds retained records over all replicas, and a delete makes room again', async () => {
    const { api, wall } = await bounded({ retainedRecordsMax: 30 });
    await create(api, topic('t', 1, 3));
    expect((await produce(api, 't', ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])).error).toBeNull();
    // Three replicas of ten records: the next write does not fit.
    await fastForwardUntil(api, () => measureUsage(api).retainedRecords === 30);
    wall.advance(1000);
    const refused = await produce(api, 't', ['11']);
    expect(refused.error?.errorName).toBe('POLICY_VIOLATION');
    expect(refused.error?.message).toContain('at most 30 records');
    await create(api, topic('u', 1, 1));
    await fastForward(api, api.admin.deleteTopics(['t']));
    await fastForwardUntil(api, () => measureUsage(api).retainedRecords === 0);
    expect((await produce(api, 'u', ['ok'])).error).toBeNull();
  });

  it('bounds retained bytes', async () => {
    const { api } = await bounded({ retainedBytesMax: 4096 });
    await create(api, topic('t'));
    expect((await produce(api, 't', ['x'.repeat(3000)])).error).toBeNull();
    const refused = await produce(api, 't', ['y'.repeat(3000)]);
    expect(refused.error?.errorName).toBe('POLICY_VIOLATION');
    expect(refused.error?.suggestion).toContain('retention');
  });

  it('bounds log segments (files)', async () => {
    const { api, wall } = await bounded({ segmentsMax: 4 });
    await fastForward(api, api.admin.createTopics([{ ...topic('t'), configs: { 'segment.bytes': '200' } }]));
    await fastForwardUntil(api, () => api.snapshot().topics.some((t) => t.partitions[0]?.leader !== -1));
    let refusal = null;
    for (let i = 0; i < 10 && refusal === null; i++) {
      wall.advance(1000);
      refusal = (await produce(api, 't', ['z'.repeat(80)])).error;
    }
    expect(refusal?.errorName).toBe('POLICY_VIOLATION');
    expect(refusal?.message).toContain('segments');
    expect(measureUsage(api).segments).toBeGreaterThanOrEqual(4);
  });

  it('throttles the write rate with THROTTLING_QUOTA_EXCEEDED and recovers as wall time passes', async () => {
    const { api, wall } = await bounded({ produceRecordsPerSecondMax: 10, produceBurstS: 1 });
    await create(api, topic('t'));
    const ten = Array.from({ length: 10 }, (_, i) => String(i));
    expect((await produce(api, 't', ten)).error).toBeNull();
    const throttled = await produce(api, 't', ['one more']);
    expect(throttled.error?.errorName).toBe('THROTTLING_QUOTA_EXCEEDED');
    expect(throttled.error?.suggestion).toBeTruthy();
    wall.advance(500);
    expect((await produce(api, 't', ['1', '2', '3', '4', '5'])).error).toBeNull();
  });

  it('counts the records of a pre-encoded batch sent to one broker', async () => {
    const { api } = await bounded({ produceRecordsPerSecondMax: 5, produceBurstS: 1 });
    await create(api, topic('t'));
    const leader = api.snapshot().topics.find((t) => t.name === 't')?.partitions[0]?.leader ?? 1;
    const batch = encodeRecordBatch({ records: Array.from({ length: 6 }, (_, i) => ({ key: null, value: new TextEncoder().encode(String(i)), timestamp: 0, headers: [] })) });
    const first = await fastForward(api, api.broker(leader).produce({ topic: 't', partition: 0, acks: 1, batch }));
    // A batch bigger than the whole burst is let through on a full bucket, then the bucket is empty.
    expect(first.error).toBeNull();
    const second = await fastForward(api, api.broker(leader).produce({ topic: 't', partition: 0, acks: 1, batch }));
    expect(second.error?.errorName).toBe('THROTTLING_QUOTA_EXCEEDED');
    expect(second.brokerId).toBe(leader);
  });
});

describe('LabLimiter: in-lab clients', () => {
  it('bounds running producers and consumers, and a closed one makes room', async () => {
    const { api } = await bounded({ clientsMax: 2 });
    await create(api, topic('t'));
    const first = api.client.createProducer({ acks: 1 });
    api.client.createConsumer({ groupId: 'g', topics: ['t'] });
    expect(() => api.client.createConsumer({ groupId: 'g', topics: ['t'] })).toThrow(/at most 2 producers and consumers/);
    expect(() => api.client.createProducer()).toThrow(KafkaError);
    first.close();
    expect(() => api.client.createProducer({ acks: 1 })).not.toThrow();
  });

  it('puts a producer’s sends under the write quota', async () => {
    const { api, wall } = await bounded({ produceRecordsPerSecondMax: 2, produceBurstS: 1 });
    await create(api, topic('t'));
    const producer = api.client.createProducer({ acks: 1 });
    const send = (value: string) => fastForward(api, producer.send({ topic: 't', partition: 0, records: [{ value }] }));
    expect((await send('a')).error).toBeNull();
    expect((await send('b')).error).toBeNull();
    expect((await send('c')).error?.errorName).toBe('THROTTLING_QUOTA_EXCEEDED');
    wall.advance(1_000);
    expect((await send('d')).error).toBeNull();
  });
});
