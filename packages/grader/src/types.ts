/**
 * What an exercise is, as data: a lab shape, set-up commands, and ordered tasks. Each
 * task is judged by criteria that read only what the lab shows (the cluster snapshot and
 * the trace of engine events), never the learner's source text, so any correct route to
 * the goal passes: typed commands, code in the editor, or a real Kafka client.
 */
import type { ClusterSnapshot, LogDirView, NewTopic, TraceEvent } from '@kil/engine';
import type { Kafka, Log, PropertyFile } from '@kil/client';
import type { GeoShape } from './geo';

/** Everything a check may look at. */
export interface LabView {
  readonly snapshot: ClusterSnapshot;
  /** The trace since the lab (re)started, oldest first. */
  readonly events: readonly TraceEvent[];
  /**
   * One broker's log directory, read-only (what `kafka-dump-log` reads), for checks about
   * segments and the records they hold. Optional: a host that does not offer it makes
   * those checks fail with a sentence saying so.
   */
  readonly logDir?: (brokerId: number) => LogDirView;
  /**
   * A geo-replication lab's second cluster ("eu-west"): its snapshot and its own trace
   * (`snapshot` and `events` above are the primary's, "us-east"). Mirror events are in
   * both traces; the failover report (`failover-completed`) is in the secondary's.
   */
  readonly secondary?: RegionView;
}

export interface RegionView {
  readonly alias: string;
  readonly snapshot: ClusterSnapshot;
  readonly events: readonly TraceEvent[];
}

/** What one criterion saw. */
export interface Observation {
  readonly passed: boolean;
  /** What the lab showed, in a sentence a learner can act on. */
  readonly observed: string;
}

/** One thing a task requires; a task passes when all of its criteria hold. */
export interface Criterion {
  /** What the lab should show, e.g. "topic orders with 6 partitions". */
  readonly expected: string;
  evaluate(view: LabView): Observation;
}

/** Learner code as the editor and the solution files write it. */
export type LearnerProgram = (kafka: Kafka, log: Log) => Promise<void>;

export type Step =
  /**
   * One line typed into the lab terminal. `fails` marks a line the answer runs in order to
   * see it fail (a write the cluster refuses); tests then expect a non-zero exit from it.
   */
  | { readonly kind: 'shell'; readonly line: string; readonly fails?: boolean }
  /** A program from the exercise's starter/ or solution/ folder, run against the lab. */
  | { readonly kind: 'code'; readonly file: string; readonly program: LearnerProgram }
  /** Let virtual time pass (heartbeats, timeouts, tiering). */
  | { readonly kind: 'advance'; readonly ms: number };

/** Engine features a task depends on; see `pendingFeatures` for those not there yet. */
export type LabFeature = 'consumer-groups' | 'transactions' | 'tiered-storage' | 'reassignment' | 'geo-replication';

export interface TaskSpec {
  /** Stable id: progress is stored under it. Letters, digits and dashes. */
  readonly id: string;
  readonly title: string;
  /** Markdown: what to do and what the grader will look at. */
  readonly description: string;
  readonly criteria: readonly Criterion[];
  /** Revealed one at a time, gentlest first. */
  readonly hints: readonly string[];
  /** The model answer, run by `grade --solution` and shown on request. */
  readonly solution: readonly Step[];
  /** Engine features the task needs; while one is pending the page says so. */
  readonly needs?: readonly LabFeature[];
}

export interface ExerciseLabShape {
  readonly brokers?: number;
  readonly controllers?: number;
  readonly racks?: readonly string[];
  readonly topics?: readonly NewTopic[];
  readonly config?: Readonly<Record<string, string>>;
  readonly seed?: number;
  /** 2: a geo-replication lab, two clusters on one clock (`secondary` gives the second one's shape). */
  readonly clusters?: 1 | 2;
  readonly secondary?: GeoShape['secondary'];
  readonly linkLatencyMs?: number;
}

export interface ExerciseManifest {
  /** Stable id, the folder name without its number, e.g. "consumer-groups". */
  readonly id: string;
  readonly title: string;
  readonly lab: ExerciseLabShape;
  /**
   * Terminal lines run on a fresh lab before the learner starts: by the grader before
   * every run, and by the live lab when it starts and on `lab reset` (see setup.ts).
   */
  readonly setup: readonly string[];
  /**
   * Property files the page shows as editor tabs beside the code, with `text` as their
   * starting contents: producer and consumer files set the defaults of every producer and
   * consumer the program creates; a topic file is applied to its topic on each Run.
   */
  readonly properties?: readonly PropertyFile[];
  readonly tasks: readonly TaskSpec[];
  /** What `grade --starter` runs: the starter code as a learner first sees it. */
  readonly starter: readonly Step[];
}

/** The grade of one criterion. */
export interface CriterionResult {
  readonly expected: string;
  readonly observed: string;
  readonly passed: boolean;
}

export interface TaskResult {
  readonly taskId: string;
  readonly title: string;
  readonly passed: boolean;
  /** Fraction of the task's criteria that hold, 0..1: partial credit. */
  readonly credit: number;
  readonly criteria: readonly CriterionResult[];
  /** Joined expectations of the failing criteria (all of them when passed). */
  readonly expected: string;
  readonly observed: string;
  /** The first hint, when the task is not yet done. */
  readonly hint: string | null;
}

export interface ExerciseResult {
  readonly exerciseId: string;
  readonly tasks: readonly TaskResult[];
  /** Sum of task credits. */
  readonly score: number;
  readonly scoreMax: number;
  readonly passed: boolean;
}
