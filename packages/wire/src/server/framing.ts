/**
 * Splits a TCP byte stream into Kafka frames: a 4-byte big-endian size, then that many bytes.
 * The size is checked against `socket.request.max.bytes` before anything is allocated, so a
 * peer that announces a huge frame costs us four bytes, not the announced size.
 *
 * States: reading the size (0–3 of its bytes buffered), then filling one frame buffer; failed
 * once a size is out of range (nothing more is read). A frame that arrives whole inside one
 * chunk is returned as a view of that chunk without a copy.
 *
 * A bad size may arrive in the same chunk as whole frames before it. `read` hands those
 * frames back together with the error, so that a server answers them before it closes, as
 * Kafka does (it reads one request at a time and only then meets the bad size).
 */
import { WireDecodeError } from '../errors';

const sizeBytes = 4;

export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private readonly sizeBuffer = new Uint8Array(sizeBytes);
  private sizeFill = 0;
  private frame: Uint8Array | null = null;
  private frameFill = 0;
  private failure: WireDecodeError | null = null;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** True when a frame has started but not finished (used to tell a clean close from a cut one). */
  get midFrame(): boolean {
    return this.sizeFill > 0 || this.frame !== null;
  }

  /** Consumes a chunk and returns the frames it completed; throws WireDecodeError on a bad size. */
  push(chunk: Uint8Array): Uint8Array[] {
    const { frames, error } = this.read(chunk);
    if (error !== null) throw error;
    return frames;
  }

  /**
   * Consumes a chunk and returns the frames completed before any bad size, and the error of
   * that size (null if none). After an error the decoder stays failed: later chunks yield
   * no frames and the same error.
   */
  read(chunk: Uint8Array): { frames: Uint8Array[]; error: WireDecodeError | null } {
    const frames: Uint8Array[] = [];
    if (this.failure !== null) return { frames, error: this.failure };
    try {
      this.split(chunk, frames);
    } catch (error) {
      if (!(error instanceof WireDecodeError)) throw error;
      this.failure = error;
    }
    return { frames, error: this.failure };
  }

  private split(chunk: Uint8Array, frames: Uint8Array[]): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.frame !== null) {
        at = this.fill(chunk, at, frames);
        continue;
      }
      if (this.sizeFill === 0 && chunk.length - at >= sizeBytes) {
        const size = this.checkedSize(readInt32(chunk, at));
        if (chunk.length - at - sizeBytes >= size) {
          frames.push(chunk.subarray(at + sizeBytes, at + sizeBytes + size));
          at += sizeBytes + size;
        } else {
          this.frame = new Uint8Array(size);
          at += sizeBytes;
        }
        continue;
      }
      this.sizeBuffer[this.sizeFill++] = chunk[at++] as number;
      if (this.sizeFill === sizeBytes) {
        this.sizeFill = 0;
        const size = this.checkedSize(readInt32(this.sizeBuffer, 0));
        if (size === 0) frames.push(new Uint8Array(0));
        else this.frame = new Uint8Array(size);
      }
    }
  }

  private fill(chunk: Uint8Array, at: number, frames: Uint8Array[]): number {
    const frame = this.frame as Uint8Array;
    const count = Math.min(frame.length - this.frameFill, chunk.length - at);
    frame.set(chunk.subarray(at, at + count), this.frameFill);
    this.frameFill += count;
    if (this.frameFill === frame.length) {
      frames.push(frame);
      this.frame = null;
      this.frameFill = 0;
    }
    return at + count;
  }

  private checkedSize(size: number): number {
    if (size < 0 || size > this.maxFrameBytes) {
      throw new WireDecodeError(
        'INVALID_REQUEST',
        `frame size ${size} is outside 0–${this.maxFrameBytes} bytes (socket.request.max.bytes)`,
        0,
        'Send smaller requests, or raise socket.request.max.bytes on the broker.',
      );
    }
    return size;
  }
}

function readInt32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) << 24) |
    ((bytes[at + 1] as number) << 16) |
    ((bytes[at + 2] as number) << 8) |
    (bytes[at + 3] as number) |
    0
  );
}
