/**
 * ZooKeeper-era controller versus KRaft: a deterministic model of controller failover and
 * controlled shutdown against partition count, with every assumption named and sourced.
 */
export {
  DEFAULT_CONTROLLER_ASSUMPTIONS,
  CONTROLLER_ASSUMPTION_DOCS,
  KEY_CONTROLLER_ASSUMPTIONS,
  resolveControllerAssumptions,
  formatAssumptionValue,
  type ControllerModelAssumptions,
  type AssumptionDoc,
  type AssumptionKey,
} from './assumptions';
export type { ControllerMode, ControllerScenario, ControllerFailure, ModeOutcome, ModelPhase, PathStep, PhaseKind } from './model';
export { zookeeperControllerFailover, zookeeperControlledShutdown } from './zookeeper';
export { kraftControllerFailover, kraftControlledShutdown } from './kraft';
export {
  compareControllers,
  modelController,
  partitionsWithinBudget,
  formatModelDuration,
  phaseTotalMs,
  DEFAULT_PARTITION_COUNTS,
  type ControllerComparison,
  type ControllerComparisonOptions,
  type ControllerComparisonRow,
  type PartitionBudget,
} from './compare';
