/**
 * One client connection: frames in, responses out, in request order.
 *
 * States: open (reading and dispatching) → draining (bad input or a failed handler: nothing
 * more is read, responses already owed are still sent) → closed. Requests are dispatched as
 * soon as they are read, so handlers may finish out of order (a long-polling Fetch behind a
 * quick Metadata); a queue of slots puts the responses back in request order, as Kafka's
 * protocol requires. Produce with acks=0 takes a slot that completes without bytes.
 *
 * Deviations from Kafka: Kafka mutes a connection until its one in-flight request is
 * answered; we read ahead up to `maxInFlightRequestsPerConnection` requests (pipelining) and
 * pause the socket beyond that, or while the socket's write buffer is full.
 */
import type { Socket } from 'node:net';
import { WireDecodeError } from '../errors';
import { decodeRequest, encodeResponse, type DecodedRequest } from '../protocol/frames';
import { ApiKey, type ApiKeyNumber } from '../protocol/apis';
import { FrameDecoder } from './framing';
import { apiVersionsResponse, unsupportedApiVersionsFrame } from './api-versions';
import type { ConnectionInfo, RequestContext, RequestHandlers } from './types';

export interface ConnectionSettings {
  readonly handlers: RequestHandlers;
  readonly advertisedApiKeys: readonly ApiKeyNumber[];
  readonly socketRequestMaxBytes: number;
  readonly connectionsMaxIdleMs: number;
  readonly maxInFlightRequestsPerConnection: number;
  readonly onError: (error: unknown, connection: ConnectionInfo) => void;
}

interface Slot {
  done: boolean;
  /** The handler failed: the connection closes when this slot reaches the head of the queue. */
  failed: boolean;
  frame: Uint8Array | null;
}

type AnyHandler = (request: unknown, context: RequestContext) => unknown;

export class Connection {
  readonly info: ConnectionInfo;
  private readonly socket: Socket;
  private readonly settings: ConnectionSettings;
  private readonly decoder: FrameDecoder;
  private readonly slots: Slot[] = [];
  private backlog: Uint8Array[] = [];
  private backlogHead = 0;
  private processing = false;
  private draining = false;
  private closed = false;
  private writeBlocked = false;
  /** A bad frame size was read: answer the frames before it, then close. */
  private framingError: unknown = null;

  constructor(socket: Socket, info: ConnectionInfo, settings: ConnectionSettings) {
    this.socket = socket;
    this.info = info;
    this.settings = settings;
    this.decoder = new FrameDecoder(settings.socketRequestMaxBytes);
    socket.setNoDelay(true);
    // A persistent listener: setTimeout's own callback would fire only once, and an idle
    // period that passes with a request in flight re-arms the timer below.
    socket.setTimeout(settings.connectionsMaxIdleMs);
    socket.on('timeout', () => this.onIdle());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.updateFlow();
    });
    socket.on('error', () => this.socket.destroy());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  /** Ends the connection now, dropping anything owed (server shutdown). */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onIdle(): void {
    // A request still being answered (a long poll) is activity even if no bytes move.
    if (this.slots.length > 0) {
      this.socket.setTimeout(this.settings.connectionsMaxIdleMs);
      return;
    }
    this.destroy();
  }

  private onData(chunk: Uint8Array): void {
    if (this.draining || this.closed || this.framingError !== null) return;
    const { frames, error } = this.decoder.read(chunk);
    for (const frame of frames) this.backlog.push(frame);
    // Requests that arrived before the bad size are still dispatched and answered first.
    if (error !== null) this.framingError = error;
    this.processBacklog();
  }

  /**
   * Dispatches read-ahead frames while the in-flight bound allows. Guarded against re-entry:
   * an answer that is ready at once (ApiVersions fallback) flushes, and flushing calls here.
   */
  private processBacklog(): void {
    if (this.processing) return;
    this.processing = true;
    try {
      while (
        this.backlogHead < this.backlog.length &&
        this.slots.length < this.settings.maxInFlightRequestsPerConnection &&
        !this.draining
      ) {
        this.handleFrame(this.backlog[this.backlogHead++] as Uint8Array);
      }
    } finally {
      this.processing = false;
    }
    if (this.backlogHead >= this.backlog.length) {
      this.backlog = [];
      this.backlogHead = 0;
      if (this.framingError !== null && !this.draining) {
        this.fail(this.framingError);
        return;
      }
    }
    this.updateFlow();
  }

  private updateFlow(): void {
    if (this.closed) return;
    const busy = this.backlogHead < this.backlog.length || this.writeBlocked || this.draining || this.framingError !== null;
    if (busy && !this.socket.isPaused()) this.socket.pause();
    else if (!busy && this.socket.isPaused()) this.socket.resume();
  }

  private handleFrame(frame: Uint8Array): void {
    let request: ReturnType<typeof decodeRequest>;
    try {
      request = decodeRequest(frame);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (request.kind === 'unsupported-api-versions') {
      this.slots.push({
        done: true,
        failed: false,
        frame: unsupportedApiVersionsFrame(request.header.correlationId, this.settings.advertisedApiKeys),
      });
      this.flush();
      return;
    }
    const handler = this.handlerFor(request);
    if (handler === undefined) {
      this.fail(new WireDecodeError('INVALID_REQUEST', `no handler serves api key ${request.apiKey}`, 0));
      return;
    }
    const slot: Slot = { done: false, failed: false, frame: null };
    this.slots.push(slot);
    this.dispatch(request, handler, slot);
  }

  private handlerFor(request: DecodedRequest): AnyHandler | undefined {
    const handler = this.settings.handlers[request.apiKey] as AnyHandler | undefined;
    if (handler !== undefined || request.apiKey !== ApiKey.ApiVersions) return handler;
    return () => apiVersionsResponse(this.settings.advertisedApiKeys);
  }

  private dispatch(request: DecodedRequest, handler: AnyHandler, slot: Slot): void {
    const { header } = request;
    const silent = request.apiKey === ApiKey.Produce && request.body.acks === 0;
    const context: RequestContext = { header, connection: this.info };
    new Promise((resolve) => resolve(handler(request.body, context)))
      .then((response) => {
        slot.frame =
          silent || response === undefined
            ? null
            : encodeResponse(request.apiKey, header.requestApiVersion, header.correlationId, response as never);
        slot.done = true;
        this.flush();
      })
      .catch((error: unknown) => this.fail(error, slot));
  }

  /** Writes every finished response at the head of the queue, stopping at the first unfinished one. */
  private flush(): void {
    while (this.slots.length > 0 && (this.slots[0] as Slot).done) {
      const slot = this.slots.shift() as Slot;
      if (slot.failed) {
        // Later responses would arrive where the client expects this one: close instead.
        this.close();
        return;
      }
      if (slot.frame !== null && !this.closed && !this.socket.write(slot.frame)) this.writeBlocked = true;
    }
    if (!this.draining) this.processBacklog();
    else if (this.slots.length === 0) this.close();
  }

  /**
   * Bad input or a failed handler: stop reading and close once the responses owed before the
   * failure are sent. Kafka closes the connection in both cases; clients reconnect and retry.
   */
  private fail(error: unknown, slot?: Slot): void {
    if (!this.closed) this.settings.onError(error, this.info);
    this.draining = true;
    this.backlog = [];
    this.backlogHead = 0;
    this.updateFlow();
    if (slot !== undefined) {
      slot.done = true;
      slot.failed = true;
    }
    this.flush();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end(() => this.socket.destroy());
  }
}
