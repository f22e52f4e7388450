/**
 * Seeded fuzzing of the running broker over TCP: mutated, truncated and oversized frames of
 * every API and version, pipelined on real connections to the real engine. Every frame must
 * either be answered (in order, with the request's correlation id) or, from the first frame
 * the codec rejects, end in a clean close; nothing else may close a connection (a handler
 * failure is a bug), and the process must not crash or grow without bound.
 *
 * Raise the count with BROKER_FUZZ_COUNT=1000000 (BROKER_FUZZ_SEED picks another seed); a
 * failure names its seed and batch so it can be pinned here as a regression test;
 * BROKER_FUZZ_DEBUG=1 prints the batch and the request left unanswered.
 */
import { encodeRecordBatch } from '@kil/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireDecodeError } from '../errors';
import { apiList, ApiKey, type ApiKeyNumber, type RequestOf } from '../protocol/apis';
import { decodeRequest, encodeRequest, type DecodedRequest } from '../protocol/frames';
import { Prng } from '../testing/prng';
import { randomMessage } from '../testing/random-message';
import { CompatCluster } from './harness';
import { RawClient } from './raw-client';

const fuzzCount = Number(process.env['BROKER_FUZZ_COUNT'] ?? 100_000);
const fuzzSeed = Number(process.env['BROKER_FUZZ_SEED'] ?? 20_261_125);
const framesPerBatch = 20;
const connections = 4;
const batchDeadlineMs = 5_000;

/** Fields that make the broker wait; kept short so a batch answers quickly. */
const waitFields = new Set(['maxWaitMs', 'timeoutMs', 'sessionTimeoutMs', 'rebalanceTimeoutMs', 'transactionTimeoutMs']);
/** Fields that size what the engine allocates; kept small so the fuzz stays within a lab's bounds. */
const sizeFields = new Set(['numPartitions', 'replicationFactor', 'count']);

function tame(value: unknown, rng: Prng): unknown {
  if (Array.isArray(value)) return value.map((v) => tame(v, rng));
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (waitFields.has(key) && typeof v === 'number') out[key] = rng.int(0, 20);
    else if (sizeFields.has(key) && typeof v === 'number') out[key] = rng.int(-1, 3);
    else out[key] = tame(v, rng);
  }
  return out;
}

/** Valid request bodies of every API and version, plus realistic ones aimed at the fuzz topic. */
function baseFrames(rng: Prng): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const header = (version: number) => ({ requestApiVersion: version, correlationId: 0, clientId: 'fuzz' });
  for (const api of apiList) {
    const key = api.apiKey as ApiKeyNumber;
    for (let version = api.minVersion; version <= api.maxVersion; version++) {
      for (let copy = 0; copy < 3; copy++) {
        const body = tame(randomMessage(api.request, version, rng), rng) as RequestOf<typeof key>;
        frames.push(encodeRequest(key, header(version), body).subarray(4));
      }
    }
  }
  const batch = encodeRecordBatch({ records: [{ key: 'k', value: 'fuzz value', timestamp: 1 }] });
  for (let version = 3; version <= 9; version++) {
    const produce = { transactionalId: null, acks: rng.pick([-1, 1]), timeoutMs: 20, topicData: [{ name: 'fuzz', partitionData: [{ index: 0, records: batch }] }] };
    frames.push(encodeRequest(ApiKey.Produce, header(version), produce).subarray(4));
  }
  for (let version = 4; version <= 12; version++) {
    const fetch = {
      clusterId: null, replicaId: -1, maxWaitMs: 5, minBytes: 1, maxBytes: 1 << 16, isolationLevel: rng.int(0, 1), sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 'fuzz', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: rng.int(0, 3), lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 16 }] }],
      forgottenTopicsData: [], rackId: '',
    };
    frames.push(encodeRequest(ApiKey.Fetch, header(version), fetch).subarray(4));
  }
  return frames;
}

/** One malformed (or, sometimes, intact) frame body. */
function mutate(base: Uint8Array, rng: Prng): Uint8Array {
  const frame = base.slice();
  // Intact frames keep the connection open long enough for the handlers to be exercised too.
  if (rng.chance(0.6)) return frame;
  switch (rng.int(0, 5)) {
    case 0:
      for (let i = rng.int(1, 4); i > 0; i--) frame[rng.int(8, Math.max(8, frame.length - 1))] = rng.int(0, 255);
      return frame;
    case 1:
      return frame.subarray(0, rng.int(0, frame.length));
    case 2: {
      const at = rng.int(8, Math.max(8, frame.length - 4));
      if (at + 4 <= frame.length) new DataView(frame.buffer).setInt32(at, rng.pick([-2, -1, 0x7fffffff, 0x10000, rng.int(-1000, 1000)]));
      return frame;
    }
    case 3: {
      const garbage = rng.bytes(rng.int(0, 64));
      garbage.set(frame.subarray(0, Math.min(4, garbage.length)));
      return garbage;
    }
    case 4:
      for (let i = rng.int(8, frame.length); i < frame.length; i++) frame[i] = 0xff;
      return frame;
    default:
      return frame;
  }
}

interface Planned {
  readonly bytes: Uint8Array;
  readonly correlationId: number;
  readonly decoded: DecodedRequest | 'unsupported-api-versions' | 'rejected';
}

