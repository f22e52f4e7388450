/**
 * Group and transaction ops of learner code, answered by the brokers' coordinators through
 * the engine's per-broker API (the requests a Kafka client sends: FindCoordinator, then
 * JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, InitProducerId,
 * AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn). The learner's client runs
 * the group protocol and its assignor itself, as Kafka's consumer does, so a custom
 * assignor in the editor really decides the assignment.
 *
 * Like a Kafka client, the host finds the coordinator again and retries when it moved or
 * is still loading (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS,
 * a broken connection), and retries CONCURRENT_TRANSACTIONS, for up to 30 s of lab time.
 * Every other error goes back to the learner's code with Kafka's error name.
 */
import { encodeRecordBatch, KafkaError, type BrokerApi, type ClusterApi, type ErrorName } from '@kil/engine';
import type { Assignment, Subscription, TopicPartition } from '@kil/client';
import { type Args, clientLimits, fail, int, list, obj, optStr, str } from './client-args';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './consumer-protocol';

export type Handler = (cluster: ClusterApi, args: Args) => Promise<unknown>;

/** How long a request keeps looking for its coordinator, in lab time. */
const coordinatorWaitMs = 30_000;
const retryBackoffMs = 100;
const membersMax = 100;
const partitionsMax = 1000;

const moved = new Set(['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS']);

/** Throws Kafka's error for a response error name other than NONE. */
function check(error: string, what: string): void {
  if (error === 'NONE') return;
  throw new KafkaError(error as ErrorName, `${what} failed: ${error}.`);
}

function anyBroker(cluster: ClusterApi): BrokerApi {
  const running = cluster.snapshot().brokers.find((b) => b.state === 'running');
  if (!running) fail('NETWORK_EXCEPTION', 'No broker is running.', 'start one with `broker start <id>`');
  return cluster.broker(running.id);
}

const brokenConnection = (error: unknown): boolean => error instanceof KafkaError && error.errorName === 'NETWORK_EXCEPTION';

/**
 * FindCoordinator, then `call` on the coordinator; found again and retried while the
 * answer says the coordinator moved (or `alsoRetry` holds), until `coordinatorWaitMs`.
 */
async function onCoordinator<R>(
  cluster: ClusterApi,
  keyType: 'group' | 'transaction',
  key: string,
  call: (broker: BrokerApi) => Promise<R>,
  errorOf: (response: R) => string,
  alsoRetry: readonly string[] = [],
): Promise<R> {
  const deadline = cluster.nowMs() + coordinatorWaitMs;
  for (;;) {
    const last = cluster.nowMs() >= deadline;
    try {
      const found = await anyBroker(cluster).findCoordinator(keyType, key);
      if (found.error === null) {
        const response = await call(cluster.broker(found.nodeId));
        const error = errorOf(response);
        if (last || (!moved.has(error) && !alsoRetry.includes(error))) return response;
      } else if (last) {
        throw found.error;
      }
    } catch (error) {
      if (last || !brokenConnection(error)) throw error;
    }
    await cluster.sleep(retryBackoffMs);
  }
}

function topicPartition(raw: unknown, what: string): TopicPartition {
  const tp = obj(raw, what);
  return { topic: str(tp, 'topic'), partition: int(tp, 'partition', 0, 1_000_000) };
}

function subscriptionArg(raw: unknown): Subscription {
  const s = obj(raw, 'subscription');
  return {
    topics: list(s, 'topics', clientLimits.topicsPerRequestMax).map((t) => optStr(t, 'topic', 249) ?? ''),
    ownedPartitions: (s.ownedPartitions === undefined ? [] : list(s, 'ownedPartitions', partitionsMax)).map((tp) => topicPartition(tp, 'owned partition')),
    userData: optStr(s.userData, 'userData'),
  };
}

function assignmentArg(raw: unknown): Assignment {
  const a = obj(raw, 'assignment');
  return { partitions: list(a, 'partitions', partitionsMax).map((tp) => topicPartition(tp, 'assigned partition')), userData: optStr(a.userData, 'userData') };
}

