/**
 * The engine's own figures, without a Lab around it:
 * - cluster start: wall time from `new Cluster` (3 brokers, 3 controllers) until every
 *   broker is registered and unfenced, driving the scheduler directly; median of 30 seeds.
 * - simulated events per second: a busy cluster (a perf-test-like producer and a consumer
 *   per partition) driven as tests and labs drive it, with promise callbacks between events.
 * - request timings: Kafka's TotalTimeMs (virtual ms) of 1,000 produce requests, from the
 *   brokers' `request-completed` trace events, under a kafka-producer-perf-test-like load
 *   (5 requests in flight per broker) and under a flood (200 in flight) that outruns the
 *   I/O threads and shows up as RequestQueueTimeMs.
 */
import { Cluster, runUntil, settle, type TraceEvent } from '@kil/engine';
import type { BenchResult } from '../bench';

const topic = 'bench';
const partitions = 3;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const sortedBy = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

function allUnfenced(cluster: Cluster): boolean {
  return cluster.brokerIds.every((id) => {
    const node = cluster.brokerNode(id);
    return node !== null && node.state === 'running' && !node.fenced;
  });
}

function startOnce(seed: number): number {
  const started = performance.now();
  const cluster = new Cluster({ seed, brokers: 3, controllers: 3 });
  while (!allUnfenced(cluster)) {
    const next = cluster.nextEventTimeMs();
    if (next === null) throw new Error(`seed ${seed}: the cluster went idle before every broker was unfenced`);
    cluster.advanceTo(next);
  }
  return performance.now() - started;
}

async function busyCluster(seed: number): Promise<Cluster> {
  const cluster = new Cluster({ seed });
  await runUntil(cluster, () => allUnfenced(cluster));
  await settle(cluster, cluster.admin.createTopics([{ name: topic, numPartitions: partitions, replicationFactor: 3 }]));
  return cluster;
}

/** Sends `count` acks=all produce requests of 100 records x 100 bytes, `inFlightMax` at a time, round robin over the partitions. */
function produceLoad(cluster: Cluster, count: number, inFlightMax: number): Promise<void> {
  const records = Array.from({ length: 100 }, () => ({ value: new Uint8Array(100).fill(65) }));
  let sent = 0;
  let answered = 0;
  return new Promise((resolve, reject) => {
    const sendOne = (): void => {
      const partition = sent++ % partitions;
      cluster.client.produce({ topic, partition, acks: 'all', records }).then(() => {
        answered++;
        if (sent < count) sendOne();
        else if (answered === count) resolve();
      }, reject);
    };
    for (let i = 0; i < Math.min(inFlightMax, count); i++) sendOne();
  });
}

/** A consumer per partition that fetches from where it stopped until `stop()` holds. */
function consumeLoad(cluster: Cluster, stop: () => boolean): Promise<number> {
  let consumed = 0;
  const loop = async (partition: number): Promise<void> => {
    let offset = 0;
    while (!stop()) {
      const fetched = await cluster.client.fetch({ topic, partition, fetchOffset: offset, maxWaitMs: 100 });
      consumed += fetched.records.length;
      offset = fetched.records.at(-1)?.offset === undefined ? offset : fetched.records.at(-1)!.offset + 1;
    }
  };
  return Promise.all(Array.from({ length: partitions }, (_, p) => loop(p))).then(() => consumed);
}

async function eventsPerSecond(): Promise<{ eventsPerSecond: number; events: number; wallMs: number }> {
  const cluster = await busyCluster(11);
  const before = cluster.scheduler.executed;
  const started = performance.now();
  let producing = true;
  const consuming = consumeLoad(cluster, () => !producing);
  const produced = produceLoad(cluster, 3_000, 15).then(() => (producing = false));
  await settle(cluster, Promise.all([produced, consuming]), 600_000);
  const wallMs = performance.now() - started;
  const events = cluster.scheduler.executed - before;
  return { eventsPerSecond: (events / wallMs) * 1000, events, wallMs };
}

async function produceTimings(inFlightMax: number): Promise<{ total: number[]; requestQueue: number[] }> {
  const cluster = await busyCluster(5);
  const seqBefore = cluster.events().at(-1)?.seq ?? 0;
  await settle(cluster, produceLoad(cluster, 1_000, inFlightMax), 600_000);
  const produce = cluster.events(seqBefore).filter((e: TraceEvent) => e.type === 'request-completed' && e.data?.['apiKey'] === 'Produce');
  if (produce.length !== 1_000) throw new Error(`expected 1000 produce requests, the brokers completed ${produce.length}`);
  const metric = (name: string) => sortedBy(produce.map((e) => Number(e.data?.[name])));
  return { total: metric('totalTimeMs'), requestQueue: metric('requestQueueTimeMs') };
}

export async function benchCluster(): Promise<BenchResult[]> {
  startOnce(999); // warm up the JIT
  const starts = sortedBy(Array.from({ length: 30 }, (_, i) => startOnce(i + 1)));
  const startMedian = percentile(starts, 50);
  const busy = await eventsPerSecond();
  const perf = await produceTimings(5 * 3);
  const flood = await produceTimings(200);
  return [
    { name: 'cluster start to all brokers unfenced (3+3), median of 30', value: startMedian, unit: 'ms', ratio: startMedian / 20, note: 'ratio: share of the 20 ms aim' },
    { name: 'cluster start, p95', value: percentile(starts, 95), unit: 'ms' },
    { name: 'simulated events per second (producing + consuming)', value: busy.eventsPerSecond, unit: 'events/s', note: `${busy.events} events in ${busy.wallMs.toFixed(0)} ms` },
    { name: 'produce TotalTimeMs p50 (1,000 requests, perf-test load)', value: percentile(perf.total, 50), unit: 'virtual ms', note: 'acks=all, 100 x 100 B records, 5 in flight per broker' },
    { name: 'produce TotalTimeMs p99 (perf-test load)', value: percentile(perf.total, 99), unit: 'virtual ms', note: `RequestQueueTimeMs p99 ${percentile(perf.requestQueue, 99)} ms` },
    { name: 'produce TotalTimeMs p50 (1,000 requests, flood)', value: percentile(flood.total, 50), unit: 'virtual ms', note: '200 in flight' },
    { name: 'produce TotalTimeMs p99 (flood)', value: percentile(flood.total, 99), unit: 'virtual ms', note: `RequestQueueTimeMs p50 ${percentile(flood.requestQueue, 50)} ms, p99 ${percentile(flood.requestQueue, 99)} ms` },
  ];
}
