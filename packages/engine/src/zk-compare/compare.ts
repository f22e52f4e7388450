/**
 * The comparison itself: both controllers on the same workload, one row per partition
 * count, and the question the KIP-500 authors asked the other way round: how many
 * partitions fit before an operation takes longer than a budget.
 */
import { assert } from '../assert';
import { CONTROLLER_ASSUMPTION_DOCS, resolveControllerAssumptions, type AssumptionDoc, type ControllerModelAssumptions } from './assumptions';
import { kraftControlledShutdown, kraftControllerFailover } from './kraft';
import type { ControllerFailure, ControllerMode, ControllerScenario, ModeOutcome } from './model';
import { zookeeperControlledShutdown, zookeeperControllerFailover } from './zookeeper';

/** The partition counts of the comparison table, from a small cluster to ZooKeeper's old limit. */
export const DEFAULT_PARTITION_COUNTS: readonly number[] = [1000, 10_000, 50_000, 100_000, 200_000];

export interface ControllerComparisonOptions {
  readonly partitionCounts?: readonly number[];
  readonly scenario?: ControllerScenario;
  readonly failure?: ControllerFailure;
  readonly assumptions?: Partial<ControllerModelAssumptions>;
}

export interface ControllerComparisonRow {
  readonly partitions: number;
  readonly zookeeper: ModeOutcome;
  readonly kraft: ModeOutcome;
  /** ZooKeeper time ÷ KRaft time. */
  readonly ratio: number;
}

export interface ControllerComparison {
  readonly scenario: ControllerScenario;
  readonly failure: ControllerFailure;
  readonly assumptions: ControllerModelAssumptions;
  readonly assumptionDocs: readonly AssumptionDoc[];
  readonly rows: readonly ControllerComparisonRow[];
}

/** One mode, one scenario, one partition count. */
export function modelController(mode: ControllerMode, scenario: ControllerScenario, partitions: number, a: ControllerModelAssumptions, failure: ControllerFailure = 'crash'): ModeOutcome {
  if (scenario === 'controlled-shutdown') return mode === 'zookeeper' ? zookeeperControlledShutdown(partitions, a) : kraftControlledShutdown(partitions, a);
  return mode === 'zookeeper' ? zookeeperControllerFailover(partitions, a, failure) : kraftControllerFailover(partitions, a, failure);
}

export function compareControllers(options: ControllerComparisonOptions = {}): ControllerComparison {
  const assumptions = resolveControllerAssumptions(options.assumptions);
  const scenario = options.scenario ?? 'failover';
  const failure = options.failure ?? 'crash';
  const counts = [...(options.partitionCounts ?? DEFAULT_PARTITION_COUNTS)].sort((x, y) => x - y);
  const rows = counts.map((partitions) => {
    const zookeeper = modelController('zookeeper', scenario, partitions, assumptions, failure);
    const kraft = modelController('kraft', scenario, partitions, assumptions, failure);
    assert(kraft.totalMs > 0, 'every KRaft operation takes at least one round trip');
    return { partitions, zookeeper, kraft, ratio: zookeeper.totalMs / kraft.totalMs };
  });
  return { scenario, failure, assumptions, assumptionDocs: CONTROLLER_ASSUMPTION_DOCS, rows };
}

export interface PartitionBudget {
  /** The most partitions whose operation fits the budget; 0 when not even one does. */
  readonly partitions: number;
  /** True when the search stopped at `limitPartitions`: the budget holds at least that many. */
  readonly atLimit: boolean;
}

/**
 * The largest partition count for which `mode` finishes `scenario` within `budgetMs`,
 * searched up to `limitPartitions`. Every phase grows or stays flat with partitions, so a
 * binary search is exact.
 */
export function partitionsWithinBudget(mode: ControllerMode, budgetMs: number, options: ControllerComparisonOptions & { readonly limitPartitions?: number } = {}): PartitionBudget {
  const a = resolveControllerAssumptions(options.assumptions);
  const scenario = options.scenario ?? 'failover';
  const failure = options.failure ?? 'crash';
  const limit = options.limitPartitions ?? 10_000_000;
  const fits = (n: number): boolean => modelController(mode, scenario, n, a, failure).totalMs <= budgetMs;
  if (!fits(1)) return { partitions: 0, atLimit: false };
  if (fits(limit)) return { partitions: limit, atLimit: true };
  let low = 1;
  let high = limit;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return { partitions: low, atLimit: false };
}

/** A virtual duration the way a person reads it: 35 ms, 2.05 s, 53.7 s, 6.2 min. */
export function formatModelDuration(ms: number): string {
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Sum of the phases of one kind, e.g. how much of a ZooKeeper failover is the reload. */
export function phaseTotalMs(outcome: ModeOutcome, kind: ModeOutcome['phases'][number]['kind']): number {
  return outcome.phases.filter((p) => p.kind === kind).reduce((sum, p) => sum + (p.endMs - p.startMs), 0);
}