function offsetsArg(args: Args): { name: string; partitions: { partitionIndex: number; committedOffset: number }[] }[] {
  const offsets = list(args, 'offsets', partitionsMax).map((raw) => {
    const o = obj(raw, 'offset');
    return { ...topicPartition(o, 'offset'), offset: int(o, 'offset', 0, Number.MAX_SAFE_INTEGER) };
  });
  return [...new Set(offsets.map((o) => o.topic))].map((name) => ({
    name,
    partitions: offsets.filter((o) => o.topic === name).map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset })),
  }));
}

const memberOf = (args: Args) => ({
  groupId: str(args, 'groupId'),
  generationId: int(args, 'generationId', -1, 2_147_483_647, -1),
  memberId: optStr(args.memberId, 'memberId', 249) ?? '',
  groupInstanceId: optStr(args.groupInstanceId, 'groupInstanceId', 249),
});

async function joinGroup(cluster: ClusterApi, args: Args): Promise<unknown> {
  const groupId = str(args, 'groupId');
  const protocols = list(args, 'protocols', 8).map((raw) => {
    const p = obj(raw, 'protocol');
    return { name: str(p, 'name'), metadata: encodeSubscription(subscriptionArg(p.subscription)) };
  });
  if (protocols.length === 0) fail('INVALID_REQUEST', 'protocols must list at least one assignor.');
  let memberId = optStr(args.memberId, 'memberId', 249) ?? '';
  const request = {
    groupId,
    groupInstanceId: optStr(args.groupInstanceId, 'groupInstanceId', 249),
    sessionTimeoutMs: int(args, 'sessionTimeoutMs', 1, 3_600_000, 45_000),
    rebalanceTimeoutMs: int(args, 'rebalanceTimeoutMs', 1, 3_600_000, 300_000),
    protocolType: 'consumer',
    protocols,
    clientId: 'learner-code',
    clientHost: '/127.0.0.1',
    version: 9,
  };
  // A new member first gets its id (KIP-394) and joins again with it, as Kafka's client does.
  for (let attempt = 0; ; attempt++) {
    const response = await onCoordinator(cluster, 'group', groupId, (b) => b.joinGroup({ ...request, memberId }), (r) => r.error);
    if (response.error === 'MEMBER_ID_REQUIRED' && attempt === 0) {
      memberId = response.memberId;
      continue;
    }
    check(response.error, `JoinGroup of ${groupId}`);
    return {
      generationId: response.generationId,
      protocolName: response.protocolName ?? '',
      leader: response.leader,
      memberId: response.memberId,
      skipAssignment: response.skipAssignment,
      members: response.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, subscription: decodeSubscription(m.metadata) })),
    };
  }
}

async function syncGroup(cluster: ClusterApi, args: Args): Promise<unknown> {
  const member = memberOf(args);
  const assignments = list(args, 'assignments', membersMax).map((raw) => {
    const a = obj(raw, 'assignment');
    return { memberId: str(a, 'memberId'), assignment: encodeAssignment(assignmentArg(a.assignment)) };
  });
  const protocolName = optStr(args.protocolName, 'protocolName', 249);
  const response = await onCoordinator(cluster, 'group', member.groupId, (b) => b.syncGroup({ ...member, protocolType: 'consumer', protocolName, assignments }), (r) => r.error);
  check(response.error, `SyncGroup of ${member.groupId}`);
  return { assignment: decodeAssignment(response.assignment) };
}

async function heartbeat(cluster: ClusterApi, args: Args): Promise<unknown> {
  const member = memberOf(args);
  const response = await onCoordinator(cluster, 'group', member.groupId, (b) => b.heartbeat(member), (r) => r.error);
  check(response.error, `Heartbeat of ${member.groupId}`);
  return {};
}

async function leaveGroup(cluster: ClusterApi, args: Args): Promise<unknown> {
  const groupId = str(args, 'groupId');
  const members = list(args, 'members', membersMax).map((raw) => {
    const m = obj(raw, 'member');
    return { memberId: optStr(m.memberId, 'memberId', 249) ?? '', groupInstanceId: optStr(m.groupInstanceId, 'groupInstanceId', 249) };
  });
  const response = await onCoordinator(cluster, 'group', groupId, (b) => b.leaveGroup({ groupId, members }), (r) => r.error);
  check(response.error, `LeaveGroup of ${groupId}`);
  for (const m of response.members) check(m.error, `LeaveGroup of ${m.memberId || m.groupInstanceId} from ${groupId}`);
  return {};
}

