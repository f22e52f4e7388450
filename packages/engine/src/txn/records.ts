/**
 * The record the transaction coordinator writes to `__transaction_state`: Kafka's
 * TransactionLogKey / TransactionLogValue, one key per transactional id. A `null` value is
 * a tombstone (the transactional id expired). Field names follow Kafka's generated classes.
 *
 * Deviation: typed objects rather than Kafka's versioned binary encoding; the status is the
 * state's name, not its int8 id.
 */

/** Transaction states as Kafka names them. PrepareEpochFence is transient and never written. */
export type TransactionState =
  | 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'Dead' | 'PrepareEpochFence';

export interface TransactionLogKey {
  readonly type: 'TransactionLogKey';
  readonly transactionalId: string;
}

export interface TransactionLogValue {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  readonly transactionStatus: TransactionState;
  readonly transactionPartitions: ReadonlyArray<{ readonly topic: string; readonly partitionIds: readonly number[] }>;
  readonly transactionLastUpdateTimestampMs: number;
  readonly transactionStartTimestampMs: number;
}

export interface TransactionLogRecord {
  readonly key: TransactionLogKey;
  readonly value: TransactionLogValue | null;
}

/** Kafka's TransactionState.validPreviousStates: the only transitions the coordinator makes. */
export const validPreviousStates: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing', 'PrepareEpochFence'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareEpochFence: ['Ongoing'],
};
