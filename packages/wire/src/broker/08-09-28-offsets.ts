/**
 * Committed offsets: OffsetCommit (8) v0–8, OffsetFetch (9) v0–8, TxnOffsetCommit (28) v0–3.
 *
 * Behaviour: the group's coordinator stores offsets as records in its `__consumer_offsets`
 * partition and answers once they are committed (acks=all on that partition). OffsetCommit
 * checks the generation and member (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
 * REBALANCE_IN_PROGRESS, FENCED_INSTANCE_ID); generation -1 with an empty member id is a
 * commit from outside any group, as Kafka allows. OffsetFetch v8 batches groups, each
 * answered on its own; v2+ accept a null topic list (every partition the group has an
 * offset for); v7+ `require_stable` (KIP-447) answers UNSTABLE_OFFSET_COMMIT while a
 * transaction's offsets are pending. TxnOffsetCommit stages offsets that become visible
 * when the transaction commits; its producer checks answer INVALID_PRODUCER_EPOCH.
 *
 * Versions: OffsetFetch v0–1 have no request-level error, so a group-wide error (say
 * NOT_COORDINATOR) goes on every partition, as Kafka does.
 *
 * Deviations: OffsetCommit v2–4 `retention_time_ms` and v1 `commit_timestamp` are ignored
 * (offsets.retention.minutes applies to every offset).
 */
import type { OffsetCommitResponse as EngineCommit, OffsetFetchResponse as EngineFetch } from '@kil/engine';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../messages/08-offset-commit';
import type { OffsetFetchRequest, OffsetFetchResponse, OffsetFetchResponseTopic } from '../messages/09-offset-fetch';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from '../messages/28-txn-offset-commit';
import type { RequestContext } from '../server/types';
import { codeOfName, coordinatorCall, producerErrorCode } from './coordinator-errors';
import type { HandlerEnv } from './context';

type CommitTopics = OffsetCommitRequest['topics'] | TxnOffsetCommitRequest['topics'];

function engineTopics(topics: CommitTopics) {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partitionIndex,
      committedOffset: p.committedOffset,
      committedLeaderEpoch: p.committedLeaderEpoch,
      committedMetadata: p.committedMetadata,
    })),
  }));
}

/** Every requested partition with one error code (a request-wide failure). */
function everyPartition(topics: CommitTopics, errorCode: number): OffsetCommitResponse {
  return { throttleTimeMs: 0, topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })) };
}

function commitResponse(out: EngineCommit, codeOf: (name: EngineCommit['topics'][number]['partitions'][number]['error']) => number): OffsetCommitResponse {
  return { throttleTimeMs: 0, topics: out.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: codeOf(p.error) })) })) };
}

export function handleOffsetCommit(env: HandlerEnv, request: OffsetCommitRequest): Promise<OffsetCommitResponse> {
  return coordinatorCall(
    () =>
      env.engine(() =>
        env.broker.offsetCommit({
          groupId: request.groupId,
          generationIdOrMemberEpoch: request.generationIdOrMemberEpoch,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          topics: engineTopics(request.topics),
        }),
      ),
    (out) => commitResponse(out, codeOfName),
    (errorCode) => everyPartition(request.topics, errorCode),
  );
}

export function handleTxnOffsetCommit(env: HandlerEnv, request: TxnOffsetCommitRequest): Promise<TxnOffsetCommitResponse> {
  return coordinatorCall(
    () =>
      env.engine(() =>
        env.broker.txnOffsetCommit({
          transactionalId: request.transactionalId,
          groupId: request.groupId,
          producerId: request.producerId,
          producerEpoch: request.producerEpoch,
          generationId: request.generationId,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          topics: engineTopics(request.topics),
        }),
      ),
    (out) => commitResponse(out, (name) => producerErrorCode(name, 0, Infinity)),
    (errorCode) => everyPartition(request.topics, errorCode),
  );
}

interface GroupQuery {
  readonly groupId: string;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitionIndexes: readonly number[] }> | null;
}

/** One group's offsets; a request-wide failure comes back as the group's error code. */
function fetchGroup(env: HandlerEnv, query: GroupQuery, requireStable: boolean): Promise<{ errorCode: number; topics: OffsetFetchResponseTopic[] }> {
  return coordinatorCall(
    () => env.engine(() => env.broker.offsetFetch({ groupId: query.groupId, topics: query.topics, requireStable })),
    (out: EngineFetch) => ({
      errorCode: codeOfName(out.error),
      topics: out.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          committedOffset: p.committedOffset,
          committedLeaderEpoch: p.committedLeaderEpoch,
          metadata: p.metadata,
          errorCode: codeOfName(p.error),
        })),
      })),
    }),
    (errorCode) => ({ errorCode, topics: [] }),
  );
}

export async function handleOffsetFetch(env: HandlerEnv, request: OffsetFetchRequest, context: RequestContext): Promise<OffsetFetchResponse> {
  const version = context.header.requestApiVersion;
  if (version >= 8) {
    const groups = await Promise.all(request.groups.map(async (g) => ({ groupId: g.groupId, ...(await fetchGroup(env, g, request.requireStable)) })));
    return { throttleTimeMs: 0, topics: [], errorCode: 0, groups };
  }
  const out = await fetchGroup(env, { groupId: request.groupId, topics: request.topics }, request.requireStable);
  if (version < 2 && out.errorCode !== 0) {
    const topics = (request.topics ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: out.errorCode })),
    }));
    return { throttleTimeMs: 0, topics, errorCode: out.errorCode, groups: [] };
  }
  return { throttleTimeMs: 0, topics: out.topics, errorCode: out.errorCode, groups: [] };
}
