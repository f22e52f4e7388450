/**
 * The request path inside one broker (Kafka's SocketServer processors, RequestChannel and
 * KafkaRequestHandlerPool), as module 2 teaches it, in virtual time.
 *
 * One request's states: on its socket → read by its network thread (processor) → in the
 * request queue → handled by an I/O (request handler) thread: the local work → parked in
 * a purgatory (remote: acks=all waiting for the ISR, a fetch waiting for fetch.min.bytes)
 * → in its network thread's response queue → being sent → completed. On completion the
 * broker emits a `request-completed` trace event with Kafka's RequestMetrics
 * (RequestQueueTimeMs, LocalTimeMs, RemoteTimeMs, ResponseQueueTimeMs, ResponseSendTimeMs,
 * TotalTimeMs) and the queue depths the request saw.
 *
 * Capacity: `num.network.threads` processors (3), `num.io.threads` I/O threads (8), both
 * dynamic broker configs as in Kafka; the request queue holds at most
 * `queued.max.requests` (500) requests, counting those being read. When it is full the
 * network threads stop reading: later requests wait on their sockets, which the broker's
 * metrics do not count (the trace shows it as `socketWaitMs`). A connection is muted while
 * one of its requests is in the broker, so one connection's requests run one at a time.
 *
 * Service times come from `RequestCosts` (documented below) and the node's disk: a slow
 * disk (the `slowDisk` fault) lengthens the I/O thread's work on every request that
 * appends to the log. Times are whole virtual milliseconds (the engine's clock never
 * shows fractions), so small costs round to 0 ms. No randomness: the same inputs give the
 * same timings.
 *
 * Deviations from Kafka: there is no acceptor and no per-listener pool; the request queue
 * is not split into data-plane and control-plane queues (KIP-291); a full queue stops
 * every network thread from reading, but they still send responses (Kafka's processor
 * blocks altogether); quotas and ThrottleTimeMs are not modelled here. Follower fetches and
 * broker-to-broker requests (WriteTxnMarkers) do not pass through the channel; only
 * requests that reach the broker through `BrokerEndpoint` do. A request with no
 * connection id counts as a connection of its own (the in-lab client keeps none).
 */
import { assert } from '../assert';
import type { NodeConfig } from '../cluster/config';
import type { ErrorName } from '../errors';
import type { MetadataImage } from '../metadata/image';
import type { TraceInput } from '../sim/trace';
import { dynamicBrokerConfig } from './throttle';

/**
 * How long each step takes. Every value is a parameter a lesson may change; the defaults
 * make a small produce cost about 1 ms of I/O-thread time and make only large batches or
 * large fetch responses cost socket time.
 */
export interface RequestCosts {
  /**
   * I/O-thread time a request of the API costs whatever its size, in ms: parsing,
   * authorisation, partition look-ups, locks and building the response. APIs not listed
   * cost `defaultLocalBaseMs`.
   */
  readonly localBaseMs: Readonly<Record<string, number>>;
  readonly defaultLocalBaseMs: number;
  /**
   * Bytes of a produce request one I/O thread validates and appends per ms (CRC-32C of every
   * batch, then a copy into the page cache). 500 000 bytes/ms is about 500 MB/s, what this
   * engine's own log append measures.
   */
  readonly appendBytesPerMs: number;
  /**
   * Bytes one network thread moves per ms, reading a request off its socket or writing a
   * response to it. 1 250 000 bytes/ms is a 10 Gbit/s link. Fetch responses go from the page
   * cache to the socket (zero-copy), so their size costs network time, not I/O time. Labs
   * run virtual time at wall-clock speed, so this also caps what a real client can fetch.
   */
  readonly networkBytesPerMs: number;
}

export const defaultRequestCosts: RequestCosts = {
  localBaseMs: { Produce: 1 },
  defaultLocalBaseMs: 0,
  appendBytesPerMs: 500_000,
  networkBytesPerMs: 1_250_000,
};

/** What the handler hands back: how big the response is, and how to give it to the client. */
export interface ChannelReply {
  readonly responseBytes: number;
  readonly errorCode: ErrorName;
  /** Runs when the network thread has written the response. */
  readonly deliver: () => void;
}

