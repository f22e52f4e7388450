/**
 * Produce outcomes in the trace: the `produce-completed` event, told by the broker that
 * answered a Produce for a partition it hosts (Kafka's ProduceResponse per partition:
 * its error code and base offset), with the request's `acks`, so checks can tell "an
 * acks=all write was refused with NOT_ENOUGH_REPLICAS" from "an acks=1 write succeeded".
 * The refusal happens before the append, so the log alone never shows it.
 *
 * Volume rule: a busy lab answers thousands of produces, and every one of them already has
 * its `request-completed` event (request-channel.ts). This event tells only changes of
 * outcome. For each replica and each acks level (0, 1, all) the broker keeps the current
 * run of equal outcomes (the error name, or none); a produce whose outcome differs from the
 * run's starts a new run and is traced, one that repeats it only counts. A replica starts
 * with a run of successes, so an all-successful stream traces nothing, the first failure
 * is traced, repeats of that failure are not, and the first success after failures is
 * traced with how many produces failed before it. So the number of events grows with the
 * number of changes, never with the number of produces.
 *
 * Kafka has no such event (its brokers count errors in metrics and request logs); it is the
 * lab's view of the ProduceResponse. Runs live with the broker's replica object: a broker
 * that takes over leadership starts from the last outcome it answered for that replica (a
 * run of successes if it never answered one), and a deleted replica forgets its runs.
 * Produces to a partition the broker does not host (UNKNOWN_TOPIC_OR_PARTITION, or
 * NOT_LEADER_OR_FOLLOWER without a local replica) appear in `request-completed` only, so
 * made-up topic names cannot grow the broker's state.
 */
import type { ErrorName } from '../errors';
import type { TraceInput } from '../sim/trace';
import { readBatchHeader, RECORD_BATCH_OVERHEAD } from '../storage';
import type { Partition } from './partition';

/** A run of produces with the same outcome, per replica and acks level. */
interface OutcomeRun {
  error: ErrorName | null;
  count: number;
}

export interface ProduceOutcome {
  readonly acks: number;
  readonly batch: Uint8Array;
  readonly errorCode: ErrorName;
  readonly errorMessage: string | null;
  readonly baseOffset: number;
}

function acksName(acks: number): string {
  return acks === -1 ? 'all' : String(acks);
}

function recordCount(batch: Uint8Array): number {
  return batch.length >= RECORD_BATCH_OVERHEAD ? readBatchHeader(batch, 0).recordsCount : 0;
}

export class ProduceOutcomes {
  /** Keyed by the replica object, so a deleted replica takes its runs with it. */
  private readonly runs = new WeakMap<Partition, Map<number, OutcomeRun>>();

  constructor(
    private readonly brokerId: number,
    private readonly emit: (event: TraceInput) => void,
  ) {}

  /** Counts one answered produce; traces it when its outcome differs from the run before it. */
  record(partition: Partition, outcome: ProduceOutcome): void {
    const byAcks = this.runs.get(partition) ?? new Map<number, OutcomeRun>();
    this.runs.set(partition, byAcks);
    const run = byAcks.get(outcome.acks) ?? { error: null, count: 0 };
    const error = outcome.errorCode === 'NONE' ? null : outcome.errorCode;
    if (error === run.error) {
      run.count++;
      byAcks.set(outcome.acks, run);
      return;
    }
    byAcks.set(outcome.acks, { error, count: 1 });
    this.emit(this.event(partition, outcome, error, run));
  }

  private event(partition: Partition, outcome: ProduceOutcome, error: ErrorName | null, previous: OutcomeRun): TraceInput {
    const tp = `${partition.topic}-${partition.partitionId}`;
    const records = recordCount(outcome.batch);
    const acks = acksName(outcome.acks);
    const before = previous.error === null ? '' : ` Before it, ${previous.count} produce(s) failed with ${previous.error}.`;
    const message =
      error === null
        ? `Broker ${this.brokerId} accepted an acks=${acks} produce of ${records} record(s) to ${tp} at offset ${outcome.baseOffset}.${before}`
        : `Broker ${this.brokerId} refused an acks=${acks} produce of ${records} record(s) to ${tp} with ${error}.${outcome.errorMessage === null ? '' : ` ${outcome.errorMessage}`}${before}`;
    return {
      type: 'produce-completed',
      node: this.brokerId,
      topic: partition.topic,
      partition: partition.partitionId,
      message,
      data: { acks: outcome.acks, error, records, baseOffset: error === null ? outcome.baseOffset : -1, previousError: previous.error, previousCount: previous.count },
    };
  }
}
