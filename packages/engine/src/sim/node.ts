/**
 * The ports a simulated node sees: its clock, the network, named timers, its own PRNG
 * stream, the trace and its disk's speed. Nodes never reach for globals; the cluster
 * gives each incarnation of a node a fresh `NodeEnv`, so a stopped node's timers and
 * messages can never fire into its successor.
 */
import type { Prng } from './prng';
import type { TraceInput } from './trace';

export interface NodeEnv<M> {
  readonly id: number;
  nowMs(): number;
  send(to: number, message: M): void;
  /** (Re)arms the named timer; the node's `onTimer(name)` runs at `atMs`. */
  setTimer(name: string, atMs: number): void;
  cancelTimer(name: string): void;
  readonly prng: Prng;
  emit(event: TraceInput): void;
  /** Extra latency of this node's disk (a "slow disk" fault), 0 when healthy. */
  diskDelayMs(): number;
}
