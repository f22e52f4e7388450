/**
 * Broker throughput over loopback TCP: our own load generator sends pre-encoded Produce
 * requests (one record batch of 1 KiB records each, pipelined) to a lab cluster behind its
 * Kafka listeners, then reads everything back with Fetch. In the same run, the bare TCP
 * server that only splits frames and discards them (`benchFrames`) sets the ceiling; the
 * ratio is broker MB/s over bare MB/s.
 */
import { connect, type Socket } from 'node:net';
import { Cluster, encodeRecordBatch, runUntil, settle } from '@kil/engine';
import { everyBrokerSeesEveryBroker, KafkaListeners, RealTimeScheduler } from '@kil/lab';
import { ApiKey, benchFrames, decodeResponse, encodeRequest, FrameDecoder } from '@kil/wire';
import type { BenchResult } from '../bench';

const recordBytes = 1024;
const recordsPerBatch = 64;
const totalMiB = 64;
const inFlightMax = 16;
const topic = 'bench';

class LoadClient {
  private readonly decoder = new FrameDecoder(1 << 30);
  private waiters: ((frame: Uint8Array) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) this.waiters.shift()?.(frame);
    });
  }

  static async open(port: number): Promise<LoadClient> {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise((resolve) => socket.once('connect', resolve));
    return new LoadClient(socket);
  }

  /** Sends a pre-encoded request; resolves with its response frame. */
  send(frame: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.socket.write(frame);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function produceFrame(): Uint8Array {
  const value = new Uint8Array(recordBytes).fill(0x61);
  const batch = encodeRecordBatch({ records: Array.from({ length: recordsPerBatch }, (_, i) => ({ key: `k${i}`, value, timestamp: i })) });
  return encodeRequest(ApiKey.Produce, { requestApiVersion: 9, correlationId: 1, clientId: 'bench' }, {
    transactionalId: null,
    acks: 1,
    timeoutMs: 30_000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
  });
}

function fetchFrame(offset: number): Uint8Array {
  return encodeRequest(ApiKey.Fetch, { requestApiVersion: 12, correlationId: 2, clientId: 'bench' }, {
    clusterId: null, replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 8 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 8 << 20 }] }],
    forgottenTopicsData: [], rackId: '',
  });
}

async function produceAll(client: LoadClient, requests: number): Promise<number> {
  const frame = produceFrame();
  let sent = 0;
  let failed = 0;
  const lane = async (): Promise<void> => {
    while (sent < requests) {
      sent++;
      const answer = decodeResponse(ApiKey.Produce, 9, await client.send(frame));
      if (answer.body.responses[0]?.partitionResponses[0]?.errorCode !== 0) failed++;
    }
  };
  await Promise.all(Array.from({ length: inFlightMax }, lane));
  return failed;
}

async function consumeAll(client: LoadClient, endOffset: number): Promise<number> {
  let offset = 0;
  let bytes = 0;
  while (offset < endOffset) {
    const answer = decodeResponse(ApiKey.Fetch, 12, await client.send(fetchFrame(offset)));
    const partition = answer.body.responses[0]?.partitions[0];
    const records = partition?.records;
    if (partition === undefined || partition.errorCode !== 0 || records === null || records === undefined || records.length === 0) break;
    bytes += records.length;
    offset = lastOffsetAfter(records);
  }
  return bytes;
}

/** The offset after the last whole batch in a fetch response's records. */
function lastOffsetAfter(records: Uint8Array): number {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  let at = 0;
  let next = 0;
  while (at + 61 <= records.length) {
    const size = view.getInt32(at + 8) + 12;
    if (at + size > records.length) break;
    next = Number(view.getBigInt64(at)) + view.getInt32(at + 23) + 1;
    at += size;
  }
  return next;
}

export async function benchWire(): Promise<BenchResult[]> {
  const cluster = new Cluster({ seed: 1, brokers: 1, controllers: 1, config: { 'offsets.topic.replication.factor': '1' } });
  await runUntil(cluster, everyBrokerSeesEveryBroker(cluster));
  await settle(cluster, cluster.admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1, configs: { 'max.message.bytes': String(8 << 20) } }]));
  await runUntil(cluster, () => cluster.snapshot().topics.some((t) => t.name === topic && t.partitions.every((p) => p.leader !== -1)));
  const scheduler = new RealTimeScheduler(cluster);
  const listeners = await KafkaListeners.start(cluster, { onWork: () => scheduler.poke() });
  const port = listeners.address(1)?.port as number;
  const client = await LoadClient.open(port);
  const requests = Math.ceil((totalMiB * 1024 * 1024) / (recordBytes * recordsPerBatch));
  const produceStarted = performance.now();
  const failed = await produceAll(client, requests);
  const produceMs = performance.now() - produceStarted;
  const endOffset = requests * recordsPerBatch;
  const consumeStarted = performance.now();
  const consumedBytes = await consumeAll(client, endOffset);
  const consumeMs = performance.now() - consumeStarted;
  client.close();
  await listeners.close();
  scheduler.dispose();
  const producedBytes = requests * produceFrame().length;
  const bare = await benchFrames({ frameBytes: produceFrame().length - 4, totalBytes: producedBytes });
  const produceMBps = producedBytes / (1024 * 1024) / (produceMs / 1000);
  const consumeMBps = consumedBytes / (1024 * 1024) / (consumeMs / 1000);
  return [
    { name: 'wire produce (1 KiB records, acks=1, pipelined)', value: produceMBps, unit: 'MB/s', ratio: produceMBps / bare.megabytesPerSecond, note: `ratio: of bare TCP; ${failed} failed of ${requests} requests` },
    { name: 'wire consume (Fetch, 8 MiB max)', value: consumeMBps, unit: 'MB/s', ratio: consumeMBps / bare.megabytesPerSecond, note: 'ratio: of bare TCP' },
    { name: 'bare TCP read-and-discard (same frames)', value: bare.megabytesPerSecond, unit: 'MB/s' },
  ];
}
