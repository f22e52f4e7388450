import { describe, expect, it } from 'vitest';
import { WireReader } from '../codec/reader';
import { WireWriter } from '../codec/writer';
import { Prng } from '../testing/prng';
import { randomMessage } from '../testing/random-message';
import { apiList, isFlexible, type ApiKeyNumber, type RequestOf, type ResponseOf } from './apis';
import { decodeMessage, encodeMessage } from './codec';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './frames';

const seedsPerVersion = 8;

function versionsOf(api: { minVersion: number; maxVersion: number }): number[] {
  return Array.from({ length: api.maxVersion - api.minVersion + 1 }, (_, i) => api.minVersion + i);
}

describe('every API round-trips at every served version', () => {
  for (const api of apiList) {
    const key = api.apiKey as ApiKeyNumber;

    it(`${api.name} (key ${api.apiKey}) requests, v${api.minVersion}–v${api.maxVersion}`, () => {
      for (const version of versionsOf(api)) {
        for (let seed = 1; seed <= seedsPerVersion; seed++) {
          const rng = new Prng(api.apiKey * 1000 + version * 10 + seed);
          const body = randomMessage(api.request, version, rng) as RequestOf<typeof key>;
          const header = { requestApiVersion: version, correlationId: rng.int(0, 2 ** 31 - 1), clientId: 'rt' };
          const frame = encodeRequest(key, header, body);
          const decoded = decodeRequest(frame.subarray(4));
          expect(decoded.kind).toBe('request');
          if (decoded.kind !== 'request') continue;
          expect(decoded.header).toEqual({ ...header, requestApiKey: api.apiKey });
          expect(decoded.body).toEqual(body);
          expect(encodeRequest(key, header, decoded.body)).toEqual(frame);
        }
      }
    });

    it(`${api.name} (key ${api.apiKey}) responses, v${api.minVersion}–v${api.maxVersion}`, () => {
      for (const version of versionsOf(api)) {
        for (let seed = 1; seed <= seedsPerVersion; seed++) {
          const rng = new Prng(api.apiKey * 1000 + version * 10 + seed + 500);
          const body = randomMessage(api.response, version, rng) as ResponseOf<typeof key>;
          const frame = encodeResponse(key, version, 7, body);
          expect(new DataView(frame.buffer, frame.byteOffset).getInt32(0)).toBe(frame.length - 4);
          const decoded = decodeResponse(key, version, frame.subarray(4));
          expect(decoded.correlationId).toBe(7);
          expect(decoded.body).toEqual(body);
          expect(encodeResponse(key, version, 7, decoded.body)).toEqual(frame);
        }
      }
    });
  }
});

describe('decoding consumes exactly the bytes encoding produced', () => {
  it('holds for every body, so no field is silently left unread', () => {
    for (const api of apiList) {
      for (const version of versionsOf(api)) {
        for (const schema of [api.request, api.response]) {
          const body = randomMessage(schema, version, new Prng(version + api.apiKey));
          const writer = new WireWriter();
          encodeMessage(schema, version, isFlexible(api, version), body, writer);
          const bytes = writer.finish();
          const reader = new WireReader(bytes);
          decodeMessage(schema, version, isFlexible(api, version), reader);
          expect(reader.pos, `${api.name} v${version}`).toBe(bytes.length);
        }
      }
    }
  });
});
