/**
 * The request path of module 2: one produce request through network thread, request queue,
 * I/O thread, purgatory, response queue and back, with Kafka's request metrics in the trace.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster';
import { runUntil, settle } from '../cluster/settle';
import type { TraceEvent } from '../cluster/api';
import { Scheduler } from '../sim/scheduler';
import type { TraceInput } from '../sim/trace';
import { RequestChannel, type RequestChannelLimits, type RequestCosts } from './request-channel';

interface Timings {
  apiKey: string;
  correlationId: number;
  clientId?: string;
  brokerId: number;
  errorCode: string;
  requestQueueTimeMs: number;
  localTimeMs: number;
  remoteTimeMs: number;
  responseQueueTimeMs: number;
  responseSendTimeMs: number;
  totalTimeMs: number;
  requestQueueSize: number;
  responseQueueSize: number;
  socketWaitMs: number;
}

const timingsOf = (events: readonly (TraceEvent | TraceInput)[], apiKey = 'Produce'): Timings[] =>
  events.filter((e) => e.type === 'request-completed' && e.data?.['apiKey'] === apiKey).map((e) => e.data as unknown as Timings);

const stagesSum = (t: Timings): number => t.requestQueueTimeMs + t.localTimeMs + t.remoteTimeMs + t.responseQueueTimeMs + t.responseSendTimeMs;

async function ready(seed = 7, config: Record<string, string> = {}) {
  const cluster = new Cluster({ seed, config: { 'replica.lag.time.max.ms': '10000', ...config } });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 1, replicationFactor: 3 }]));
  const p = cluster.snapshot().topics.find((t) => t.name === 'orders')!.partitions[0]!;
  // Let the followers settle into their long-poll fetches before measuring.
  cluster.advanceBy(100);
  return { cluster, leader: p.leader, followers: p.replicas.filter((r) => r !== p.leader) };
}

const produceTo = (cluster: Cluster, broker: number, acks: 0 | 1 | 'all', extra: { clientId?: string; correlationId?: number; value?: string } = {}) =>
  cluster.broker(broker).produce({ topic: 'orders', partition: 0, acks, records: [{ value: extra.value ?? 'v' }], ...extra } as Parameters<ReturnType<Cluster['broker']>['produce']>[0]);

describe('one produce request through the broker', () => {
  it('reports Kafka request metrics whose stages add up to the total the client waited', async () => {
    const { cluster, leader } = await ready();
    const sentMs = cluster.nowMs();
    const response = await settle(cluster, produceTo(cluster, leader, 'all', { clientId: 'console-producer', correlationId: 42 }));
    const waitedMs = cluster.nowMs() - sentMs;
    expect(response.error).toBeNull();
    const event = cluster.events().find((e) => e.type === 'request-completed' && e.data?.['correlationId'] === 42)!;
    expect(event).toMatchObject({ node: leader, topic: 'orders', partition: 0 });
    const t = event.data as unknown as Timings;
    expect(t).toMatchObject({ apiKey: 'Produce', clientId: 'console-producer', brokerId: leader, errorCode: 'NONE' });
    expect(stagesSum(t)).toBe(t.totalTimeMs);
    expect(t.totalTimeMs).toBe(waitedMs);
    expect(t.localTimeMs).toBe(1);
    expect(t.remoteTimeMs).toBeGreaterThan(0);
    expect(event.message).toContain('Produce #42 from console-producer for orders-0');
  });

  it('acks=all spends the wait for the followers as remote time; acks=1 has none', async () => {
    const { cluster, leader, followers } = await ready();
    // Followers report their fetch position 40 ms late, so the high watermark moves 40 ms later.
    for (const f of followers) cluster.faults.setLink(f, leader, { delayMs: 40 });
    await settle(cluster, produceTo(cluster, leader, 'all', { correlationId: 1 }));
    await settle(cluster, produceTo(cluster, leader, 1, { correlationId: 2 }));
    const [all, one] = timingsOf(cluster.events());
    expect(all!.remoteTimeMs).toBeGreaterThanOrEqual(40);
    expect(one!.remoteTimeMs).toBe(0);
    expect(all!.localTimeMs).toBe(one!.localTimeMs);
  });

  it('a slow disk on the leader raises LocalTimeMs; on a follower it raises RemoteTimeMs instead', async () => {
    const { cluster, leader, followers } = await ready();
    await settle(cluster, produceTo(cluster, leader, 'all'));
    cluster.faults.slowDisk(leader, 200);
    await settle(cluster, produceTo(cluster, leader, 'all'));
    cluster.faults.slowDisk(leader, 0);
    cluster.faults.slowDisk(followers[0]!, 200);
    await settle(cluster, produceTo(cluster, leader, 'all'));
    const [healthy, slowLeader, slowFollower] = timingsOf(cluster.events());
    expect(slowLeader!.localTimeMs).toBe(healthy!.localTimeMs + 200);
    expect(slowFollower!.localTimeMs).toBe(healthy!.localTimeMs);
    expect(slowFollower!.remoteTimeMs).toBeGreaterThanOrEqual(200);
  });
});

describe('queues under load', () => {
  it('a flood beyond the I/O threads waits in the request queue', async () => {
    const { cluster, leader } = await ready();
    const flood = Array.from({ length: 40 }, (_, i) => produceTo(cluster, leader, 1, { correlationId: 100 + i }));
    await settle(cluster, Promise.all(flood));
    const t = timingsOf(cluster.events());
    expect(t).toHaveLength(40);
    // Eight I/O threads, 1 ms each: requests 0-7 start at once, 8-15 wait 1 ms, and so on.
    expect(t.map((x) => x.requestQueueTimeMs)).toEqual(Array.from({ length: 40 }, (_, i) => Math.floor(i / 8)));
    expect(Math.max(...t.map((x) => x.requestQueueSize))).toBe(31);
    for (const x of t) expect(stagesSum(x)).toBe(x.totalTimeMs);
  });

  it('num.io.threads is a dynamic broker config: one thread serves the flood one by one', async () => {
    const { cluster, leader } = await ready();
    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'broker', name: '' }, [{ name: 'num.io.threads', value: '1' }]));
    await runUntil(cluster, () => cluster.brokerNode(leader)!.image.configs.size > 0);
    await settle(cluster, Promise.all(Array.from({ length: 6 }, () => produceTo(cluster, leader, 1))));
    expect(timingsOf(cluster.events()).map((x) => x.requestQueueTimeMs)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('queued.max.requests bounds the request queue: the network threads stop reading', async () => {
    const { cluster, leader } = await ready(7, { 'queued.max.requests': '5', 'num.io.threads': '1' });
    const flood = Array.from({ length: 20 }, (_, i) => produceTo(cluster, leader, 1, { correlationId: i }));
    const stats = cluster.brokerNode(leader)!.requestChannel.stats();
    expect(stats).toMatchObject({ requestQueueSize: 5, socketBacklog: 14, busyIoThreads: 1, inFlight: 20 });
    const responses = await settle(cluster, Promise.all(flood));
    expect(responses.every((r) => r.error === null)).toBe(true);
    const t = timingsOf(cluster.events());
    expect(t.map((x) => x.correlationId)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Never more than five ahead in the queue; the wait beyond that happened on the socket,
    // where the broker's metrics do not see it.
    expect(Math.max(...t.map((x) => x.requestQueueSize))).toBe(4);
    expect(Math.max(...t.map((x) => x.requestQueueTimeMs))).toBe(5);
    expect(t[19]!.socketWaitMs).toBe(14);
  });

  it('a broker that crashes with requests inside fails them with NETWORK_EXCEPTION and never answers later', async () => {
    const { cluster, leader } = await ready(7, { 'num.io.threads': '1' });
    const outcomes: string[] = [];
    const flood = Array.from({ length: 5 }, () => produceTo(cluster, leader, 1).then(() => 'answered', (error: { errorName?: string }) => error.errorName ?? 'error'));
    cluster.advanceBy(2);
    cluster.faults.crashNode(leader);
    outcomes.push(...(await settle(cluster, Promise.all(flood))));
    // Two had left the broker before the crash; the other three were still queued in it.
    expect(outcomes).toEqual(['answered', 'answered', 'NETWORK_EXCEPTION', 'NETWORK_EXCEPTION', 'NETWORK_EXCEPTION']);
    cluster.advanceBy(1_000);
    expect(timingsOf(cluster.events())).toHaveLength(2);
  });

  it('replays the same timings from the same seed', async () => {
    const run = async () => {
      const { cluster, leader, followers } = await ready(13);
      cluster.faults.slowDisk(followers[1]!, 30);
      const load = Array.from({ length: 30 }, (_, i) => produceTo(cluster, leader, i % 2 === 0 ? 'all' : 1, { value: 'x'.repeat(i * 100) }));
      await settle(cluster, Promise.all(load));
      return timingsOf(cluster.events());
    };
    const first = await run();
    expect(first).toHaveLength(30);
    expect(await run()).toEqual(first);
  });
});

describe('fetch long polls', () => {
  it('a fetch with no data waits fetch.max.wait.ms in purgatory', async () => {
    const { cluster, leader } = await ready();
    const fetched = await settle(cluster, cluster.broker(leader).fetch({ topic: 'orders', partition: 0, fetchOffset: 0, maxWaitMs: 250 }));
    expect(fetched.records).toEqual([]);
    const [t] = timingsOf(cluster.events(), 'Fetch');
    expect(t!.remoteTimeMs).toBe(250);
    expect(t!.totalTimeMs).toBe(250);
  });
});

/** A channel on its own scheduler, with handlers that answer at once or after a delay. */
function harness(limits: RequestChannelLimits, costs?: RequestCosts) {
  const scheduler = new Scheduler();
  const events: TraceInput[] = [];
  let token = 0;
  const channel: RequestChannel = new RequestChannel({
    brokerId: 1,
    nowMs: () => scheduler.nowMs(),
    armTimer: (atMs) => {
      const mine = ++token;
      scheduler.at(atMs, () => mine === token && channel.onTimer());
    },
    emit: (event) => events.push(event),
    diskDelayMs: () => 0,
    limits: () => limits,
    ...(costs === undefined ? {} : { costs }),
  });
  const done: number[] = [];
  const send = (correlationId: number, options: { connectionId?: string; responseBytes?: number; replyAfterMs?: number; apiKey?: string } = {}) =>
    channel.submit({
      apiKey: options.apiKey ?? 'Fetch',
      correlationId,
      requestBytes: 100,
      ...(options.connectionId === undefined ? {} : { connectionId: options.connectionId }),
      handle: (reply) => {
        const answer = () => reply({ responseBytes: options.responseBytes ?? 0, errorCode: 'NONE', deliver: () => done.push(correlationId) });
        if (options.replyAfterMs === undefined) answer();
        else scheduler.after(options.replyAfterMs, answer);
      },
      fail: () => undefined,
    });
  return { scheduler, events, send, done, channel };
}

