/**
 * The broker listener spoken to byte by byte: the handshake rules, ordering of pipelined
 * requests against the real engine (a long-polling Fetch ahead of quick requests), acks=0,
 * Produce and Fetch validation errors with Kafka's codes, and malformed frames.
 */
import { encodeRecordBatch } from '@kil/engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FetchRequest } from '../messages/01-fetch';
import type { ProduceRequest, ProduceResponse, ProduceResponsePartitionProduceResponse } from '../messages/00-produce';
import { ApiKey, apiList } from '../protocol/apis';
import { decodeResponse, encodeRequest } from '../protocol/frames';
import { CompatCluster } from './harness';
import { RawClient } from './raw-client';

let lab: CompatCluster;
const clients: RawClient[] = [];

beforeAll(async () => {
  lab = await CompatCluster.start({ topics: [{ name: 'raw', numPartitions: 1, replicationFactor: 3 }, { name: 'small', numPartitions: 1, replicationFactor: 1, configs: { 'max.message.bytes': '200' } }] });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  await lab?.close();
});

/** A connection to the leader of `topic`-0 (or to broker 1). */
async function open(topic?: string): Promise<RawClient> {
  const leader = topic === undefined ? 1 : (lab.cluster.snapshot().topics.find((t) => t.name === topic)?.partitions[0]?.leader ?? 1);
  const client = await RawClient.open(lab.ports.get(leader) as number);
  clients.push(client);
  return client;
}

const batchOf = (...values: string[]): Uint8Array => encodeRecordBatch({ records: values.map((value, i) => ({ key: `k${i}`, value, timestamp: 1_700_000_000_000 + i })) });

function produce(topic: string, records: Uint8Array | null, acks = -1): ProduceRequest {
  return { transactionalId: null, acks, timeoutMs: 5_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] };
}

function fetch(topic: string, fetchOffset: number, maxWaitMs = 0, minBytes = 1): FetchRequest {
  return {
    clusterId: null,
    replicaId: -1,
    maxWaitMs,
    minBytes,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [],
    rackId: '',
  };
}

const partitionOf = (response: ProduceResponse): ProduceResponsePartitionProduceResponse => response.responses[0]?.partitionResponses[0] as ProduceResponsePartitionProduceResponse;

