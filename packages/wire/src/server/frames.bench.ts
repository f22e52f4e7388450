/**
 * The ceiling for our broker's throughput: a bare node:net server that only splits the stream
 * into 4-byte-length-prefixed frames and discards them, fed over loopback by a client that
 * writes one pre-built frame as fast as the socket accepts it. The integrator's bench prints
 * the broker's produce throughput as a fraction of this figure.
 */
import { createServer, connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface FrameBenchOptions {
  /** Payload bytes per frame (after the 4-byte size). Defaults to 1 MiB, a typical produce request. */
  readonly frameBytes?: number;
  /** Total payload to send. Defaults to 512 MiB. */
  readonly totalBytes?: number;
}

export interface FrameBenchResult {
  readonly frames: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly megabytesPerSecond: number;
}

/** Counts frames in a stream without keeping them: the least work a Kafka server can do. */
class FrameCounter {
  frames = 0;
  bytes = 0;
  private sizeFill = 0;
  private size = 0;
  private remaining = 0;

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.frames++;
        continue;
      }
      this.size = (this.size << 8) | (chunk[at++] as number);
      if (++this.sizeFill === 4) {
        this.remaining = this.size;
        this.sizeFill = 0;
        this.size = 0;
        if (this.remaining === 0) this.frames++;
      }
    }
  }
}

async function pump(socket: Socket, frame: Uint8Array, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (!socket.write(frame)) await new Promise((resolve) => socket.once('drain', resolve));
  }
}

export async function benchFrames(options: FrameBenchOptions = {}): Promise<FrameBenchResult> {
  const frameBytes = options.frameBytes ?? 1024 * 1024;
  const count = Math.max(1, Math.floor((options.totalBytes ?? 512 * 1024 * 1024) / frameBytes));
  const frame = new Uint8Array(4 + frameBytes);
  new DataView(frame.buffer).setInt32(0, frameBytes);
  const expectedBytes = count * frame.length;
  const counter = new FrameCounter();
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      counter.push(chunk);
      if (counter.bytes >= expectedBytes) finished();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const client = connect(port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  const started = performance.now();
  await pump(client, frame, count);
  await done;
  const elapsedMs = performance.now() - started;
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
  const bytes = counter.bytes;
  return { frames: counter.frames, bytes, elapsedMs, megabytesPerSecond: bytes / (1024 * 1024) / (elapsedMs / 1000) };
}