describe('RequestChannel on its own', () => {
  const limits = { numNetworkThreads: 1, numIoThreads: 8, queuedMaxRequests: 500 };

  it('a large response holds the network thread: the next response waits in the response queue', () => {
    const h = harness(limits);
    h.send(1, { responseBytes: 12_500_000, replyAfterMs: 5 }); // 10 ms on a 10 Gbit/s socket, from 5 ms on
    h.send(2, { responseBytes: 100, replyAfterMs: 6 });
    h.scheduler.advanceTo(100);
    const t = timingsOf(h.events, 'Fetch');
    expect(t.map((x) => [x.correlationId, x.remoteTimeMs, x.responseQueueTimeMs, x.responseSendTimeMs, x.responseQueueSize, x.totalTimeMs])).toEqual([
      [1, 5, 0, 10, 0, 15],
      [2, 6, 9, 0, 1, 15],
    ]);
    expect(h.done).toEqual([1, 2]);
  });

  it('mutes a connection while one of its requests is in the broker', () => {
    const h = harness(limits);
    h.send(1, { connectionId: 'c1', replyAfterMs: 30 });
    h.send(2, { connectionId: 'c1' });
    h.send(3, { connectionId: 'c2' });
    h.scheduler.advanceTo(100);
    const t = timingsOf(h.events, 'Fetch');
    expect(t.map((x) => [x.correlationId, x.remoteTimeMs, x.socketWaitMs])).toEqual([
      [3, 0, 0],
      [1, 30, 0],
      [2, 0, 30],
    ]);
  });

  it('numbers requests itself and stays idle with nothing to do', () => {
    const h = harness(limits, { localBaseMs: { Produce: 2 }, defaultLocalBaseMs: 0, appendBytesPerMs: 100, networkBytesPerMs: 1e9 });
    h.channel.submit({ apiKey: 'Produce', requestBytes: 300, writesToLog: true, handle: (reply) => reply({ responseBytes: 0, errorCode: 'NONE', deliver: () => undefined }), fail: () => undefined });
    h.scheduler.advanceTo(50);
    const [t] = timingsOf(h.events);
    // 2 ms base and 300 bytes at 100 bytes/ms.
    expect(t).toMatchObject({ correlationId: 0, localTimeMs: 5, totalTimeMs: 5 });
    expect(h.channel.stats()).toEqual({ requestQueueSize: 0, socketBacklog: 0, busyIoThreads: 0, inFlight: 0 });
    expect(h.scheduler.nextEventTimeMs()).toBeNull();
  });
});