describe('handshake', () => {
  it('ApiVersions v3 lists every API of the table from version 0 on, plus the SASL pair Kafka always lists', async () => {
    const client = await open();
    const response = await client.call(ApiKey.ApiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' });
    expect(response.errorCode).toBe(0);
    for (const api of apiList) expect(response.apiKeys).toContainEqual({ apiKey: api.apiKey, minVersion: 0, maxVersion: api.maxVersion });
    expect(response.apiKeys).toContainEqual({ apiKey: 17, minVersion: 0, maxVersion: 1 });
    expect(response.apiKeys).toContainEqual({ apiKey: 36, minVersion: 0, maxVersion: 2 });
  });

  it('answers ApiVersions v4 with UNSUPPORTED_VERSION in the v0 layout and keeps the connection open', async () => {
    const client = await open();
    client.send(new Uint8Array([0, 0, 0, 12, 0, 18, 0, 4, 0, 0, 0, 9, 0, 1, 0x78, 0]));
    const [frame] = await client.waitFrames(1);
    const response = decodeResponse(ApiKey.ApiVersions, 0, frame as Uint8Array);
    expect(response.correlationId).toBe(9);
    expect(response.body.errorCode).toBe(35);
    const metadata = await client.call(ApiKey.Metadata, 12, { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(metadata.brokers).toHaveLength(3);
  });

  it('serves Metadata without a prior ApiVersions: real ports, a broker as controller, the cluster id', async () => {
    const client = await open();
    const metadata = await client.call(ApiKey.Metadata, 1, { topics: null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(metadata.brokers.map((b) => b.port).sort()).toEqual([...lab.ports.values()].sort());
    expect(metadata.brokers.map((b) => b.nodeId)).toContain(metadata.controllerId);
    const v12 = await client.call(ApiKey.Metadata, 12, { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'raw' }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(v12.clusterId).toBe(lab.cluster.clusterId);
    expect(v12.topics[0]).toMatchObject({ errorCode: 0, name: 'raw' });
    expect(v12.topics[0]?.topicId).toBe(lab.cluster.snapshot().topics.find((t) => t.name === 'raw')?.topicId);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown topic when auto-creation is not allowed', async () => {
    const client = await open();
    const metadata = await client.call(ApiKey.Metadata, 9, { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'nope' }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(metadata.topics[0]?.errorCode).toBe(3);
  });
});

describe('produce and fetch', () => {
  it('acks=0 gets no response, yet the record is appended; the next request is answered in order', async () => {
    const client = await open('raw');
    client.request(ApiKey.Produce, 9, produce('raw', batchOf('silent'), 0));
    const listed = await client.call(ApiKey.ListOffsets, 7, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'raw', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1, maxNumOffsets: 1 }] }] });
    expect(client.frames).toHaveLength(1);
    expect(listed.topics[0]?.partitions[0]?.errorCode).toBe(0);
    const fetched = await client.call(ApiKey.Fetch, 12, fetch('raw', 0));
    expect(fetched.responses[0]?.partitions[0]?.records?.length).toBeGreaterThan(0);
  });

  it('keeps responses in request order behind a long-polling Fetch that a later Produce completes', async () => {
    const client = await open('raw');
    const end = (await client.call(ApiKey.ListOffsets, 7, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'raw', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1, maxNumOffsets: 1 }] }] })).topics[0]?.partitions[0]?.offset as number;
    const before = client.frames.length;
    const fetchId = client.request(ApiKey.Fetch, 12, fetch('raw', end, 10_000));
    const metadataId = client.request(ApiKey.Metadata, 12, { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    const producer = await open('raw');
    const produced = await producer.call(ApiKey.Produce, 9, produce('raw', batchOf('wake up'), 1));
    expect(partitionOf(produced).errorCode).toBe(0);
    const frames = await client.waitFrames(before + 2);
    const fetched = decodeResponse(ApiKey.Fetch, 12, frames[before] as Uint8Array);
    expect(fetched.correlationId).toBe(fetchId);
    expect(decodeResponse(ApiKey.Metadata, 12, frames[before + 1] as Uint8Array).correlationId).toBe(metadataId);
    const partition = fetched.body.responses[0]?.partitions[0];
    expect(partition?.records?.length).toBeGreaterThan(0);
    expect(partition?.abortedTransactions).toEqual([]);
    expect(partition?.lastStableOffset).toBe(partition?.highWatermark);
    expect(partition?.preferredReadReplica).toBe(-1);
  });

  it('returns an empty fetch after max_wait_ms when nothing arrives', async () => {
    const client = await open('raw');
    const end = (await client.call(ApiKey.ListOffsets, 7, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'raw', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1, maxNumOffsets: 1 }] }] })).topics[0]?.partitions[0]?.offset as number;
    const fetched = await client.call(ApiKey.Fetch, 11, fetch('raw', end, 200));
    expect(fetched.responses[0]?.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: end });
    expect(fetched.responses[0]?.partitions[0]?.records?.length ?? 0).toBe(0);
  });

  it('maps validation failures to Kafka error codes', async () => {
    const client = await open('raw');
    const corrupt = batchOf('flip me');
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
    expect(partitionOf(await client.call(ApiKey.Produce, 9, produce('raw', corrupt))).errorCode).toBe(2);
    expect(partitionOf(await client.call(ApiKey.Produce, 9, produce('raw', batchOf('x'), 2))).errorCode).toBe(21);
    expect(partitionOf(await client.call(ApiKey.Produce, 9, produce('raw', null))).errorCode).toBe(87);
    const control = encodeRecordBatch({ records: [{ key: 'k', value: 'v' }], isControl: true });
    expect(partitionOf(await client.call(ApiKey.Produce, 9, produce('raw', control))).errorCode).toBe(87);
    const small = await open('small');
    expect(partitionOf(await small.call(ApiKey.Produce, 9, produce('small', batchOf('y'.repeat(400))))).errorCode).toBe(10);
    expect(partitionOf(await client.call(ApiKey.Produce, 2, produce('raw', batchOf('old')))).errorCode).toBe(35);
    const old = await client.call(ApiKey.Fetch, 3, fetch('raw', 0));
    expect(old.responses[0]?.partitions[0]?.errorCode).toBe(35);
    const outOfRange = await client.call(ApiKey.Fetch, 12, fetch('raw', 1_000_000));
    expect(outOfRange.responses[0]?.partitions[0]?.errorCode).toBe(1);
  });

  it('answers NOT_LEADER_OR_FOLLOWER from a broker that does not lead the partition', async () => {
    const leader = lab.cluster.snapshot().topics.find((t) => t.name === 'small')?.partitions[0]?.leader;
    const other = [...lab.ports.keys()].find((id) => id !== leader) as number;
    const client = await RawClient.open(lab.ports.get(other) as number);
    clients.push(client);
    expect(partitionOf(await client.call(ApiKey.Produce, 9, produce('small', batchOf('z')))).errorCode).toBe(6);
  });
});

describe('malformed frames', () => {
  it('closes the connection cleanly on a garbage frame after answering what came before', async () => {
    const client = await open();
    const good = encodeRequest(ApiKey.Metadata, { requestApiVersion: 9, correlationId: 1, clientId: 'x' }, { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    client.send(new Uint8Array([...good, 0, 0, 0, 6, 0, 3, 0x7f, 0x7f, 0xff, 0xff]));
    const frames = await client.waitFrames(1);
    expect(decodeResponse(ApiKey.Metadata, 9, frames[0] as Uint8Array).correlationId).toBe(1);
    expect(await client.closesWithin(5_000)).toBe(true);
  });

  it('closes on a frame size above socket.request.max.bytes and on a negative size', async () => {
    const oversized = await open();
    oversized.send(new Uint8Array([0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 9]));
    expect(await oversized.closesWithin(5_000)).toBe(true);
    const negative = await open();
    negative.send(new Uint8Array([0xff, 0xff, 0xff, 0xfe]));
    expect(await negative.closesWithin(5_000)).toBe(true);
  });

  it('waits for the rest of a truncated frame instead of failing', async () => {
    const client = await open();
    const frame = encodeRequest(ApiKey.Metadata, { requestApiVersion: 9, correlationId: 5, clientId: 'x' }, { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    client.send(frame.subarray(0, 7));
    expect(await client.closesWithin(200)).toBe(false);
    client.send(frame.subarray(7));
    const [answer] = await client.waitFrames(1);
    expect(decodeResponse(ApiKey.Metadata, 9, answer as Uint8Array).correlationId).toBe(5);
  });
});
