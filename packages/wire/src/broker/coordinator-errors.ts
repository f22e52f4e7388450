/**
 * Error handling shared by the group and transaction handlers. The engine's coordinators
 * answer with Kafka error names (NOT_COORDINATOR, REBALANCE_IN_PROGRESS, PRODUCER_FENCED...);
 * these turn them into protocol codes, with the one version rule Kafka applies on the way
 * out: clients that predate KIP-588 do not know PRODUCER_FENCED and get INVALID_PRODUCER_EPOCH,
 * which they already treat as fatal for the producer.
 */
import { ErrorCode, type ErrorName } from '@kil/engine';
import { errorCodeOf, isBrokerDown, NONE } from './context';

/** The protocol code of an engine error name. */
export function codeOfName(name: ErrorName): number {
  return name === 'NONE' ? NONE : ErrorCode[name];
}

/**
 * PRODUCER_FENCED (90) exists from InitProducerId v4, AddPartitionsToTxn v2, AddOffsetsToTxn
 * v2 and EndTxn v2 on; older versions get INVALID_PRODUCER_EPOCH (47), as Kafka answers them.
 * TxnOffsetCommit never lists PRODUCER_FENCED, so it always gets INVALID_PRODUCER_EPOCH
 * (pass `Infinity`).
 */
export function producerErrorCode(name: ErrorName, version: number, fencedFromVersion: number): number {
  if (name === 'PRODUCER_FENCED' && version < fencedFromVersion) return ErrorCode.INVALID_PRODUCER_EPOCH;
  return codeOfName(name);
}

/**
 * Runs a coordinator call; a failure other than a stopped broker becomes `onError(code)`.
 * A stopped broker rethrows, which closes the connection as a dead process would.
 */
export async function coordinatorCall<T, R>(call: () => Promise<T>, onValue: (value: T) => R, onError: (code: number) => R): Promise<R> {
  let value: T;
  try {
    value = await call();
  } catch (error) {
    if (isBrokerDown(error)) throw error;
    return onError(errorCodeOf(error));
  }
  return onValue(value);
}

/** Kafka's "authorized operations not requested" sentinel (no ACLs exist here). */
export const NO_AUTHORIZED_OPERATIONS = -2147483648;
