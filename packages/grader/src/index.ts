/**
 * @kil/grader: exercises as data, checks that read only the lab's snapshot and trace,
 * partial credit, a fast-forward grading lab, and the lab-side host for learner code.
 */
export * from './types';
export { gradeExercise, gradeTask, formatResult } from './grade';
export {
  criterion, topicExists, eventSeen, noEventAfter, everyPartition, eventsOf, findTopic, totalHighWatermark, dataOf,
  type TopicExpectation, type EventFilter,
} from './criteria';
export { GraderLab, stepBudgetMs, type StepOutcome } from './grader-lab';
export { runSetup, checkSetup, shellLineRunner, setupLimits, SetupError, type SetupLineRunner, type SetupLineOutcome } from './setup';
export { runExercise, parseTranscript, stepsFor, type RunMode, type RunReport } from './runner';
export { BuiltInClients } from './built-in-clients';
export { ClientHost, ClientOpError, clientLimits, errorBody, pendingFeatures } from './client-host';
export { toPublicExercise, type PublicExercise, type PublicTask } from './public';
export { gradeCli, parseArgs, usage as gradeUsage, type CliIo } from './cli';
export { completedMoves, bytesMovedBy, movedFarLess, type MovesLessOptions } from './reassignment-criteria';
export { generations, memberCountsInOrder, usedProtocol, groupStable, type Generation } from './group-criteria';
export { geoRegions, regionOfBootstrap, regionOfLine, geoCluster, type GeoRegion, type GeoShape } from './geo';
export type { RegionView } from './types';
