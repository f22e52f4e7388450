import { describe, expect, it } from 'vitest';
import { WireDecodeError } from '../errors';
import { Prng } from '../testing/prng';
import { randomMessage } from '../testing/random-message';
import { ApiKey, apiList, type ApiKeyNumber, type RequestOf } from './apis';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './frames';
import { requestHeaderVersion, responseHeaderVersion } from './headers';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string): Uint8Array => {
  const clean = text.replace(/\s+/g, '');
  return new Uint8Array(clean.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? []);
};
const ascii = (text: string): string => hex(new TextEncoder().encode(text));

describe('golden vectors derived by hand from the protocol guide', () => {
  // librdkafka 2.0.2 (kcat) opens every connection with this ApiVersions v3 request.
  const apiVersionsV3 =
    '00000024' +
    '0012 0003 00000001' +
    '0007' +
    ascii('rdkafka') +
    '00' +
    '0b' +
    ascii('librdkafka') +
    '06' +
    ascii('2.0.2') +
    '00';

  it('ApiVersions v3 request from librdkafka decodes with a v2 header and compact strings', () => {
    const decoded = decodeRequest(fromHex(apiVersionsV3).subarray(4));
    expect(decoded).toEqual({
      kind: 'request',
      apiKey: 18,
      header: { requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: 'rdkafka' },
      body: { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' },
    });
    const encoded = encodeRequest(
      ApiKey.ApiVersions,
      { requestApiVersion: 3, correlationId: 1, clientId: 'rdkafka' },
      { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' },
    );
    expect(hex(encoded)).toBe(fromHexString(apiVersionsV3));
  });

  it('ApiVersions v3 response keeps a v0 header (no tag byte) around a flexible body', () => {
    const frame = encodeResponse(ApiKey.ApiVersions, 3, 1, {
      errorCode: 0,
      apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 9 }],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
    expect(hex(frame)).toBe(fromHexString('00000013 00000001 0000 02 0000 0000 0009 00 00000000 00'));
  });

  it('Metadata v1 request for one topic, and for all topics (null)', () => {
    const header = { requestApiVersion: 1, correlationId: 2, clientId: 'kafkajs' };
    const one = encodeRequest(ApiKey.Metadata, header, {
      topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'foo' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const prefix = '0003 0001 00000002 0007' + ascii('kafkajs');
    expect(hex(one)).toBe(fromHexString('0000001a' + prefix + '00000001 0003' + ascii('foo')));
    const all = decodeRequest(fromHex(prefix + 'ffffffff'));
    expect(all.kind === 'request' && all.apiKey === ApiKey.Metadata && all.body.topics).toBeNull();
    // v1 lacks allowAutoTopicCreation; its default (true) is what Kafka assumes for old clients.
    expect(all.kind === 'request' && all.apiKey === ApiKey.Metadata && all.body.allowAutoTopicCreation).toBe(true);
  });

  it('Metadata v1 response for one broker and one partition', () => {
    const frame = encodeResponse(ApiKey.Metadata, 1, 2, {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
      clusterId: null,
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'foo',
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: -1,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: -2147483648,
        },
      ],
      clusterAuthorizedOperations: -2147483648,
    });
    const body =
      '00000002' +
      ('00000001' + '00000001' + '0009' + ascii('localhost') + '00002384' + 'ffff') +
      '00000001' +
      ('00000001' + '0000 0003' + ascii('foo') + '00') +
      ('00000001' + '0000 00000000 00000001' + '00000001 00000001' + '00000001 00000001');
    expect(hex(frame)).toBe(fromHexString(hex(lengthOf(body)) + body));
  });

  it('a tagged field is written only when set, and read back (CreateTopics v5)', () => {
    const topic = {
      name: 't',
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      errorCode: 0,
      errorMessage: null,
      topicConfigErrorCode: 5,
      numPartitions: 1,
      replicationFactor: 1,
      configs: [],
    };
    const frame = encodeResponse(ApiKey.CreateTopics, 5, 9, { throttleTimeMs: 0, topics: [topic] });
    const topicBytes = '02' + ascii('t') + '0000' + '00' + '00000001' + '0001' + '01' + ('01' + '00 02 0005');
    const body = '00000009 00' + '00000000' + '02' + topicBytes + '00';
    expect(hex(frame)).toBe(fromHexString(hex(lengthOf(body)) + body));
    expect(decodeResponse(ApiKey.CreateTopics, 5, frame.subarray(4)).body.topics[0]?.topicConfigErrorCode).toBe(5);
  });

  it('Produce v3 request keeps the record batch as opaque bytes', () => {
    const batch = fromHex('0011223344');
    const frame = encodeRequest(
      ApiKey.Produce,
      { requestApiVersion: 3, correlationId: 5, clientId: null },
      {
        transactionalId: null,
        acks: -1,
        timeoutMs: 30000,
        topicData: [{ name: 'a', partitionData: [{ index: 0, records: batch }] }],
      },
    );
    const body =
      '0000 0003 00000005 ffff' + 'ffff ffff 00007530' + '00000001 0001' + ascii('a') + '00000001 00000000 00000005 0011223344';
    expect(hex(frame)).toBe(fromHexString(hex(lengthOf(body)) + body));
  });
});

function fromHexString(text: string): string {
  return text.replace(/\s+/g, '');
}

function lengthOf(hexBody: string): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, fromHexString(hexBody).length / 2);
  return out;
}

