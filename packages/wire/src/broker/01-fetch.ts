/**
 * Fetch (api key 1): versions 4–12 served; 0–3 are advertised (clients expect the range to
 * start at 0) and answered UNSUPPORTED_VERSION on every partition (message format v0/v1).
 *
 * Behaviour:
 * - Long polling: the partitions are read at once; if fewer than `min_bytes` came back and
 *   nothing failed, the handler waits in the engine's fetch purgatory on every partition
 *   until one gets data or `max_wait_ms` (virtual time) passes, then reads all of them
 *   again, until `min_bytes` is reached or the wait is over.
 * - Sizes (KIP-74): partitions are read in request order within `max_bytes`, each up to its
 *   `partition_max_bytes`; the first partition with data always returns at least one whole
 *   batch even if it is larger. Partitions past the budget answer with no records but their
 *   current offsets.
 * - Per partition: `high_watermark`, `last_stable_offset` (read_committed bounds reads by
 *   it), `log_start_offset`, `aborted_transactions` as an array (empty unless the engine
 *   reports aborted transactions in the range), `preferred_read_replica` (KIP-392): with a
 *   `rack_id` (v11+) and the broker's replica.selector.class set to the rack-aware selector,
 *   the leader may name a follower in the client's rack; that partition then comes back
 *   without records and the client fetches from the follower, which serves consumers up to
 *   its own high watermark. -1 otherwise.
 * - Sessions (KIP-227): every fetch is a full, sessionless fetch; the answer's `session_id`
 *   is 0, which tells clients that asked for a session to keep sending full fetches.
 *
 * Deviations: `current_leader_epoch` (v9+) is not checked; `replica_id` >= 0 (a follower
 * broker) is served like a consumer.
 */
import type { FetchResponse as EngineFetch } from '@kil/engine';
import type {
  FetchRequest,
  FetchResponse,
  FetchResponseAbortedTransaction,
  FetchResponsePartitionData,
} from '../messages/01-fetch';
import type { RequestContext } from '../server/types';
import { errorCodeOf, isBrokerDown, NONE, unsupported, type HandlerEnv } from './context';

interface Wanted {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
}

interface Read {
  readonly wanted: Wanted;
  readonly out: EngineFetch | null;
  readonly error: unknown;
}

const noEpoch = { epoch: -1, endOffset: -1 };
const noLeader = { leaderId: -1, leaderEpoch: -1 };
const noSnapshot = { endOffset: -1, epoch: -1 };
const EMPTY = new Uint8Array(0);

export async function handleFetch(env: HandlerEnv, request: FetchRequest, context: RequestContext): Promise<FetchResponse> {
  const version = context.header.requestApiVersion;
  const wanted: Wanted[] = request.topics.flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, fetchOffset: p.fetchOffset, partitionMaxBytes: p.partitionMaxBytes })),
  );
  if (version < 4) {
    const error = unsupported(`Fetch v${version} returns message format v0/v1; this broker serves record batch v2 (Fetch v4+).`);
    return respond(wanted.map((w) => ({ wanted: w, out: null, error })), Number.MAX_SAFE_INTEGER);
  }
  const scope: ReadScope = {
    isolationLevel: request.isolationLevel === 1 ? 'read_committed' : 'read_uncommitted',
    ...(version >= 11 && request.rackId !== '' ? { clientRack: request.rackId } : {}),
  };
  const deadlineMs = env.cluster.nowMs() + Math.max(0, request.maxWaitMs);
  for (;;) {
    const reads = await readAll(env, wanted, scope);
    const bytes = reads.reduce((n, r) => n + (r.out?.batches.length ?? 0), 0);
    const answerNow = reads.some((r) => r.error !== null || r.out?.error != null || redirected(r));
    const remainingMs = deadlineMs - env.cluster.nowMs();
    if (bytes >= Math.max(1, request.minBytes) || answerNow || remainingMs <= 0 || wanted.length === 0) {
      return respond(reads, request.maxBytes);
    }
    await waitForData(env, reads, scope, remainingMs, Math.max(1, request.minBytes) - bytes);
  }
}

