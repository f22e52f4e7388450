/**
 * The group and transaction APIs spoken byte by byte against the real engine: how the
 * coordinators' answers map onto each protocol version (MEMBER_ID_REQUIRED with its member
 * id, the generation checks, NOT_COORDINATOR away from the coordinator, LeaveGroup v0's
 * top-level error, OffsetFetch v1 and v8, FindCoordinator v4 batches, PRODUCER_FENCED versus
 * INVALID_PRODUCER_EPOCH), and the idempotent producer's duplicate and sequence checks.
 */
import { encodeRecordBatch, ErrorCode } from '@kil/engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JoinGroupRequest } from '../messages/11-join-group';
import { ApiKey } from '../protocol/apis';
import { CompatCluster } from './harness';
import { RawClient } from './raw-client';

let lab: CompatCluster;
const clients: RawClient[] = [];

beforeAll(async () => {
  lab = await CompatCluster.start({
    config: { 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '5', 'transaction.state.log.num.partitions': '5' },
    topics: [{ name: 'coord', numPartitions: 1, replicationFactor: 3 }],
  });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  await lab?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function open(brokerId: number): Promise<RawClient> {
  const client = await RawClient.open(lab.ports.get(brokerId) as number);
  clients.push(client);
  return client;
}

/** Asks FindCoordinator v4 until the internal topic exists and the key has a coordinator. */
async function coordinatorOf(keyType: 0 | 1, key: string): Promise<number> {
  const client = await open(1);
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = await client.call(ApiKey.FindCoordinator, 4, { key: '', keyType, coordinatorKeys: [key] });
    const answer = found.coordinators[0];
    if (answer?.errorCode === 0) return answer.nodeId;
    expect(answer?.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    await sleep(100);
  }
  throw new Error(`no coordinator for ${key}`);
}

const otherBroker = (id: number): number => lab.cluster.brokerIds.find((b) => b !== id) as number;

function join(groupId: string, memberId: string, sessionTimeoutMs = 10_000): JoinGroupRequest {
  return {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs: 10_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array([0, 1, 2]) }],
  };
}

