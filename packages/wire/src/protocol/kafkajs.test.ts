/**
 * Cross-checks our schemas against an independent implementation: kafkajs 2.2.4's own request
 * encoders and response decoders (the client the compatibility suite uses). A request kafkajs
 * encodes must decode with our schema and re-encode to the very same bytes; a response we
 * encode must read back through kafkajs with the values we put in.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ApiKey, type ApiKeyNumber, type ResponseOf } from './apis';
import { decodeRequest, encodeRequest, encodeResponse } from './frames';

const require = createRequire(import.meta.url);

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode: () => Promise<unknown>;
}
interface KafkajsProtocol {
  request: KafkajsRequest;
  response: { decode: (payload: Buffer) => Promise<Record<string, unknown>> };
}
type ProtocolFactory = (args: Record<string, unknown>) => KafkajsProtocol;

function kafkajsProtocol(api: string, version: number): ProtocolFactory {
  const module = require(`kafkajs/src/protocol/requests/${api}`) as { protocol: (o: { version: number }) => ProtocolFactory };
  return module.protocol({ version });
}

async function kafkajsFrame(request: KafkajsRequest): Promise<Uint8Array> {
  const build = require('kafkajs/src/protocol/request') as (o: object) => Promise<{ buffer: Uint8Array }>;
  const encoder = await build({ correlationId: 42, clientId: 'kafkajs', request });
  return new Uint8Array(encoder.buffer);
}

const long = (n: number): unknown => (require('kafkajs/src/utils/long') as { fromNumber: (n: number) => unknown }).fromNumber(n);

/** kafkajs request arguments per API, and the versions of it we compare. */
const requestCases: [string, number[], Record<string, unknown>][] = [
  ['metadata', [0, 1, 2, 3, 4, 5, 6], { topics: ['orders', 'payments'], allowAutoTopicCreation: false }],
  ['apiVersions', [0, 1, 2], {}],
  [
    'produce',
    [3, 4, 5, 6, 7],
    {
      acks: -1,
      timeout: 30000,
      transactionalId: 'tx',
      producerId: long(7),
      producerEpoch: 1,
      topicData: [
        {
          topic: 'orders',
          partitions: [{ partition: 0, firstSequence: 0, messages: [{ key: 'k', value: 'v', timestamp: 1700000000000 }] }],
        },
      ],
    },
  ],
  [
    'fetch',
    [4, 5, 6, 7, 8, 9, 10, 11],
    {
      replicaId: -1,
      maxWaitTime: 500,
      minBytes: 1,
      maxBytes: 1048576,
      rackId: 'r1',
      topics: [{ topic: 'orders', partitions: [{ partition: 2, fetchOffset: '15', maxBytes: 65536 }] }],
    },
  ],
  [
    'listOffsets',
    [0, 1, 2, 3],
    { replicaId: -1, isolationLevel: 1, topics: [{ topic: 'orders', partitions: [{ partition: 0, timestamp: -1 }] }] },
  ],
  ['findCoordinator', [0, 1, 2], { groupId: 'group-a', coordinatorType: 0 }],
  [
    'joinGroup',
    [0, 1, 2, 3, 4, 5],
    {
      groupId: 'group-a',
      sessionTimeout: 30000,
      rebalanceTimeout: 60000,
      memberId: '',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner', metadata: new Uint8Array([0, 1, 2]) }],
    },
  ],
  [
    'syncGroup',
    [0, 1, 2, 3],
    {
      groupId: 'group-a',
      generationId: 3,
      memberId: 'm-1',
      groupAssignment: [{ memberId: 'm-1', memberAssignment: new Uint8Array([9]) }],
    },
  ],
  ['heartbeat', [0, 1, 2, 3], { groupId: 'group-a', groupGenerationId: 3, memberId: 'm-1' }],
  ['leaveGroup', [0, 1, 2, 3], { groupId: 'group-a', memberId: 'm-1' }],
  [
    'offsetCommit',
    [0, 1, 2, 3, 4, 5],
    {
      groupId: 'group-a',
      groupGenerationId: 3,
      memberId: 'm-1',
      topics: [{ topic: 'orders', partitions: [{ partition: 1, offset: '99' }] }],
    },
  ],
  ['offsetFetch', [1, 2, 3, 4], { groupId: 'group-a', topics: [{ topic: 'orders', partitions: [{ partition: 1 }] }] }],
  ['initProducerId', [0, 1], { transactionalId: 'tx', transactionTimeout: 60000 }],
  [
    'addPartitionsToTxn',
    [0, 1],
    { transactionalId: 'tx', producerId: long(7), producerEpoch: 1, topics: [{ topic: 'orders', partitions: [0, 1] }] },
  ],
  ['endTxn', [0, 1], { transactionalId: 'tx', producerId: long(7), producerEpoch: 1, transactionResult: true }],
  ['deleteTopics', [0, 1], { topics: ['orders'], timeout: 5000 }],
  ['listGroups', [0, 1, 2], {}],
  ['describeGroups', [0, 1, 2], { groupIds: ['group-a'] }],
];

