/**
 * Idempotence and transactions: InitProducerId (22) v0–4, AddPartitionsToTxn (24) v0–3,
 * AddOffsetsToTxn (25) v0–3, EndTxn (26) v0–3 (KIP-98, KIP-360, KIP-447, KIP-588).
 *
 * Behaviour: InitProducerId without a transactional id is served by any broker (an
 * idempotent producer's id and epoch 0); with one, only by that id's transaction
 * coordinator (NOT_COORDINATOR elsewhere, COORDINATOR_LOAD_IN_PROGRESS while it loads its
 * `__transaction_state` partition), which bumps the epoch and fences older producers,
 * aborting their open transaction first (CONCURRENT_TRANSACTIONS, retriable, until that is
 * done). The transaction calls are checked against the coordinator's state:
 * INVALID_PRODUCER_EPOCH / PRODUCER_FENCED for an old epoch, INVALID_PRODUCER_ID_MAPPING,
 * INVALID_TXN_STATE, CONCURRENT_TRANSACTIONS while markers of the previous transaction are
 * still being written. EndTxn answers once the transaction reached Prepare{Commit,Abort}
 * (committed to the transaction log); the markers follow in the background.
 *
 * Versions: PRODUCER_FENCED exists from InitProducerId v4 and AddPartitionsToTxn,
 * AddOffsetsToTxn and EndTxn v2; older requests get INVALID_PRODUCER_EPOCH instead.
 *
 * Deviations: InitProducerId v3+ `producer_id`/`producer_epoch` (KIP-360 epoch bump of an
 * existing producer) are not used: the coordinator bumps the epoch it has. AddPartitionsToTxn
 * v4+ (brokers verifying transactions, KIP-890) is not served.
 */
import type { ErrorName } from '@kil/engine';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from '../messages/25-add-offsets-to-txn';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from '../messages/24-add-partitions-to-txn';
import type { EndTxnRequest, EndTxnResponse } from '../messages/26-end-txn';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../messages/22-init-producer-id';
import type { RequestContext } from '../server/types';
import { coordinatorCall, producerErrorCode } from './coordinator-errors';
import type { HandlerEnv } from './context';

export function handleInitProducerId(env: HandlerEnv, request: InitProducerIdRequest, context: RequestContext): Promise<InitProducerIdResponse> {
  const version = context.header.requestApiVersion;
  return coordinatorCall(
    () => env.engine(() => env.broker.initProducerId({ transactionalId: request.transactionalId, transactionTimeoutMs: request.transactionTimeoutMs })),
    (out): InitProducerIdResponse => ({ throttleTimeMs: 0, errorCode: producerErrorCode(out.error, version, 4), producerId: out.producerId, producerEpoch: out.producerEpoch }),
    (errorCode): InitProducerIdResponse => ({ throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 }),
  );
}

export function handleAddPartitionsToTxn(env: HandlerEnv, request: AddPartitionsToTxnRequest, context: RequestContext): Promise<AddPartitionsToTxnResponse> {
  const version = context.header.requestApiVersion;
  const everyPartition = (errorCode: number): AddPartitionsToTxnResponse => ({
    throttleTimeMs: 0,
    resultsByTopicV3AndBelow: request.v3AndBelowTopics.map((t) => ({
      name: t.name,
      resultsByPartition: t.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: errorCode })),
    })),
  });
  const codeOf = (name: ErrorName): number => producerErrorCode(name, version, 2);
  return coordinatorCall(
    () =>
      env.engine(() =>
        env.broker.addPartitionsToTxn({
          transactionalId: request.v3AndBelowTransactionalId,
          producerId: request.v3AndBelowProducerId,
          producerEpoch: request.v3AndBelowProducerEpoch,
          topics: request.v3AndBelowTopics.map((t) => ({ name: t.name, partitions: t.partitions })),
        }),
      ),
    (out): AddPartitionsToTxnResponse => {
      // A request-wide error (NOT_COORDINATOR, PRODUCER_FENCED...) applies to every partition.
      if (out.error !== 'NONE' || out.results.length === 0) return everyPartition(codeOf(out.error));
      return {
        throttleTimeMs: 0,
        resultsByTopicV3AndBelow: out.results.map((t) => ({
          name: t.name,
          resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, partitionErrorCode: codeOf(p.error) })),
        })),
      };
    },
    everyPartition,
  );
}

export function handleAddOffsetsToTxn(env: HandlerEnv, request: AddOffsetsToTxnRequest, context: RequestContext): Promise<AddOffsetsToTxnResponse> {
  const version = context.header.requestApiVersion;
  return coordinatorCall(
    () => env.engine(() => env.broker.addOffsetsToTxn({ transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch, groupId: request.groupId })),
    (out): AddOffsetsToTxnResponse => ({ throttleTimeMs: 0, errorCode: producerErrorCode(out.error, version, 2) }),
    (errorCode): AddOffsetsToTxnResponse => ({ throttleTimeMs: 0, errorCode }),
  );
}

export function handleEndTxn(env: HandlerEnv, request: EndTxnRequest, context: RequestContext): Promise<EndTxnResponse> {
  const version = context.header.requestApiVersion;
  return coordinatorCall(
    () => env.engine(() => env.broker.endTxn({ transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch, committed: request.committed })),
    (out): EndTxnResponse => ({ throttleTimeMs: 0, errorCode: producerErrorCode(out.error, version, 2) }),
    (errorCode): EndTxnResponse => ({ throttleTimeMs: 0, errorCode }),
  );
}
