import { describe, expect, it } from 'vitest';
import { WireDecodeError } from '../errors';
import { FrameDecoder } from './framing';

function framed(...payloads: number[][]): Uint8Array {
  const parts = payloads.flatMap((payload) => [0, 0, 0, payload.length, ...payload]);
  return new Uint8Array(parts);
}

describe('FrameDecoder', () => {
  it('splits several frames out of one chunk without copying them', () => {
    const chunk = framed([1, 2, 3], [], [4]);
    const frames = new FrameDecoder(100).push(chunk);
    expect(frames.map((frame) => [...frame])).toEqual([[1, 2, 3], [], [4]]);
    expect(frames[0]?.buffer).toBe(chunk.buffer);
  });

  it('reassembles frames delivered one byte at a time', () => {
    const decoder = new FrameDecoder(100);
    const stream = framed([9, 8, 7, 6], [5]);
    const frames: number[][] = [];
    for (const byte of stream) {
      for (const frame of decoder.push(new Uint8Array([byte]))) frames.push([...frame]);
    }
    expect(frames).toEqual([[9, 8, 7, 6], [5]]);
    expect(decoder.midFrame).toBe(false);
  });

  it('rejects a frame above the maximum from its size alone, before any body arrives', () => {
    const decoder = new FrameDecoder(1024);
    expect(() => decoder.push(new Uint8Array([0x7f, 0xff, 0xff, 0xff]))).toThrow(WireDecodeError);
    expect(() => new FrameDecoder(1024).push(new Uint8Array([0, 0, 4, 1]))).toThrow(/socket.request.max.bytes/);
    const split = new FrameDecoder(1024);
    expect(split.push(new Uint8Array([0xff, 0xff]))).toEqual([]);
    expect(() => split.push(new Uint8Array([0xff, 0xfe]))).toThrow(/outside/);
  });

  it('read hands back the frames before a bad size with the error, and stays failed', () => {
    const decoder = new FrameDecoder(16);
    const chunk = new Uint8Array([...framed([1], [2, 3]), 0, 0, 1, 0, ...framed([4])]);
    const { frames, error } = decoder.read(chunk);
    expect(frames.map((frame) => [...frame])).toEqual([[1], [2, 3]]);
    expect(error).toBeInstanceOf(WireDecodeError);
    expect(error?.message).toMatch(/frame size 256/);
    const later = decoder.read(framed([5]));
    expect(later.frames).toEqual([]);
    expect(later.error).toBe(error);
    // push keeps its strict contract for clients that treat any bad size as fatal.
    expect(() => new FrameDecoder(16).push(chunk)).toThrow(WireDecodeError);
  });

  it('accepts a frame of exactly the maximum size', () => {
    const decoder = new FrameDecoder(3);
    expect(decoder.push(framed([1, 2])).length).toBe(1);
    const [frame] = decoder.push(framed([1, 2, 3]));
    expect(frame?.length).toBe(3);
  });
});