export interface ChannelRequest {
  /** Kafka's API name: Produce, Fetch, ListOffsets, Metadata. */
  readonly apiKey: string;
  readonly clientId?: string;
  /** The client's correlation id; the broker numbers requests itself when absent. */
  readonly correlationId?: number;
  /** Requests of one connection are handled one at a time, in order. */
  readonly connectionId?: string;
  readonly requestBytes: number;
  readonly topic?: string;
  readonly partition?: number;
  /** Whether the local work appends to the log (a slow disk then slows it). */
  readonly writesToLog?: boolean;
  /** For the learner: what remote time means for this request ("acks=all: waiting for the ISR"). */
  readonly remoteReason?: string;
  /** Short note for the request view, e.g. "acks=all". */
  readonly note?: string;
  /** Runs on an I/O thread when its local work is done; calls `reply` now, or later from a purgatory. */
  readonly handle: (reply: (reply: ChannelReply) => void) => void;
  /** The handler threw; the error goes back to the client. */
  readonly fail: (error: unknown) => void;
}

/** Kafka's RequestMetrics of one request, in virtual ms. */
export interface RequestTimings {
  readonly requestQueueTimeMs: number;
  readonly localTimeMs: number;
  readonly remoteTimeMs: number;
  readonly responseQueueTimeMs: number;
  readonly responseSendTimeMs: number;
  readonly totalTimeMs: number;
}

export interface RequestChannelLimits {
  readonly numNetworkThreads: number;
  readonly numIoThreads: number;
  readonly queuedMaxRequests: number;
}

export interface RequestChannelHost {
  readonly brokerId: number;
  nowMs(): number;
  /** (Re)arms the channel's one timer; the owner calls `onTimer()` then. */
  armTimer(atMs: number): void;
  emit(event: TraceInput): void;
  /** Extra latency of this broker's disk writes (the slowDisk fault), 0 when healthy. */
  diskDelayMs(): number;
  /** Read on every step, so dynamic changes of the thread counts apply at once. */
  limits(): RequestChannelLimits;
  readonly costs?: RequestCosts;
}

/** What the channel holds right now (for views and tests). */
export interface RequestChannelStats {
  readonly requestQueueSize: number;
  /** Requests held on their sockets because the request queue is full. */
  readonly socketBacklog: number;
  readonly busyIoThreads: number;
  readonly inFlight: number;
}

/** A request inside the broker, with the times of its stage boundaries (Kafka's RequestChannel.Request). */
interface InFlight {
  readonly request: ChannelRequest;
  readonly correlationId: number;
  readonly processor: number;
  readonly arrivedMs: number;
  startMs: number;
  dequeueMs: number;
  localCompleteMs: number;
  responseCompleteMs: number;
  sendStartMs: number;
  requestQueueSize: number;
  responseQueueSize: number;
  reply: ChannelReply | null;
}

interface Due {
  readonly atMs: number;
  readonly seq: number;
  readonly run: () => void;
}

/** The thread counts and queue bound in force: dynamic broker configs over server.properties. */
export function requestChannelLimits(image: MetadataImage, config: NodeConfig, brokerId: number): RequestChannelLimits {
  const positive = (name: string, fallback: number): number => {
    const value = Math.floor(Number(dynamicBrokerConfig(image, config, brokerId, name) ?? fallback));
    return Number.isFinite(value) && value >= 1 ? value : fallback;
  };
  return { numNetworkThreads: positive('num.network.threads', 3), numIoThreads: positive('num.io.threads', 8), queuedMaxRequests: positive('queued.max.requests', 500) };
}

export class RequestChannel {
  private readonly costs: RequestCosts;
  private readonly requestQueue: InFlight[] = [];
  private readonly backlog: InFlight[] = [];
  /** Connections with a request in the broker, and what waits on each behind it. */
  private readonly muted = new Map<string, InFlight[]>();
  private readonly processorOf = new Map<string, number>();
  /** When each network thread is next free, and how many responses it has queued or is sending. */
  private readonly processorFreeMs: number[] = [];
  private readonly responsesQueued: number[] = [];
  private reading = 0;
  private busyIoThreads = 0;
  private inFlight = 0;
  private nextCorrelationId = 0;
  private nextProcessor = 0;
  private agenda: Due[] = [];
  private dueSeq = 0;
  private armedAtMs: number | null = null;

  constructor(private readonly host: RequestChannelHost) {
    this.costs = host.costs ?? defaultRequestCosts;
  }

  stats(): RequestChannelStats {
    return { requestQueueSize: this.requestQueue.length, socketBacklog: this.backlog.length, busyIoThreads: this.busyIoThreads, inFlight: this.inFlight };
  }