describe('FindCoordinator', () => {
  it('answers v4 batches key by key at the listener address, and v0 for groups', async () => {
    const group = await coordinatorOf(0, 'find-a');
    const txn = await coordinatorOf(1, 'find-txn');
    const client = await open(2);
    const batch = await client.call(ApiKey.FindCoordinator, 4, { key: '', keyType: 0, coordinatorKeys: ['find-a', 'find-b'] });
    expect(batch.coordinators.map((c) => c.key)).toEqual(['find-a', 'find-b']);
    expect(batch.coordinators[0]).toMatchObject({ nodeId: group, host: '127.0.0.1', port: lab.ports.get(group), errorCode: 0 });
    const v0 = await client.call(ApiKey.FindCoordinator, 0, { key: 'find-a', keyType: 0, coordinatorKeys: [] });
    expect(v0).toMatchObject({ errorCode: 0, nodeId: group, port: lab.ports.get(group) });
    const v3 = await client.call(ApiKey.FindCoordinator, 3, { key: 'find-txn', keyType: 1, coordinatorKeys: [] });
    expect(v3).toMatchObject({ errorCode: 0, nodeId: txn, port: lab.ports.get(txn) });
    const bad = await client.call(ApiKey.FindCoordinator, 4, { key: '', keyType: 7, coordinatorKeys: ['x'] });
    expect(bad.coordinators[0]?.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });
});

describe('the classic group protocol', () => {
  it('joins through MEMBER_ID_REQUIRED, syncs, heartbeats, commits and fetches offsets, then leaves', async () => {
    const coordinator = await coordinatorOf(0, 'raw-group');
    const client = await open(coordinator);
    const first = await client.call(ApiKey.JoinGroup, 7, join('raw-group', ''));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).not.toBe('');
    const joined = await client.call(ApiKey.JoinGroup, 7, join('raw-group', first.memberId));
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, leader: first.memberId, memberId: first.memberId, protocolName: 'range', protocolType: 'consumer' });
    expect([...(joined.members[0]?.metadata ?? [])]).toEqual([0, 1, 2]);
    const member = { groupId: 'raw-group', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null };
    const synced = await client.call(ApiKey.SyncGroup, 5, { ...member, protocolType: 'consumer', protocolName: 'range', assignments: [{ memberId: joined.memberId, assignment: new Uint8Array([9, 8]) }] });
    expect(synced.errorCode).toBe(0);
    expect([...synced.assignment]).toEqual([9, 8]);
    expect((await client.call(ApiKey.Heartbeat, 4, member)).errorCode).toBe(0);
    expect((await client.call(ApiKey.Heartbeat, 4, { ...member, generationId: 5 })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await client.call(ApiKey.Heartbeat, 0, { ...member, memberId: 'stranger' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const commit = await client.call(ApiKey.OffsetCommit, 8, {
      groupId: 'raw-group', generationIdOrMemberEpoch: joined.generationId, memberId: joined.memberId, groupInstanceId: null, retentionTimeMs: -1,
      topics: [{ name: 'coord', partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: 'm' }] }],
    });
    expect(commit.topics[0]?.partitions[0]?.errorCode).toBe(0);
    const stale = await client.call(ApiKey.OffsetCommit, 2, {
      groupId: 'raw-group', generationIdOrMemberEpoch: 9, memberId: joined.memberId, groupInstanceId: null, retentionTimeMs: -1,
      topics: [{ name: 'coord', partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }] }],
    });
    expect(stale.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);

    const batched = await client.call(ApiKey.OffsetFetch, 8, { groupId: '', topics: [], requireStable: false, groups: [{ groupId: 'raw-group', topics: null }, { groupId: 'nobody', topics: [{ name: 'coord', partitionIndexes: [0] }] }] });
    expect(batched.groups[0]).toMatchObject({ groupId: 'raw-group', errorCode: 0, topics: [{ name: 'coord', partitions: [{ partitionIndex: 0, committedOffset: 42, metadata: 'm', errorCode: 0 }] }] });
    expect(batched.groups[1]?.topics[0]?.partitions[0]?.committedOffset).toBe(-1);

    const described = await client.call(ApiKey.DescribeGroups, 5, { groups: ['raw-group'], includeAuthorizedOperations: false });
    expect(described.groups[0]).toMatchObject({ errorCode: 0, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described.groups[0]?.members[0]).toMatchObject({ memberId: joined.memberId, clientId: 'raw', clientHost: '/127.0.0.1' });
    const listed = await client.call(ApiKey.ListGroups, 4, { statesFilter: ['Stable'] });
    expect(listed.groups).toContainEqual({ groupId: 'raw-group', protocolType: 'consumer', groupState: 'Stable' });

    expect((await client.call(ApiKey.DeleteGroups, 2, { groupsNames: ['raw-group'] })).results[0]?.errorCode).toBe(ErrorCode.NON_EMPTY_GROUP);
    const leftUnknown = await client.call(ApiKey.LeaveGroup, 0, { groupId: 'raw-group', memberId: 'stranger', members: [] });
    expect(leftUnknown.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const left = await client.call(ApiKey.LeaveGroup, 4, { groupId: 'raw-group', memberId: '', members: [{ memberId: joined.memberId, groupInstanceId: null }] });
    expect(left).toMatchObject({ errorCode: 0, members: [{ memberId: joined.memberId, errorCode: 0 }] });
    expect((await client.call(ApiKey.DeleteGroups, 2, { groupsNames: ['raw-group'] })).results[0]?.errorCode).toBe(0);
  });

  it('answers NOT_COORDINATOR away from the coordinator, on every partition for OffsetFetch v1', async () => {
    const coordinator = await coordinatorOf(0, 'elsewhere');
    const client = await open(otherBroker(coordinator));
    expect((await client.call(ApiKey.JoinGroup, 5, join('elsewhere', ''))).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    const v1 = await client.call(ApiKey.OffsetFetch, 1, { groupId: 'elsewhere', topics: [{ name: 'coord', partitionIndexes: [0] }], requireStable: false, groups: [] });
    expect(v1.topics[0]?.partitions[0]).toMatchObject({ partitionIndex: 0, committedOffset: -1, errorCode: ErrorCode.NOT_COORDINATOR });
    const described = await client.call(ApiKey.DescribeGroups, 0, { groups: ['elsewhere'], includeAuthorizedOperations: false });
    expect(described.groups[0]?.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it('refuses a session timeout below group.min.session.timeout.ms with INVALID_SESSION_TIMEOUT', async () => {
    const coordinator = await coordinatorOf(0, 'too-short');
    const client = await open(coordinator);
    expect((await client.call(ApiKey.JoinGroup, 3, join('too-short', '', 100))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
  });
});

describe('idempotence and transactions', () => {
  const batch = (producerId: number, producerEpoch: number, baseSequence: number, isTransactional = false): Uint8Array =>
    encodeRecordBatch({ records: [{ key: 'k', value: `seq ${baseSequence}`, timestamp: 1 }], producerId, producerEpoch, baseSequence, isTransactional });

  it('acknowledges a duplicate batch with its first offset and refuses a sequence gap', async () => {
    const leader = lab.cluster.snapshot().topics.find((t) => t.name === 'coord')?.partitions[0]?.leader as number;
    const client = await open(leader);
    let init = await client.call(ApiKey.InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    for (let attempt = 0; init.errorCode !== 0 && attempt < 50; attempt++) {
      expect(init.errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
      await sleep(100);
      init = await client.call(ApiKey.InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    }
    expect(init).toMatchObject({ errorCode: 0, producerEpoch: 0 });
    const send = (records: Uint8Array) =>
      client.call(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5_000, topicData: [{ name: 'coord', partitionData: [{ index: 0, records }] }] });
    const first = (await send(batch(init.producerId, 0, 0))).responses[0]?.partitionResponses[0];
    expect(first?.errorCode).toBe(0);
    const again = (await send(batch(init.producerId, 0, 0))).responses[0]?.partitionResponses[0];
    expect(again).toMatchObject({ errorCode: 0, baseOffset: first?.baseOffset });
    const gap = (await send(batch(init.producerId, 0, 5))).responses[0]?.partitionResponses[0];
    expect(gap?.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const producers = await client.call(ApiKey.DescribeProducers, 0, { topics: [{ name: 'coord', partitionIndexes: [0] }] });
    expect(producers.topics[0]?.partitions[0]?.activeProducers).toContainEqual(expect.objectContaining({ producerId: init.producerId, producerEpoch: 0, lastSequence: 0 }));
  });

  it('fences an older producer epoch: INVALID_PRODUCER_EPOCH before v2, PRODUCER_FENCED from v2', async () => {
    const coordinator = await coordinatorOf(1, 'raw-txn');
    const client = await open(coordinator);
    const initTxn = async () => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const out = await client.call(ApiKey.InitProducerId, 4, { transactionalId: 'raw-txn', transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 });
        if (out.errorCode === 0) return out;
        expect([ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.CONCURRENT_TRANSACTIONS]).toContain(out.errorCode);
        await sleep(100);
      }
      throw new Error('InitProducerId did not succeed');
    };
    const old = await initTxn();
    const base = { v3AndBelowTransactionalId: 'raw-txn', v3AndBelowProducerId: old.producerId, v3AndBelowProducerEpoch: old.producerEpoch, v3AndBelowTopics: [{ name: 'coord', partitions: [0] }] };
    const added = await client.call(ApiKey.AddPartitionsToTxn, 3, base);
    expect(added.resultsByTopicV3AndBelow[0]?.resultsByPartition[0]?.partitionErrorCode).toBe(0);
    const described = await client.call(ApiKey.DescribeTransactions, 0, { transactionalIds: ['raw-txn'] });
    expect(described.transactionStates[0]).toMatchObject({ errorCode: 0, transactionState: 'Ongoing', producerId: old.producerId, topics: [{ topic: 'coord', partitions: [0] }] });
    const listed = await client.call(ApiKey.ListTransactions, 0, { stateFilters: ['Ongoing', 'Sleepy'], producerIdFilters: [] });
    expect(listed.unknownStateFilters).toEqual(['Sleepy']);
    expect(listed.transactionStates).toContainEqual({ transactionalId: 'raw-txn', producerId: old.producerId, transactionState: 'Ongoing' });

    const fresh = await initTxn();
    expect(fresh.producerEpoch).toBeGreaterThan(old.producerEpoch);
    const endOld = { transactionalId: 'raw-txn', producerId: old.producerId, producerEpoch: old.producerEpoch, committed: true };
    expect((await client.call(ApiKey.EndTxn, 1, endOld)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect((await client.call(ApiKey.EndTxn, 3, endOld)).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    expect((await client.call(ApiKey.AddPartitionsToTxn, 1, base)).resultsByTopicV3AndBelow[0]?.resultsByPartition[0]?.partitionErrorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    // Ending a transaction that was never begun is INVALID_TXN_STATE.
    const abortNothing = await client.call(ApiKey.EndTxn, 3, { transactionalId: 'raw-txn', producerId: fresh.producerId, producerEpoch: fresh.producerEpoch, committed: true });
    expect(abortNothing.errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    const away = await (await open(otherBroker(coordinator))).call(ApiKey.InitProducerId, 4, { transactionalId: 'raw-txn', transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 });
    expect(away.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
  });
});