function plan(body: Uint8Array, correlationId: number): Planned {
  const frame = body.slice();
  if (frame.length >= 8) new DataView(frame.buffer).setInt32(4, correlationId);
  const bytes = new Uint8Array(4 + frame.length);
  new DataView(bytes.buffer).setInt32(0, frame.length);
  bytes.set(frame, 4);
  let decoded: Planned['decoded'];
  try {
    const request = decodeRequest(frame);
    decoded = request.kind === 'unsupported-api-versions' ? 'unsupported-api-versions' : request;
  } catch (error) {
    if (!(error instanceof WireDecodeError)) throw error;
    decoded = 'rejected';
  }
  return { bytes, correlationId, decoded };
}

/** Correlation ids the broker owes an answer for, in order, and whether it must then close. */
function expectation(batch: readonly Planned[], badSizeAtEnd: boolean): { ids: number[]; closes: boolean } {
  const ids: number[] = [];
  for (const p of batch) {
    if (p.decoded === 'rejected') return { ids, closes: true };
    if (p.decoded !== 'unsupported-api-versions' && p.decoded.apiKey === ApiKey.Produce && p.decoded.body.acks === 0) continue;
    ids.push(p.correlationId);
  }
  return { ids, closes: badSizeAtEnd };
}

async function runBatch(lab: CompatCluster, rng: Prng, bases: readonly Uint8Array[], label: string): Promise<{ answered: number; closed: number }> {
  const ports = [...lab.ports.values()];
  const client = await RawClient.open(rng.pick(ports));
  const batch = Array.from({ length: framesPerBatch }, (_, i) => plan(mutate(rng.pick(bases), rng), i + 1));
  const badSize = rng.chance(0.05);
  const tail = badSize ? new Uint8Array(rng.pick([[0xff, 0xff, 0xff, 0xff], [0x7f, 0, 0, 0]])) : new Uint8Array(0);
  client.send(new Uint8Array([...batch.flatMap((p) => [...p.bytes]), ...tail]));
  const expected = expectation(batch, badSize);
  const deadline = Date.now() + batchDeadlineMs;
  while (Date.now() < deadline && client.frames.length < expected.ids.length && !client.isClosed) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (process.env['BROKER_FUZZ_DEBUG'] && client.frames.length < expected.ids.length) {
    console.log(batch.map((x) => (typeof x.decoded === 'string' ? x.decoded : `${x.correlationId}:${x.decoded.apiKey}v${x.decoded.header.requestApiVersion}`)).join(' '));
    const p = batch.find((x) => x.correlationId === expected.ids[client.frames.length]);
    console.log(label, typeof p?.decoded === 'string' ? p?.decoded : JSON.stringify(p?.decoded.body).slice(0, 800), lab.errors.filter((e) => !(e instanceof WireDecodeError)).slice(-2));
  }
  const got = client.frames.map((f) => new DataView(f.buffer, f.byteOffset).getInt32(0));
  expect(got, `${label}: answers in order`).toEqual(expected.ids.slice(0, got.length));
  // Requests before a bad size prefix in the same chunk are answered too, as Kafka does.
  expect(got.length, `${label}: every owed answer (connection ${client.isClosed ? 'closed' : 'open'})`).toBe(expected.ids.length);
  if (expected.closes) expect(await client.closesWithin(batchDeadlineMs), `${label}: clean close`).toBe(true);
  client.destroy();
  return { answered: got.length, closed: expected.closes ? 1 : 0 };
}

let lab: CompatCluster;

beforeAll(async () => {
  lab = await CompatCluster.start({ topics: [{ name: 'fuzz', numPartitions: 1, replicationFactor: 3 }] });
});

afterAll(async () => {
  await lab?.close();
});

describe('broker fuzz over TCP', () => {
  it(`${fuzzCount} seeded malformed frames: answered in order or closed cleanly, never a crash`, async () => {
    const rng = new Prng(fuzzSeed);
    const bases = baseFrames(rng);
    const heapBeforeBytes = process.memoryUsage().heapUsed;
    const batches = Math.ceil(fuzzCount / framesPerBatch);
    let answered = 0;
    let closed = 0;
    for (let b = 0; b < batches; b += connections) {
      const lanes = Array.from({ length: Math.min(connections, batches - b) }, (_, lane) => {
        const laneRng = new Prng(fuzzSeed + b + lane);
        return runBatch(lab, laneRng, bases, `seed ${fuzzSeed}, batch ${b + lane}`);
      });
      for (const result of await Promise.all(lanes)) {
        answered += result.answered;
        closed += result.closed;
      }
    }
    // Only malformed input may close a connection; a handler that threw is a bug.
    const handlerFailures = lab.errors.filter((e) => !(e instanceof WireDecodeError));
    expect(handlerFailures.map(String).slice(0, 5)).toEqual([]);
    expect(answered).toBeGreaterThan(fuzzCount / 8);
    expect(closed).toBeGreaterThan(batches / 4);
    expect(process.memoryUsage().heapUsed - heapBeforeBytes).toBeLessThan(1024 * 1024 * 1024);
    // The broker still serves a well-formed client afterwards.
    const client = await RawClient.open(lab.ports.get(1) as number);
    const metadata = await client.call(ApiKey.Metadata, 12, { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(metadata.brokers).toHaveLength(3);
    client.destroy();
  });
});