  /** A request has arrived on a socket of this broker. */
  submit(request: ChannelRequest): void {
    const now = this.host.nowMs();
    const entry: InFlight = {
      request,
      correlationId: request.correlationId ?? this.nextCorrelationId++,
      processor: this.processorFor(request.connectionId),
      arrivedMs: now,
      startMs: -1,
      dequeueMs: -1,
      localCompleteMs: -1,
      responseCompleteMs: -1,
      sendStartMs: -1,
      requestQueueSize: 0,
      responseQueueSize: 0,
      reply: null,
    };
    this.inFlight++;
    const connection = request.connectionId;
    if (connection !== undefined) {
      // The network thread stopped reading this connection until its response is sent.
      const waiting = this.muted.get(connection);
      if (waiting !== undefined) return void waiting.push(entry);
      this.muted.set(connection, []);
    }
    this.admit(entry);
  }

  /** The channel's timer fired: run every step that is due. */
  onTimer(): void {
    this.armedAtMs = null;
    const now = this.host.nowMs();
    for (;;) {
      const head = this.agenda[0];
      if (head === undefined || head.atMs > now) break;
      this.agenda.shift();
      head.run();
    }
    this.arm();
  }

  // ---- network thread: reading --------------------------------------------------------

  private processorFor(connection: string | undefined): number {
    const count = this.host.limits().numNetworkThreads;
    // The acceptor hands each new connection to the next network thread, round robin.
    if (connection === undefined) return this.nextProcessor++ % count;
    let processor = this.processorOf.get(connection);
    if (processor === undefined || processor >= count) {
      processor = this.nextProcessor++ % count;
      this.processorOf.set(connection, processor);
    }
    return processor;
  }

  /** Reads the request if the request queue has room; otherwise it waits on its socket. */
  private admit(entry: InFlight): void {
    if (this.backlog.length > 0 || !this.queueHasRoom()) return void this.backlog.push(entry);
    this.read(entry);
  }

  private queueHasRoom(): boolean {
    return this.requestQueue.length + this.reading < this.host.limits().queuedMaxRequests;
  }

  private read(entry: InFlight): void {
    this.reading++;
    const done = this.occupyProcessor(entry.processor, entry.request.requestBytes);
    this.at(done, () => {
      this.reading--;
      this.enqueue(entry);
    });
  }

  /** Reserves the network thread for moving `bytes`; returns when it will be done. */
  private occupyProcessor(processor: number, bytes: number): number {
    const startMs = Math.max(this.host.nowMs(), this.processorFreeMs[processor] ?? 0);
    const doneMs = startMs + Math.round(bytes / this.costs.networkBytesPerMs);
    this.processorFreeMs[processor] = doneMs;
    return doneMs;
  }

  // ---- request queue and I/O threads ----------------------------------------------------

  private enqueue(entry: InFlight): void {
    entry.startMs = this.host.nowMs();
    entry.requestQueueSize = this.requestQueue.length;
    this.requestQueue.push(entry);
    this.dispatch();
  }

  /** Idle I/O threads take requests off the queue; freed queue slots let network threads read again. */
  private dispatch(): void {
    while (this.busyIoThreads < this.host.limits().numIoThreads) {
      const entry = this.requestQueue.shift();
      if (entry === undefined) break;
      this.busyIoThreads++;
      entry.dequeueMs = this.host.nowMs();
      this.at(entry.dequeueMs + this.localTimeMs(entry.request), () => this.completeLocal(entry));
    }
    while (this.backlog.length > 0 && this.queueHasRoom()) this.read(this.backlog.shift()!);
  }

  private localTimeMs(request: ChannelRequest): number {
    const base = this.costs.localBaseMs[request.apiKey] ?? this.costs.defaultLocalBaseMs;
    if (request.writesToLog !== true) return base;
    return base + Math.round(request.requestBytes / this.costs.appendBytesPerMs) + this.host.diskDelayMs();
  }

  /** The I/O thread finishes: the handler's effects happen now, and it answers now or from a purgatory. */
  private completeLocal(entry: InFlight): void {
    this.busyIoThreads--;
    entry.localCompleteMs = this.host.nowMs();
    try {
      entry.request.handle((reply) => this.respond(entry, reply));
    } catch (error) {
      this.respond(entry, { responseBytes: 0, errorCode: 'UNKNOWN_SERVER_ERROR', deliver: () => entry.request.fail(error) });
    }
    this.dispatch();
  }

  // ---- response queue and sending -------------------------------------------------------