describe('requests encoded by kafkajs 2.2.4', () => {
  for (const [api, versions, args] of requestCases) {
    it(`${api} v${versions.join(', v')} decode and re-encode byte for byte`, async () => {
      for (const version of versions) {
        const { request } = kafkajsProtocol(api, version)(args);
        const frame = await kafkajsFrame(request);
        const decoded = decodeRequest(frame.subarray(4));
        if (decoded.kind !== 'request') throw new Error(`${api} v${version} was not served`);
        expect(decoded.header.correlationId).toBe(42);
        const again = encodeRequest(decoded.apiKey, decoded.header, decoded.body as never);
        expect(again, `${api} v${version}`).toEqual(frame);
      }
    });
  }

  it('Produce v7 carries kafkajs’s record batch untouched (magic 2)', async () => {
    const { request } = kafkajsProtocol('produce', 7)(requestCases[2]?.[2] ?? {});
    const decoded = decodeRequest((await kafkajsFrame(request)).subarray(4));
    if (decoded.kind !== 'request' || decoded.apiKey !== ApiKey.Produce) throw new Error('not a produce request');
    expect(decoded.body.transactionalId).toBe('tx');
    const batch = decoded.body.topicData[0]?.partitionData[0]?.records;
    expect(batch?.[16]).toBe(2);
  });
});

async function kafkajsDecode<K extends ApiKeyNumber>(
  api: string,
  key: K,
  version: number,
  body: ResponseOf<K>,
): Promise<Record<string, unknown>> {
  const frame = encodeResponse(key, version, 42, body);
  // kafkajs reads with Buffer methods; the response header (correlation id only, v0) comes off first.
  return kafkajsProtocol(api, version)({}).response.decode(Buffer.from(frame.buffer, frame.byteOffset + 8, frame.length - 8));
}

describe('responses we encode, read by kafkajs 2.2.4', () => {
  it('Metadata v0–v6', async () => {
    for (let version = 0; version <= 6; version++) {
      const decoded = await kafkajsDecode('metadata', ApiKey.Metadata, version, {
        throttleTimeMs: 0,
        brokers: [{ nodeId: 2, host: '127.0.0.1', port: 9093, rack: 'r2' }],
        clusterId: 'lab-cluster',
        controllerId: 2,
        topics: [
          {
            errorCode: 0,
            name: 'orders',
            topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
            isInternal: false,
            partitions: [
              {
                errorCode: 0,
                partitionIndex: 0,
                leaderId: 2,
                leaderEpoch: 4,
                replicaNodes: [2, 1],
                isrNodes: [2],
                offlineReplicas: [1],
              },
            ],
            topicAuthorizedOperations: 0,
          },
        ],
        clusterAuthorizedOperations: 0,
      });
      expect(decoded['brokers']).toEqual([expect.objectContaining({ nodeId: 2, host: '127.0.0.1', port: 9093 })]);
      const topics = decoded['topicMetadata'] as { topic: string; partitionMetadata: { leader: number; replicas: number[] }[] }[];
      expect(topics[0]?.topic).toBe('orders');
      expect(topics[0]?.partitionMetadata[0]).toMatchObject({ leader: 2, replicas: [2, 1], isr: [2] });
    }
  });

  it('ApiVersions v0–v2', async () => {
    for (let version = 0; version <= 2; version++) {
      const decoded = await kafkajsDecode('apiVersions', ApiKey.ApiVersions, version, {
        errorCode: 0,
        apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 9 }],
        throttleTimeMs: 0,
        supportedFeatures: [],
        finalizedFeaturesEpoch: -1,
        finalizedFeatures: [],
        zkMigrationReady: false,
      });
      expect(decoded['apiVersions']).toEqual([{ apiKey: 0, minVersion: 0, maxVersion: 9 }]);
    }
  });

  it('Produce v3–v7', async () => {
    for (let version = 3; version <= 7; version++) {
      const decoded = await kafkajsDecode('produce', ApiKey.Produce, version, {
        responses: [
          {
            name: 'orders',
            partitionResponses: [
              {
                index: 1,
                errorCode: 0,
                baseOffset: 1234,
                logAppendTimeMs: -1,
                logStartOffset: 0,
                recordErrors: [],
                errorMessage: null,
              },
            ],
          },
        ],
        throttleTimeMs: 0,
      });
      const topics = decoded['topics'] as { topicName: string; partitions: { partition: number; baseOffset: string }[] }[];
      expect(topics[0]?.topicName).toBe('orders');
      expect(topics[0]?.partitions[0]).toMatchObject({ partition: 1, errorCode: 0, baseOffset: '1234' });
    }
  });

  it('FindCoordinator v0–v2 and JoinGroup v0–v5', async () => {
    for (let version = 0; version <= 2; version++) {
      const decoded = await kafkajsDecode('findCoordinator', ApiKey.FindCoordinator, version, {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        nodeId: 3,
        host: 'localhost',
        port: 9094,
        coordinators: [],
      });
      expect(decoded['coordinator']).toEqual({ nodeId: 3, host: 'localhost', port: 9094 });
    }
    for (let version = 0; version <= 5; version++) {
      const decoded = await kafkajsDecode('joinGroup', ApiKey.JoinGroup, version, {
        throttleTimeMs: 0,
        errorCode: 0,
        generationId: 5,
        protocolType: 'consumer',
        protocolName: 'RoundRobinAssigner',
        leader: 'm-1',
        memberId: 'm-1',
        members: [{ memberId: 'm-1', groupInstanceId: null, metadata: new Uint8Array([1, 2]) }],
      });
      expect(decoded).toMatchObject({ generationId: 5, groupProtocol: 'RoundRobinAssigner', leaderId: 'm-1', memberId: 'm-1' });
    }
  });
});
