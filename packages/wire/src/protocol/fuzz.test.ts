/**
 * Seeded fuzzing of the request decoder, the server's only input from the network. Every frame
 * must either decode or fail with WireDecodeError; anything else (RangeError, TypeError, a
 * hang) is a bug. Raise the count with WIRE_FUZZ_COUNT=1000000; a failure prints its seed and
 * frame index so it can be pinned below as a regression test.
 */
import { describe, expect, it } from 'vitest';
import { WireDecodeError } from '../errors';
import { Prng } from '../testing/prng';
import { randomMessage } from '../testing/random-message';
import { apiList, type ApiKeyNumber, type RequestOf } from './apis';
import { decodeRequest, decodeResponse, encodeRequest } from './frames';

const fuzzCount = Number(process.env['WIRE_FUZZ_COUNT'] ?? 100_000);
const fuzzSeed = Number(process.env['WIRE_FUZZ_SEED'] ?? 20_240_601);

function validFrames(rng: Prng): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (const api of apiList) {
    const key = api.apiKey as ApiKeyNumber;
    for (let version = api.minVersion; version <= api.maxVersion; version++) {
      const body = randomMessage(api.request, version, rng) as RequestOf<typeof key>;
      const header = { requestApiVersion: version, correlationId: rng.int(0, 1000), clientId: 'fuzz' };
      frames.push(encodeRequest(key, header, body).subarray(4));
    }
  }
  return frames;
}

/** One malformed frame: a mutation of a valid one, or garbage behind a plausible header. */
function mutate(base: Uint8Array, rng: Prng): Uint8Array {
  const frame = base.slice();
  switch (rng.int(0, 5)) {
    case 0:
      for (let i = rng.int(1, 4); i > 0; i--) frame[rng.int(0, frame.length - 1)] = rng.int(0, 255);
      return frame;
    case 1:
      return frame.subarray(0, rng.int(0, frame.length - 1));
    case 2: {
      // A length-like field set to an extreme value: the classic way to ask for huge allocations.
      const at = rng.int(0, Math.max(0, frame.length - 4));
      new DataView(frame.buffer).setInt32(at, rng.pick([-2, -1, 0x7fffffff, 0x10000, rng.int(-1000, 1000)]));
      return frame;
    }
    case 3: {
      const at = rng.int(0, frame.length);
      const out = new Uint8Array(frame.length + 8);
      out.set(frame.subarray(0, at));
      out.set(rng.bytes(8), at);
      out.set(frame.subarray(at), at + 8);
      return out;
    }
    case 4: {
      const garbage = rng.bytes(rng.int(0, 64));
      garbage.set(frame.subarray(0, Math.min(4, garbage.length)));
      return garbage;
    }
    default:
      for (let i = rng.int(8, frame.length); i < frame.length; i++) frame[i] = 0xff;
      return frame;
  }
}

function decodeOutcome(frame: Uint8Array): 'ok' | 'rejected' {
  try {
    decodeRequest(frame);
    return 'ok';
  } catch (error) {
    if (error instanceof WireDecodeError) return 'rejected';
    throw error;
  }
}

describe('request decoder fuzz', () => {
  it(`${fuzzCount} seeded malformed frames only ever decode or raise WireDecodeError`, () => {
    const rng = new Prng(fuzzSeed);
    const frames = validFrames(rng);
    let rejected = 0;
    for (let i = 0; i < fuzzCount; i++) {
      const frame = mutate(rng.pick(frames), rng);
      try {
        if (decodeOutcome(frame) === 'rejected') rejected++;
      } catch (error) {
        throw new Error(`seed ${fuzzSeed}, frame ${i}: ${String(error)}`);
      }
    }
    // Most mutations must break the frame; if none did, the mutator would be testing nothing.
    expect(rejected).toBeGreaterThan(fuzzCount / 4);
  });

  it('response decoding holds to the same rule', () => {
    const rng = new Prng(fuzzSeed + 1);
    for (let i = 0; i < Math.max(1000, fuzzCount / 20); i++) {
      const api = rng.pick(apiList);
      const version = rng.int(api.minVersion, api.maxVersion);
      const frame = rng.bytes(rng.int(0, 48));
      try {
        decodeResponse(api.apiKey as ApiKeyNumber, version, frame);
      } catch (error) {
        expect(error, `frame ${i}`).toBeInstanceOf(WireDecodeError);
      }
    }
  });

  it('regression: an int64 beyond 2^53 inside a valid frame is rejected, not rounded', () => {
    // ListOffsets v1: replicaId, then topics[0].partitions[0].timestamp = 0x7fffffffffffffff.
    const frame = new Uint8Array([
      0, 2, 0, 1, 0, 0, 0, 1, 255, 255, 255, 255, 255, 255, 0, 0, 0, 1, 0, 1, 116, 0, 0, 0, 1, 0, 0, 0, 0, 127, 255, 255, 255,
      255, 255, 255, 255,
    ]);
    expect(() => decodeRequest(frame)).toThrow(/2\^53/);
  });
});
