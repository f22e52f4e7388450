/**
 * A module challenge is an exercise manifest with no set-up and no starter: the lab the
 * module opens with is the starting point, and "the starter" is doing nothing at all.
 * `defineChallenge` fills those in and, while the engine lacks something the model answer
 * needs, says so in the first hint, so the page explains why the check cannot pass yet.
 */
import type { ExerciseLabShape, ExerciseManifest, TaskSpec } from '@kil/grader';

export interface ChallengeManifest extends ExerciseManifest {
  /** Folder of the module whose `<Challenge>` block this grades, e.g. "03-data-replication". */
  readonly module: string;
  /**
   * What the lab cannot do yet that the model answer needs, in a sentence; null when the
   * challenge can pass. The challenge test asserts a pending challenge still fails, so
   * this is revisited as soon as the engine grows.
   */
  readonly pending: string | null;
}

export interface ChallengeSpec {
  readonly id: string;
  readonly title: string;
  readonly module: string;
  readonly lab: ExerciseLabShape;
  readonly tasks: readonly TaskSpec[];
  readonly pending?: string;
}

export function pendingHint(pending: string): string {
  return `This challenge cannot pass in the lab yet: ${pending} Everything else about it is ready, so you can already try it and read what the grader observes.`;
}

export function defineChallenge(spec: ChallengeSpec): ChallengeManifest {
  const pending = spec.pending ?? null;
  const tasks = pending === null ? spec.tasks : spec.tasks.map((t) => ({ ...t, hints: [pendingHint(pending), ...t.hints] }));
  return { id: spec.id, title: spec.title, module: spec.module, lab: spec.lab, setup: [], starter: [], tasks, pending };
}
