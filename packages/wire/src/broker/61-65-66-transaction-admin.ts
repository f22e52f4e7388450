/**
 * Transaction administration (KIP-664): DescribeProducers (61) v0, DescribeTransactions (65)
 * v0, ListTransactions (66) v0.
 *
 * Behaviour: DescribeProducers answers the producer state (producer id, epoch, last
 * sequence, last timestamp, coordinator epoch, open transaction's first offset) of partitions
 * this broker leads, NOT_LEADER_OR_FOLLOWER or UNKNOWN_TOPIC_OR_PARTITION otherwise.
 * DescribeTransactions answers ids this broker coordinates (NOT_COORDINATOR otherwise,
 * TRANSACTIONAL_ID_NOT_FOUND for unknown ones). ListTransactions lists the transactions of
 * the `__transaction_state` partitions this broker leads, filtered by state and producer id;
 * state names it does not know come back in `unknown_state_filters`, as Kafka does.
 *
 * Deviations: ListTransactions v1 (`duration_filter`) is not served.
 */
import type { PartitionProducers } from '@kil/engine';
import type { DescribeProducersRequest, DescribeProducersResponse, DescribeProducersResponseTopicResponse } from '../messages/61-describe-producers';
import type { DescribeTransactionsRequest, DescribeTransactionsResponse } from '../messages/65-describe-transactions';
import type { ListTransactionsRequest, ListTransactionsResponse } from '../messages/66-list-transactions';
import { codeOfName, coordinatorCall } from './coordinator-errors';
import { byTopic, errorMessageOf, NONE, type HandlerEnv } from './context';

/** Kafka's transaction states, as ListTransactions' filters name them. */
const transactionStates = new Set(['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence']);

export function handleDescribeProducers(env: HandlerEnv, request: DescribeProducersRequest): Promise<DescribeProducersResponse> {
  const wanted = request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
  return coordinatorCall(
    () => env.engine(() => env.broker.describeProducers(wanted)),
    (out): DescribeProducersResponse => ({ throttleTimeMs: 0, topics: producerTopics(out) }),
    (errorCode): DescribeProducersResponse => ({
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode, errorMessage: null, activeProducers: [] })) })),
    }),
  );
}

function producerTopics(out: readonly PartitionProducers[]): DescribeProducersResponseTopicResponse[] {
  return [...byTopic(out)].map(([name, partitions]) => ({
    name,
    partitions: partitions.map((p) => ({
      partitionIndex: p.partition,
      errorCode: p.error === null ? NONE : p.error.code,
      errorMessage: errorMessageOf(p.error),
      activeProducers: p.activeProducers.map((s) => ({
        producerId: s.producerId,
        producerEpoch: s.producerEpoch,
        lastSequence: s.lastSequence,
        lastTimestamp: s.lastTimestamp,
        coordinatorEpoch: s.coordinatorEpoch,
        currentTxnStartOffset: s.currentTxnStartOffset,
      })),
    })),
  }));
}

export function handleDescribeTransactions(env: HandlerEnv, request: DescribeTransactionsRequest): Promise<DescribeTransactionsResponse> {
  const failed = (errorCode: number): DescribeTransactionsResponse => ({
    throttleTimeMs: 0,
    transactionStates: request.transactionalIds.map((transactionalId) => ({ errorCode, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: [] })),
  });
  return coordinatorCall(
    () => env.engine(() => env.broker.describeTransactions(request.transactionalIds)),
    (out): DescribeTransactionsResponse => ({
      throttleTimeMs: 0,
      transactionStates: out.map((t) => ({
        errorCode: codeOfName(t.error),
        transactionalId: t.transactionalId,
        transactionState: t.transactionState,
        transactionTimeoutMs: t.transactionTimeoutMs,
        transactionStartTimeMs: t.transactionStartTimeMs,
        producerId: t.producerId,
        producerEpoch: t.producerEpoch,
        topics: t.topics.map((topic) => ({ topic: topic.topic, partitions: [...topic.partitions] })),
      })),
    }),
    failed,
  );
}

export function handleListTransactions(env: HandlerEnv, request: ListTransactionsRequest): Promise<ListTransactionsResponse> {
  const unknownStateFilters = request.stateFilters.filter((s) => !transactionStates.has(s));
  const stateFilters = request.stateFilters.filter((s) => transactionStates.has(s));
  // Filtering only by unknown states matches nothing (an empty filter would match everything).
  if (request.stateFilters.length > 0 && stateFilters.length === 0) return Promise.resolve({ throttleTimeMs: 0, errorCode: NONE, unknownStateFilters, transactionStates: [] });
  return coordinatorCall(
    () => env.engine(() => env.broker.listTransactions({ stateFilters, producerIdFilters: request.producerIdFilters })),
    (out): ListTransactionsResponse => ({
      throttleTimeMs: 0,
      errorCode: NONE,
      unknownStateFilters,
      transactionStates: out.map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.transactionState })),
    }),
    (errorCode): ListTransactionsResponse => ({ throttleTimeMs: 0, errorCode, unknownStateFilters, transactionStates: [] }),
  );
}