describe('header versions', () => {
  it('follow flexible versions, with ApiVersions answering in header v0', () => {
    expect(requestHeaderVersion(ApiKey.Produce, 8)).toBe(1);
    expect(requestHeaderVersion(ApiKey.Produce, 9)).toBe(2);
    expect(requestHeaderVersion(ApiKey.ApiVersions, 7)).toBe(2);
    expect(responseHeaderVersion(ApiKey.Fetch, 12)).toBe(1);
    expect(responseHeaderVersion(ApiKey.Fetch, 11)).toBe(0);
    expect(responseHeaderVersion(ApiKey.ApiVersions, 3)).toBe(0);
  });
});

describe('malformed input is rejected with WireDecodeError', () => {
  function sampleFrames(): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (const api of apiList) {
      const key = api.apiKey as ApiKeyNumber;
      for (const version of [api.minVersion, api.maxVersion]) {
        const body = randomMessage(api.request, version, new Prng(api.apiKey + version)) as RequestOf<typeof key>;
        frames.push(encodeRequest(key, { requestApiVersion: version, correlationId: 1, clientId: 'c' }, body).subarray(4));
      }
    }
    return frames;
  }

  it('every strict prefix of a valid request frame fails to decode', () => {
    for (const frame of sampleFrames()) {
      for (let length = 0; length < frame.length; length++) {
        expect(() => decodeRequest(frame.subarray(0, length))).toThrow(WireDecodeError);
      }
    }
  });

  it('never reads past the frame even when the buffer continues', () => {
    const frame = sampleFrames()[0] as Uint8Array;
    const padded = new Uint8Array(frame.length + 64).fill(0x41);
    padded.set(frame);
    expect(() => decodeRequest(padded.subarray(0, frame.length - 1))).toThrow(WireDecodeError);
  });

  it('an unknown api key is INVALID_REQUEST', () => {
    const error = catchDecode(fromHex('03e7 0000 00000001 ffff'));
    expect(error.errorName).toBe('INVALID_REQUEST');
    expect(error.code).toBe(42);
  });

  it('a version we do not serve is UNSUPPORTED_VERSION, except for ApiVersions', () => {
    expect(catchDecode(fromHex('0000 000c 00000001 ffff')).errorName).toBe('UNSUPPORTED_VERSION');
    const apiVersionsV9 = decodeRequest(fromHex('0012 0009 0000002a 0001' + ascii('x') + '00 ffff'));
    expect(apiVersionsV9).toEqual({
      kind: 'unsupported-api-versions',
      header: { requestApiKey: 18, requestApiVersion: 9, correlationId: 42, clientId: 'x' },
    });
  });

  it('a huge array count fails before allocation', () => {
    const error = catchDecode(fromHex('0003 0001 00000001 ffff 7fffffff'));
    expect(error.message).toMatch(/cannot fit/);
  });

  it('unknown tagged fields are skipped, oversized ones rejected', () => {
    const header = '0012 0003 00000001 ffff 00';
    const body = '01' + ascii('') + '01' + ascii('');
    const withUnknownTag = decodeRequest(fromHex(header + body + '01 07 03 aabbcc'));
    expect(withUnknownTag.kind).toBe('request');
    expect(() => decodeRequest(fromHex(header + body + '01 07 09 aabbcc'))).toThrow(WireDecodeError);
  });

  it('a null where the version allows none is rejected', () => {
    // Metadata v0 has no null topic list.
    expect(catchDecode(fromHex('0003 0000 00000001 ffff ffffffff')).message).toMatch(/not nullable/);
  });
});

function catchDecode(frame: Uint8Array): WireDecodeError {
  try {
    decodeRequest(frame);
  } catch (error) {
    if (error instanceof WireDecodeError) return error;
    throw error;
  }
  throw new Error('expected decoding to fail');
}