async function offsetCommit(cluster: ClusterApi, args: Args): Promise<unknown> {
  const member = memberOf(args);
  const topics = offsetsArg(args);
  const firstError = (r: { topics: readonly { partitions: readonly { error: string }[] }[] }) => r.topics.flatMap((t) => t.partitions).find((p) => p.error !== 'NONE')?.error ?? 'NONE';
  const response = await onCoordinator(cluster, 'group', member.groupId, (b) => b.offsetCommit({ groupId: member.groupId, generationIdOrMemberEpoch: member.generationId, memberId: member.memberId, groupInstanceId: member.groupInstanceId, topics }), firstError);
  check(firstError(response), `OffsetCommit of ${member.groupId}`);
  return {};
}

async function offsetFetch(cluster: ClusterApi, args: Args): Promise<unknown> {
  const groupId = str(args, 'groupId');
  const partitions = list(args, 'partitions', partitionsMax).map((tp) => topicPartition(tp, 'partition'));
  const topics = [...new Set(partitions.map((p) => p.topic))].map((name) => ({ name, partitionIndexes: partitions.filter((p) => p.topic === name).map((p) => p.partition) }));
  const requireStable = args.requireStable === true;
  // KIP-447: while a transaction holds offsets of the group, a stable read waits for its marker.
  const error = (r: { error: string; topics: readonly { partitions: readonly { error: string }[] }[] }) =>
    r.error !== 'NONE' ? r.error : (r.topics.flatMap((t) => t.partitions).find((p) => p.error !== 'NONE')?.error ?? 'NONE');
  const response = await onCoordinator(cluster, 'group', groupId, (b) => b.offsetFetch({ groupId, topics, requireStable }), error, ['UNSTABLE_OFFSET_COMMIT']);
  check(error(response), `OffsetFetch of ${groupId}`);
  return { offsets: response.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset }))) };
}

async function describeGroups(cluster: ClusterApi, args: Args): Promise<unknown> {
  const groupIds = list(args, 'groupIds', clientLimits.topicsPerRequestMax).map((g) => optStr(g, 'groupId', 249) ?? '');
  const groups = await cluster.admin.describeGroups(groupIds);
  return {
    groups: groups.map((g) => ({
      groupId: g.groupId,
      state: g.state,
      protocol: g.protocol,
      generationId: g.generationId,
      members: g.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, assignment: m.assignment })),
    })),
  };
}

// ---- producer ids and transactions ------------------------------------------------------------

async function initProducerId(cluster: ClusterApi, args: Args): Promise<unknown> {
  const transactionalId = optStr(args.transactionalId, 'transactionalId', 249);
  const transactionTimeoutMs = int(args, 'transactionTimeoutMs', 1, 3_600_000, 60_000);
  const request = { transactionalId, transactionTimeoutMs };
  const response =
    transactionalId === null
      ? await onCoordinatorless(cluster, (b) => b.initProducerId(request))
      : await onCoordinator(cluster, 'transaction', transactionalId, (b) => b.initProducerId(request), (r) => r.error, ['CONCURRENT_TRANSACTIONS']);
  check(response.error, 'InitProducerId');
  return { producerId: response.producerId, producerEpoch: response.producerEpoch };
}

/** InitProducerId without a transactional id: any broker answers, once it has producer ids. */
async function onCoordinatorless<R extends { error: string }>(cluster: ClusterApi, call: (b: BrokerApi) => Promise<R>): Promise<R> {
  const deadline = cluster.nowMs() + coordinatorWaitMs;
  for (;;) {
    const response = await call(anyBroker(cluster));
    if (!moved.has(response.error) || cluster.nowMs() >= deadline) return response;
    await cluster.sleep(retryBackoffMs);
  }
}

