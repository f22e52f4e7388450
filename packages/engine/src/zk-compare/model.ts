/**
 * Shared vocabulary of the controller comparison: the outcome of one mode in one scenario
 * (phases on a virtual-time line, and the path metadata takes), the workload derived from
 * a partition count, and the cost formulas both controllers use. Everything is a pure
 * function of its inputs: no clock, no randomness, so a table printed today is the table
 * printed tomorrow.
 */
import { KafkaError } from '../errors';
import type { ControllerModelAssumptions } from './assumptions';

export type ControllerMode = 'zookeeper' | 'kraft';
/** `failover`: the active controller goes away. `controlled-shutdown`: one broker stops cleanly. */
export type ControllerScenario = 'failover' | 'controlled-shutdown';
/** How the old controller goes away: a crash is noticed by a timeout, a clean stop at once. */
export type ControllerFailure = 'crash' | 'graceful';

export type PhaseKind = 'detect' | 'elect' | 'reload' | 'catch-up' | 'commit' | 'propagate';

export interface ModelPhase {
  readonly id: string;
  readonly kind: PhaseKind;
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
  /** How the duration was reached, in words and numbers. */
  readonly detail: string;
}

/** One hop of the metadata propagation path. */
export interface PathStep {
  readonly from: string;
  readonly to: string;
  readonly message: string;
  /** push: the sender decides; pull: the receiver fetches; read/write: to the external store. */
  readonly style: 'push' | 'pull' | 'read' | 'write' | 'local';
  readonly count: number;
  readonly bytes: number;
}

export interface ModeOutcome {
  readonly mode: ControllerMode;
  readonly scenario: ControllerScenario;
  readonly failure: ControllerFailure;
  readonly partitions: number;
  readonly totalMs: number;
  readonly phases: readonly ModelPhase[];
  readonly path: readonly PathStep[];
  /** The distributed systems an operator runs for this mode. */
  readonly systems: readonly string[];
}

export interface Workload {
  readonly partitions: number;
  readonly topics: number;
  readonly brokers: number;
  /** Replicas hosted by each broker (partitions × replication factor ÷ brokers, rounded up). */
  readonly replicasPerBroker: number;
  /** Partitions each broker leads. */
  readonly leadersPerBroker: number;
}

export function workloadOf(partitions: number, a: ControllerModelAssumptions): Workload {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new KafkaError('INVALID_PARTITIONS', `A partition count must be a whole number of at least 1, not ${partitions}.`, 'write counts such as 1000,10000,200000');
  }
  return {
    partitions,
    topics: Math.ceil(partitions / a.partitionsPerTopic),
    brokers: a.brokerCount,
    replicasPerBroker: Math.ceil((partitions * a.replicationFactor) / a.brokerCount),
    leadersPerBroker: Math.ceil(partitions / a.brokerCount),
  };
}

/** Phases laid end to end on a virtual-time line starting at 0 (the failure). */
export class Timeline {
  private readonly list: ModelPhase[] = [];
  private cursorMs = 0;

  /** Appends a phase that starts when the previous one ends, or later at `notBeforeMs`. */
  add(id: string, kind: PhaseKind, label: string, durationMs: number, detail: string, notBeforeMs = 0): void {
    const startMs = Math.max(this.cursorMs, notBeforeMs);
    this.cursorMs = startMs + durationMs;
    this.list.push({ id, kind, label, startMs, endMs: this.cursorMs, detail });
  }

  get endMs(): number {
    return this.cursorMs;
  }

  get phases(): readonly ModelPhase[] {
    return this.list;
  }
}

/**
 * Time for `count` pipelined ZooKeeper operations: at most `maxInFlight` outstanding, each
 * taking `latencyMs`, and the server answering at most `opsPerSec`. Whichever bound is
 * slower wins; the last answer still needs a full round trip.
 */
export function pipelinedMs(count: number, latencyMs: number, maxInFlight: number, opsPerSec: number): number {
  if (count === 0) return 0;
  const windowMs = Math.ceil(count / maxInFlight) * latencyMs;
  const serverMs = (count / opsPerSec) * 1000 + latencyMs;
  return Math.max(windowMs, serverMs);
}

export interface ChannelCost {
  readonly requests: number;
  readonly bytesPerBroker: number;
  readonly totalMs: number;
  readonly detail: string;
}

/**
 * One broker's share of a controller push (Kafka's ControllerChannelManager): requests of
 * at most `controllerRequestBatchPartitions` states, sent one at a time (each waits for
 * its answer), serialized by the controller, carried over the controller's link, which
 * every broker's channel shares, and applied by the broker. Brokers are symmetric, so the
 * slowest broker is any broker.
 */
export function channelCost(states: number, bytesPerBroker: number, receivers: number, a: ControllerModelAssumptions): ChannelCost {
  if (states === 0) return { requests: 0, bytesPerBroker: 0, totalMs: 0, detail: 'nothing to send' };
  // Dividing by an unlimited batch gives 0: there is still one request.
  const requests = Math.max(1, Math.ceil(states / a.controllerRequestBatchPartitions));
  const roundTripsMs = requests * a.networkRttMs;
  const serializeMs = (states * a.requestSerializeUsPerPartition) / 1000;
  const transferMs = ((bytesPerBroker * receivers) / a.networkBytesPerSec) * 1000;
  const applyMs = (states * a.brokerApplyUsPerPartition) / 1000;
  const detail = `${requests} request${requests === 1 ? '' : 's'} × ${a.networkRttMs} ms round trip + serialize ${fmt(serializeMs)} ms + transfer ${fmt(transferMs)} ms (${receivers} brokers share the link) + broker apply ${fmt(applyMs)} ms`;
  return { requests, bytesPerBroker, totalMs: roundTripsMs + serializeMs + transferMs + applyMs, detail };
}

/** Bytes of one partition state or record with `replicationFactor` replicas. */
export function stateBytes(fixedBytes: number, a: ControllerModelAssumptions): number {
  return fixedBytes + a.replicationFactor * a.replicaIdBytes;
}

/** Topic header in a grouped request: name, topic id and array framing. */
export function topicHeaderBytes(a: ControllerModelAssumptions): number {
  return a.topicNameBytes + 21;
}

export function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2);
}
