import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WireDecodeError } from '../errors';
import { ApiKey } from '../protocol/apis';
import { decodeResponse, encodeRequest } from '../protocol/frames';
import type { MetadataRequest, MetadataResponse } from '../messages/03-metadata';
import type { ProduceRequest } from '../messages/00-produce';
import { FrameDecoder } from './framing';
import { WireServer } from './server';
import type { ConnectionInfo, RequestHandlers, WireServerOptions } from './types';

/** A raw-socket client that collects response frames. */
class RawClient {
  readonly frames: Uint8Array[] = [];
  readonly closed: Promise<void>;
  private isClosed = false;
  private waiters: (() => void)[] = [];

  constructor(readonly socket: Socket) {
    const decoder = new FrameDecoder(1 << 30);
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...decoder.push(chunk));
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      }),
    );
    socket.on('error', () => undefined);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Resolves once `count` frames have arrived; rejects if the server closes first. */
  async waitFrames(count: number): Promise<Uint8Array[]> {
    while (this.frames.length < count) {
      if (this.isClosed) throw new Error(`connection closed after ${this.frames.length} of ${count} frames`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.frames.slice(0, count);
  }
}

const servers: WireServer[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Omit<WireServerOptions, 'port'>): Promise<number> {
  const server = new WireServer({ ...options, port: 0 });
  servers.push(server);
  return (await server.listen()).port;
}

async function open(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const client = new RawClient(socket);
  clients.push(client);
  return client;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const metadataRequest: MetadataRequest = {
  topics: null,
  allowAutoTopicCreation: true,
  includeClusterAuthorizedOperations: false,
  includeTopicAuthorizedOperations: false,
};

function metadataResponse(controllerId: number): MetadataResponse {
  return { throttleTimeMs: 0, brokers: [], clusterId: 'lab', controllerId, topics: [], clusterAuthorizedOperations: 0 };
}

const metadataFrame = (correlationId: number, version = 9): Uint8Array =>
  encodeRequest(ApiKey.Metadata, { requestApiVersion: version, correlationId, clientId: 'test' }, metadataRequest);

const correlationOf = (frame: Uint8Array): number => new DataView(frame.buffer, frame.byteOffset).getInt32(0);

const echoHandlers: RequestHandlers = {
  [ApiKey.Metadata]: (_request, context) => metadataResponse(context.header.correlationId),
};

describe('handshake (ApiVersions)', () => {
  it('answers v3 with the ranges of the handled APIs and ApiVersions', async () => {
    const port = await start({ handlers: echoHandlers });
    const client = await open(port);
    client.send(
      encodeRequest(
        ApiKey.ApiVersions,
        { requestApiVersion: 3, correlationId: 11, clientId: 'rdkafka' },
        {
          clientSoftwareName: 'librdkafka',
          clientSoftwareVersion: '2.0.2',
        },
      ),
    );
    const [frame] = await client.waitFrames(1);
    const response = decodeResponse(ApiKey.ApiVersions, 3, frame as Uint8Array);
    expect(response.correlationId).toBe(11);
    expect(response.body.errorCode).toBe(0);
    expect(response.body.apiKeys).toEqual([
      { apiKey: 3, minVersion: 0, maxVersion: 12 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ]);
  });

  it('answers an unsupported version in the v0 layout with UNSUPPORTED_VERSION and keeps the connection', async () => {
    const port = await start({ handlers: echoHandlers });
    const client = await open(port);
    // ApiVersions v7 from a future client: header v2, a body we cannot know.
    client.send(new Uint8Array([0, 0, 0, 14, 0, 18, 0, 7, 0, 0, 0, 5, 0, 1, 0x78, 0, 0xaa, 0xbb]));
    const [frame] = await client.waitFrames(1);
    const response = decodeResponse(ApiKey.ApiVersions, 0, frame as Uint8Array);
    expect(response.correlationId).toBe(5);
    expect(response.body.errorCode).toBe(35);
    expect(response.body.apiKeys).toContainEqual({ apiKey: 18, minVersion: 0, maxVersion: 3 });
    client.send(metadataFrame(6));
    const [, second] = await client.waitFrames(2);
    expect(correlationOf(second as Uint8Array)).toBe(6);
  });

  it('does not require ApiVersions before other requests', async () => {
    const port = await start({ handlers: echoHandlers });
    const client = await open(port);
    client.send(metadataFrame(1, 1));
    const [frame] = await client.waitFrames(1);
    expect(decodeResponse(ApiKey.Metadata, 1, frame as Uint8Array).body.controllerId).toBe(1);
  });
});

describe('pipelining', () => {
  it('answers in request order even when handlers finish out of order', async () => {
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const started: number[] = [];
    const port = await start({
      handlers: {
        [ApiKey.Metadata]: async (_request, context) => {
          const id = context.header.correlationId;
          started.push(id);
          await gates[id]?.promise;
          return metadataResponse(id);
        },
      },
    });
    const client = await open(port);
    const batch = [metadataFrame(0), metadataFrame(1), metadataFrame(2)];
    client.send(new Uint8Array(batch.flatMap((frame) => [...frame])));
    while (started.length < 3) await new Promise((resolve) => setImmediate(resolve));
    gates[2]?.resolve();
    gates[0]?.resolve();
    gates[1]?.resolve();
    const frames = await client.waitFrames(3);
    expect(frames.map(correlationOf)).toEqual([0, 1, 2]);
    expect(frames.map((frame) => decodeResponse(ApiKey.Metadata, 9, frame).body.controllerId)).toEqual([0, 1, 2]);
  });
});

describe('read-ahead bound', () => {
  it('answers every request in order when far more are pipelined than may be in flight', async () => {
    let inFlight = 0;
    let maxSeen = 0;
    const port = await start({
      maxInFlightRequestsPerConnection: 2,
      handlers: {
        [ApiKey.Metadata]: async (_request, context) => {
          inFlight++;
          maxSeen = Math.max(maxSeen, inFlight);
          await new Promise((resolve) => setImmediate(resolve));
          inFlight--;
          return metadataResponse(context.header.correlationId);
        },
      },
    });
    const client = await open(port);
    const frames = Array.from({ length: 50 }, (_, i) => [...metadataFrame(i)]);
    client.send(new Uint8Array(frames.flat()));
    const answers = await client.waitFrames(50);
    expect(answers.map(correlationOf)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(maxSeen).toBeLessThanOrEqual(2);
  });

  it('reassembles a large request that arrives in many chunks', async () => {
    let received = 0;
    const port = await start({
      handlers: {
        [ApiKey.Produce]: (request) => {
          received = request.topicData[0]?.partitionData[0]?.records?.length ?? -1;
          return { responses: [], throttleTimeMs: 0 };
        },
      },
    });
    const client = await open(port);
    const records = new Uint8Array(3 * 1024 * 1024).fill(7);
    const frame = encodeRequest(
      ApiKey.Produce,
      { requestApiVersion: 7, correlationId: 9, clientId: 'big' },
      {
        transactionalId: null,
        acks: 1,
        timeoutMs: 1000,
        topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
      },
    );
    for (let at = 0; at < frame.length; at += 65_536) client.send(frame.subarray(at, at + 65_536));
    const [answer] = await client.waitFrames(1);
    expect(correlationOf(answer as Uint8Array)).toBe(9);
    expect(received).toBe(records.length);
  });
});

describe('Produce with acks=0', () => {
  it('is handled but never answered, and does not hold up later responses', async () => {
    const produced: ProduceRequest[] = [];
    const port = await start({
      handlers: {
        ...echoHandlers,
        [ApiKey.Produce]: (request) => {
          produced.push(request);
          return { responses: [], throttleTimeMs: 0 };
        },
      },
    });
    const client = await open(port);
    const batch = new Uint8Array([1, 2, 3]);
    const produce = (acks: number, correlationId: number): Uint8Array =>
      encodeRequest(
        ApiKey.Produce,
        { requestApiVersion: 9, correlationId, clientId: 'p' },
        {
          transactionalId: null,
          acks,
          timeoutMs: 1000,
          topicData: [{ name: 't', partitionData: [{ index: 0, records: batch }] }],
        },
      );
    client.send(produce(0, 1));
    client.send(metadataFrame(2));
    client.send(produce(1, 3));
    const frames = await client.waitFrames(2);
    expect(frames.map(correlationOf)).toEqual([2, 3]);
    expect(produced.map((request) => request.acks)).toEqual([0, 1]);
    expect([...(produced[0]?.topicData[0]?.partitionData[0]?.records ?? [])]).toEqual([1, 2, 3]);
  });
});

describe('bad input closes the connection cleanly', () => {
  it('an oversized frame closes it, and the server keeps serving others', async () => {
    const errors: unknown[] = [];
    const port = await start({ handlers: echoHandlers, socketRequestMaxBytes: 1024, onError: (error) => errors.push(error) });
    const client = await open(port);
    client.send(new Uint8Array([0, 0x10, 0, 0]));
    await client.closed;
    expect(errors[0]).toBeInstanceOf(WireDecodeError);
    const next = await open(port);
    next.send(metadataFrame(4));
    expect(correlationOf((await next.waitFrames(1))[0] as Uint8Array)).toBe(4);
  });

  it('garbage bytes close it without crashing the server', async () => {
    const errors: unknown[] = [];
    const port = await start({ handlers: echoHandlers, onError: (error) => errors.push(error) });
    for (const garbage of [
      [0, 0, 0, 6, 0xde, 0xad, 0xbe, 0xef, 0, 1],
      [0, 0, 0, 0],
      [0xff, 0xff, 0xff, 0xff],
      [0, 0, 0, 12, 0, 3, 0, 9, 0, 0, 0, 1, 0, 0, 0x7f, 0xff],
    ]) {
      const client = await open(port);
      client.send(new Uint8Array(garbage));
      await client.closed;
      expect(client.frames).toEqual([]);
    }
    expect(errors.length).toBe(4);
    expect(errors.every((error) => error instanceof WireDecodeError)).toBe(true);
    const next = await open(port);
    next.send(metadataFrame(8));
    expect(correlationOf((await next.waitFrames(1))[0] as Uint8Array)).toBe(8);
  });

  it('responses owed before a malformed frame are still sent, then it closes', async () => {
    const gate = deferred<void>();
    const port = await start({
      handlers: {
        [ApiKey.Metadata]: async (_request, context) => {
          await gate.promise;
          return metadataResponse(context.header.correlationId);
        },
      },
    });
    const client = await open(port);
    client.send(metadataFrame(1));
    client.send(new Uint8Array([0, 0, 0, 4, 1, 2, 3, 4]));
    gate.resolve();
    await client.closed;
    expect(client.frames.map(correlationOf)).toEqual([1]);
  });

  it('regression: requests in the same TCP chunk as a bad frame size are answered before it closes', async () => {
    const errors: unknown[] = [];
    const port = await start({ handlers: echoHandlers, socketRequestMaxBytes: 1024, maxInFlightRequestsPerConnection: 2, onError: (error) => errors.push(error) });
    const client = await open(port);
    // Three requests, more than may be in flight at once, then a size above socket.request.max.bytes, in one write.
    const first = metadataFrame(1);
    const second = metadataFrame(2);
    const third = metadataFrame(3);
    const chunk = new Uint8Array(first.length + second.length + third.length + 4);
    chunk.set(first, 0);
    chunk.set(second, first.length);
    chunk.set(third, first.length + second.length);
    chunk.set([0x7f, 0, 0, 0], first.length + second.length + third.length);
    client.send(chunk);
    await client.closed;
    expect(client.frames.map(correlationOf)).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(WireDecodeError);
  });

  it('a request for an API without a handler closes it', async () => {
    const port = await start({ handlers: echoHandlers });
    const client = await open(port);
    client.send(
      encodeRequest(
        ApiKey.Heartbeat,
        { requestApiVersion: 4, correlationId: 1, clientId: null },
        {
          groupId: 'g',
          generationId: 1,
          memberId: 'm',
          groupInstanceId: null,
        },
      ),
    );
    await client.closed;
    expect(client.frames).toEqual([]);
  });

  it('a handler that throws closes it after the responses before it, and is reported', async () => {
    const reported: [unknown, ConnectionInfo][] = [];
    const port = await start({
      handlers: {
        [ApiKey.Metadata]: (_request, context) => {
          if (context.header.correlationId === 2) throw new Error('engine failure');
          return metadataResponse(context.header.correlationId);
        },
      },
      onError: (error, connection) => reported.push([error, connection]),
    });
    const client = await open(port);
    client.send(new Uint8Array([...metadataFrame(1), ...metadataFrame(2), ...metadataFrame(3)]));
    await client.closed;
    expect(client.frames.map(correlationOf)).toEqual([1]);
    expect(String(reported[0]?.[0])).toMatch(/engine failure/);
    expect(reported[0]?.[1].remoteAddress).toBe('127.0.0.1');
  });
});

describe('connections.max.idle.ms', () => {
  it('closes a connection that stays silent', async () => {
    const port = await start({ handlers: echoHandlers, connectionsMaxIdleMs: 50 });
    const client = await open(port);
    await client.closed;
    expect(client.frames).toEqual([]);
  });

  it('keeps a connection whose request is still being answered', async () => {
    const port = await start({
      connectionsMaxIdleMs: 30,
      handlers: {
        [ApiKey.Metadata]: async (_request, context) => {
          // Hold the answer for several idle periods, as a long-polling Fetch would.
          await new Promise((resolve) => setTimeout(resolve, 150));
          return metadataResponse(context.header.correlationId);
        },
      },
    });
    const client = await open(port);
    client.send(metadataFrame(3));
    const [frame] = await client.waitFrames(1);
    expect(correlationOf(frame as Uint8Array)).toBe(3);
    // Once answered, the connection is idle again and the re-armed timer closes it.
    await client.closed;
  });
});
