/**
 * A raw-socket Kafka client for tests: writes frames built by our codec, collects response
 * frames, and notices when the server closes the connection.
 */
import { connect, type Socket } from 'node:net';
import { type ApiKeyNumber, type RequestOf, type ResponseOf } from '../protocol/apis';
import { decodeResponse, encodeRequest } from '../protocol/frames';
import { FrameDecoder } from '../server/framing';

export class RawClient {
  readonly frames: Uint8Array[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  private waiters: (() => void)[] = [];
  private correlationId = 0;

  private constructor(readonly socket: Socket) {
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

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Encodes and sends a request; returns its correlation id. */
  request<K extends ApiKeyNumber>(apiKey: K, version: number, body: RequestOf<K>): number {
    const correlationId = ++this.correlationId;
    this.send(encodeRequest(apiKey, { requestApiVersion: version, correlationId, clientId: 'raw' }, body));
    return correlationId;
  }

  /** Resolves once `count` frames have arrived; rejects if the server closes first or time runs out. */
  async waitFrames(count: number, timeoutMs = 10_000): Promise<Uint8Array[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < count) {
      if (this.isClosed) throw new Error(`connection closed after ${this.frames.length} of ${count} frames`);
      if (Date.now() > deadline) throw new Error(`only ${this.frames.length} of ${count} frames within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.frames.slice(0, count);
  }

  /** Sends one request and decodes the next response frame. */
  async call<K extends ApiKeyNumber>(apiKey: K, version: number, body: RequestOf<K>): Promise<ResponseOf<K>> {
    const before = this.frames.length;
    const id = this.request(apiKey, version, body);
    const frames = await this.waitFrames(before + 1);
    const decoded = decodeResponse(apiKey, version, frames[before] as Uint8Array);
    if (decoded.correlationId !== id) throw new Error(`expected correlation id ${id}, got ${decoded.correlationId}`);
    return decoded.body;
  }

  /** Resolves true if the server closed the connection within `timeoutMs`. */
  async closesWithin(timeoutMs: number): Promise<boolean> {
    return Promise.race([this.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs))]);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