/** What every partition read of one request shares. */
interface ReadScope {
  readonly isolationLevel: 'read_committed' | 'read_uncommitted';
  /** rack_id (v11+, KIP-392), when the client sent one. */
  readonly clientRack?: string;
}

/** A leader that names another replica to read from answers at once (the client must move). */
const redirected = (read: Read): boolean => (read.out?.preferredReadReplica ?? -1) >= 0;

/** Reads every partition without waiting. A broker that went down fails the whole request. */
async function readAll(env: HandlerEnv, wanted: readonly Wanted[], scope: ReadScope): Promise<Read[]> {
  return Promise.all(
    wanted.map(async (w): Promise<Read> => {
      try {
        const out = await env.engine(() =>
          env.broker.fetch({ topic: w.topic, partition: w.partition, fetchOffset: w.fetchOffset, maxBytes: Math.max(1, w.partitionMaxBytes), maxWaitMs: 0, minBytes: 1, ...scope }),
        );
        return { wanted: w, out, error: null };
      } catch (error) {
        if (isBrokerDown(error)) throw error;
        return { wanted: w, out: null, error };
      }
    }),
  );
}

/**
 * Parks one engine fetch per partition in the purgatory, each asking for the bytes it has now
 * plus the bytes still missing, and resolves when the first one answers (it got that much,
 * or its wait ran out). Asking for more than is there keeps an answer from coming back at
 * once, so the loop above never spins without virtual time moving. The other fetches finish
 * on their own later and their answers are dropped; the next read sees the same data.
 */
function waitForData(
  env: HandlerEnv,
  reads: readonly Read[],
  scope: ReadScope,
  waitMs: number,
  missingBytes: number,
): Promise<void> {
  return new Promise((resolve) => {
    for (const { wanted: w, out } of reads) {
      const minBytes = (out?.batches.length ?? 0) + missingBytes;
      env
        .engine(() => env.broker.fetch({ topic: w.topic, partition: w.partition, fetchOffset: w.fetchOffset, maxBytes: Math.max(1, w.partitionMaxBytes), maxWaitMs: waitMs, minBytes, ...scope }))
        .then(
          () => resolve(),
          () => resolve(),
        );
    }
  });
}

/** Builds the response, applying the request's `max_bytes` budget with the KIP-74 first-batch rule. */
function respond(reads: readonly Read[], maxBytes: number): FetchResponse {
  let budget = Math.max(0, maxBytes);
  let returnedAny = false;
  const topics = new Map<string, FetchResponsePartitionData[]>();
  for (const read of reads) {
    let records = read.out?.batches ?? EMPTY;
    if (records.length > 0) {
      if (returnedAny && records.length > budget) records = EMPTY;
      else {
        budget = Math.max(0, budget - records.length);
        returnedAny = true;
      }
    }
    const list = topics.get(read.wanted.topic) ?? [];
    list.push(partitionData(read, records));
    topics.set(read.wanted.topic, list);
  }
  return {
    throttleTimeMs: 0,
    errorCode: NONE,
    sessionId: 0,
    responses: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
  };
}

function partitionData(read: Read, records: Uint8Array): FetchResponsePartitionData {
  const out = read.out;
  const error = read.error ?? out?.error ?? null;
  return {
    partitionIndex: read.wanted.partition,
    errorCode: error === null ? NONE : errorCodeOf(error),
    highWatermark: out?.highWatermark ?? -1,
    lastStableOffset: out?.lastStableOffset ?? -1,
    logStartOffset: out?.logStartOffset ?? -1,
    divergingEpoch: noEpoch,
    currentLeader: noLeader,
    snapshotId: noSnapshot,
    abortedTransactions: error === null ? abortedTransactionsOf(out) : [],
    preferredReadReplica: error === null ? (out?.preferredReadReplica ?? -1) : -1,
    records: error === null ? records : EMPTY,
  };
}

/** Transactions aborted within the returned range (read_committed only); the client skips their batches. */
function abortedTransactionsOf(out: EngineFetch | null): FetchResponseAbortedTransaction[] {
  return (out?.abortedTransactions ?? []).map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }));
}