  private respond(entry: InFlight, reply: ChannelReply): void {
    // A purgatory answers each request once; a second answer would be a bug upstream.
    assert(entry.reply === null, `request ${entry.request.apiKey} #${entry.correlationId} was answered twice`);
    entry.reply = reply;
    entry.responseCompleteMs = this.host.nowMs();
    entry.responseQueueSize = this.responsesQueued[entry.processor] ?? 0;
    this.responsesQueued[entry.processor] = entry.responseQueueSize + 1;
    entry.sendStartMs = Math.max(entry.responseCompleteMs, this.processorFreeMs[entry.processor] ?? 0);
    const done = this.occupyProcessor(entry.processor, reply.responseBytes);
    this.at(done, () => this.complete(entry, reply));
  }

  private complete(entry: InFlight, reply: ChannelReply): void {
    this.responsesQueued[entry.processor] = (this.responsesQueued[entry.processor] ?? 1) - 1;
    this.inFlight--;
    this.host.emit(completedEvent(this.host.brokerId, entry, reply, this.host.nowMs()));
    reply.deliver();
    const connection = entry.request.connectionId;
    if (connection === undefined) return;
    // The response is out: the network thread reads this connection again.
    const next = this.muted.get(connection)?.shift();
    if (next === undefined) this.muted.delete(connection);
    else this.admit(next);
  }

  // ---- the channel's own agenda -----------------------------------------------------------

  /** Runs `run` at `atMs`: at once when that is now, else from the channel's timer. */
  private at(atMs: number, run: () => void): void {
    if (atMs <= this.host.nowMs()) return run();
    const due: Due = { atMs, seq: this.dueSeq++, run };
    // Few steps are pending at once (at most one per busy thread), so a sorted array will do.
    let i = this.agenda.length;
    while (i > 0 && this.agenda[i - 1]!.atMs > atMs) i--;
    this.agenda.splice(i, 0, due);
    this.arm();
  }

  private arm(): void {
    const head = this.agenda[0];
    if (head === undefined || head.atMs === this.armedAtMs) return;
    this.armedAtMs = head.atMs;
    this.host.armTimer(head.atMs);
  }
}

/** The timings of a completed request; the stages add up to the total by construction. */
export function timingsOf(entry: { startMs: number; dequeueMs: number; localCompleteMs: number; responseCompleteMs: number; sendStartMs: number }, endMs: number): RequestTimings {
  return {
    requestQueueTimeMs: entry.dequeueMs - entry.startMs,
    localTimeMs: entry.localCompleteMs - entry.dequeueMs,
    remoteTimeMs: entry.responseCompleteMs - entry.localCompleteMs,
    responseQueueTimeMs: entry.sendStartMs - entry.responseCompleteMs,
    responseSendTimeMs: endMs - entry.sendStartMs,
    totalTimeMs: endMs - entry.startMs,
  };
}

function completedEvent(brokerId: number, entry: InFlight, reply: ChannelReply, endMs: number): TraceInput {
  const r = entry.request;
  const t = timingsOf(entry, endMs);
  const from = r.clientId === undefined ? '' : ` from ${r.clientId}`;
  const where = r.topic === undefined ? '' : ` for ${r.topic}-${r.partition ?? 0}`;
  const remote = t.remoteTimeMs > 0 ? ` ${t.remoteTimeMs} ms in purgatory${r.remoteReason === undefined ? '' : ` (${r.remoteReason})`},` : '';
  const error = reply.errorCode === 'NONE' ? '' : ` It failed with ${reply.errorCode}.`;
  return {
    type: 'request-completed',
    node: brokerId,
    ...(r.topic === undefined ? {} : { topic: r.topic, partition: r.partition ?? 0 }),
    message:
      `Broker ${brokerId} answered ${r.apiKey} #${entry.correlationId}${from}${where} in ${t.totalTimeMs} ms:` +
      ` ${t.requestQueueTimeMs} ms in the request queue, ${t.localTimeMs} ms on an I/O thread,${remote}` +
      ` ${t.responseQueueTimeMs} ms in the response queue, ${t.responseSendTimeMs} ms sending.${error}`,
    data: {
      apiKey: r.apiKey,
      correlationId: entry.correlationId,
      ...(r.clientId === undefined ? {} : { clientId: r.clientId }),
      brokerId,
      errorCode: reply.errorCode,
      ...t,
      requestQueueSize: entry.requestQueueSize,
      responseQueueSize: entry.responseQueueSize,
      socketWaitMs: entry.startMs - entry.arrivedMs,
      requestBytes: r.requestBytes,
      responseBytes: reply.responseBytes,
      ...(r.note === undefined ? {} : { note: r.note }),
    },
  };
}