const txnOf = (args: Args) => ({
  transactionalId: str(args, 'transactionalId'),
  producerId: int(args, 'producerId', 0, Number.MAX_SAFE_INTEGER),
  producerEpoch: int(args, 'producerEpoch', 0, 32_767),
});

async function addPartitionsToTxn(cluster: ClusterApi, args: Args): Promise<unknown> {
  const txn = txnOf(args);
  const partitions = list(args, 'partitions', partitionsMax).map((tp) => topicPartition(tp, 'partition'));
  const topics = [...new Set(partitions.map((p) => p.topic))].map((name) => ({ name, partitions: partitions.filter((p) => p.topic === name).map((p) => p.partition) }));
  const errorOf = (r: { error: string; results: readonly { partitions: readonly { error: string }[] }[] }) =>
    r.error !== 'NONE' ? r.error : (r.results.flatMap((t) => t.partitions).find((p) => p.error !== 'NONE')?.error ?? 'NONE');
  const response = await onCoordinator(cluster, 'transaction', txn.transactionalId, (b) => b.addPartitionsToTxn({ ...txn, topics }), errorOf, ['CONCURRENT_TRANSACTIONS']);
  check(errorOf(response), `AddPartitionsToTxn of ${txn.transactionalId}`);
  return {};
}

async function addOffsetsToTxn(cluster: ClusterApi, args: Args): Promise<unknown> {
  const txn = txnOf(args);
  const groupId = str(args, 'groupId');
  const response = await onCoordinator(cluster, 'transaction', txn.transactionalId, (b) => b.addOffsetsToTxn({ ...txn, groupId }), (r) => r.error, ['CONCURRENT_TRANSACTIONS']);
  check(response.error, `AddOffsetsToTxn of ${txn.transactionalId}`);
  return {};
}

async function txnOffsetCommit(cluster: ClusterApi, args: Args): Promise<unknown> {
  const txn = txnOf(args);
  const member = memberOf(args);
  const topics = offsetsArg(args);
  const firstError = (r: { topics: readonly { partitions: readonly { error: string }[] }[] }) => r.topics.flatMap((t) => t.partitions).find((p) => p.error !== 'NONE')?.error ?? 'NONE';
  const response = await onCoordinator(cluster, 'group', member.groupId, (b) => b.txnOffsetCommit({ ...txn, ...member, topics }), firstError);
  check(firstError(response), `TxnOffsetCommit of ${member.groupId}`);
  return {};
}

async function endTxn(cluster: ClusterApi, args: Args): Promise<unknown> {
  const txn = txnOf(args);
  const committed = args.committed === true;
  const response = await onCoordinator(cluster, 'transaction', txn.transactionalId, (b) => b.endTxn({ ...txn, committed }), (r) => r.error, ['CONCURRENT_TRANSACTIONS']);
  check(response.error, `EndTxn(${committed ? 'commit' : 'abort'}) of ${txn.transactionalId}`);
  return {};
}

/**
 * The batch an idempotent or transactional producer sends: its producer id, epoch and the
 * first sequence number, so the leader can drop a retried batch and fence a stale epoch.
 */
export function producerBatch(args: Args, records: readonly { key: string | null; value: string | null }[], nowMs: number): Uint8Array | null {
  if (args.producerId === undefined || args.producerId === null) return null;
  return encodeRecordBatch({
    records: records.map((r) => ({ key: r.key, value: r.value, timestamp: nowMs })),
    producerId: int(args, 'producerId', 0, Number.MAX_SAFE_INTEGER),
    producerEpoch: int(args, 'producerEpoch', 0, 32_767),
    baseSequence: int(args, 'baseSequence', 0, 2_147_483_647),
    isTransactional: typeof args.transactionalId === 'string' && args.transactionalId !== '',
  });
}

export const coordinatorHandlers = {
  joinGroup,
  syncGroup,
  heartbeat,
  leaveGroup,
  offsetCommit,
  offsetFetch,
  describeGroups,
  initProducerId,
  addPartitionsToTxn,
  addOffsetsToTxn,
  txnOffsetCommit,
  endTxn,
} satisfies Record<string, Handler>;
