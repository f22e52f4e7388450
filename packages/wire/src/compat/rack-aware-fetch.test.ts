/**
 * KIP-392 over the wire: a Fetch v11+ `rack_id` reaches the engine as the consumer's rack.
 * With the rack-aware replica selector the leader answers `preferred_read_replica` (and no
 * records) for a consumer in another rack that has an in-sync follower; that follower then
 * serves the fetch. Without a rack id the leader serves it and names no replica.
 */
import { encodeRecordBatch } from '@kil/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchRequest, FetchResponsePartitionData } from '../messages/01-fetch';
import { ApiKey } from '../protocol/apis';
import { CompatCluster } from './harness';
import { RawClient } from './raw-client';

let lab: CompatCluster;
const clients: RawClient[] = [];

beforeAll(async () => {
  lab = await CompatCluster.start({
    racks: ['rack-a', 'rack-b', 'rack-c'],
    config: { 'replica.selector.class': 'org.apache.kafka.common.replica.RackAwareReplicaSelector' },
    topics: [{ name: 'racked', numPartitions: 1, replicationFactor: 3 }],
  });
});

afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await lab?.close();
});

async function open(brokerId: number): Promise<RawClient> {
  const client = await RawClient.open(lab.ports.get(brokerId) as number);
  clients.push(client);
  return client;
}

function fetch(rackId: string, maxWaitMs: number): FetchRequest {
  return {
    clusterId: null, replicaId: -1, maxWaitMs, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic: 'racked', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [], rackId,
  };
}

const partitionOf = async (client: RawClient, version: number, rackId: string, maxWaitMs = 0): Promise<FetchResponsePartitionData> =>
  (await client.call(ApiKey.Fetch, version, fetch(rackId, maxWaitMs))).responses[0]?.partitions[0] as FetchResponsePartitionData;

describe('rack-aware fetch (KIP-392)', () => {
  it('sends a consumer in another rack to its in-sync follower, which serves it', async () => {
    const partition = lab.cluster.snapshot().topics.find((t) => t.name === 'racked')?.partitions[0];
    const leader = partition?.leader as number;
    const follower = partition?.replicas.find((id) => id !== leader) as number;
    const leaderClient = await open(leader);
    const records = encodeRecordBatch({ records: [{ key: 'k', value: 'near you', timestamp: 1 }] });
    const produced = await leaderClient.call(ApiKey.Produce, 9, { transactionalId: null, acks: -1, timeoutMs: 5_000, topicData: [{ name: 'racked', partitionData: [{ index: 0, records }] }] });
    expect(produced.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    // The follower's next fetch tells it the new high watermark; until then it may not be a candidate.
    const followerRack = `rack-${'abc'[follower - 1]}`;
    let redirect = await partitionOf(leaderClient, 11, followerRack);
    for (let attempt = 0; redirect.preferredReadReplica !== follower && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      redirect = await partitionOf(leaderClient, 11, followerRack);
    }
    expect(redirect).toMatchObject({ errorCode: 0, preferredReadReplica: follower });
    expect(redirect.records?.length ?? 0).toBe(0);

    // A follower serves consumers up to its own high watermark, which its next fetch brings: long-poll for it.
    const served = await partitionOf(await open(follower), 12, followerRack, 1_500);
    expect(served.errorCode).toBe(0);
    expect(served.records?.length ?? 0).toBeGreaterThan(0);
    expect(served.preferredReadReplica).toBe(-1);

    const plain = await partitionOf(leaderClient, 11, '');
    expect(plain.preferredReadReplica).toBe(-1);
    expect(plain.records?.length ?? 0).toBeGreaterThan(0);
    // Fetch v10 has no rack id: always the leader's own answer.
    expect((await partitionOf(leaderClient, 10, followerRack)).preferredReadReplica).toBe(-1);
  });
});
