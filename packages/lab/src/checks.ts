/**
 * "Check my work" for a live lab: grade the exercise against the lab's current snapshot
 * and trace with the same `gradeExercise` the CLI and the solution tests use, hand the
 * result to the recorder (the progress store), and answer the page. Checks only read the
 * lab; a check can never change the cluster.
 */
import { gradeExercise, type ExerciseManifest, type ExerciseResult, type LabView } from '@kil/grader';
import type { ServerMessage } from './protocol';

export interface CheckRequest {
  readonly exerciseId: string;
  readonly taskId?: string;
  /** True for checks the page runs by itself after each command; false for the button. */
  readonly auto?: boolean;
}

export interface ExerciseChecksOptions {
  /** The manifest for an exercise id, or undefined when there is none. */
  exercise(id: string): ExerciseManifest | undefined;
  /** Store the result for the session's learner; failures are reported, not thrown. */
  record?(sessionId: string, result: ExerciseResult, auto: boolean): Promise<void>;
}

export class ExerciseChecks {
  constructor(private readonly options: ExerciseChecksOptions) {}

  async check(sessionId: string, view: LabView, request: CheckRequest): Promise<ServerMessage> {
    const auto = request.auto === true;
    const manifest = this.options.exercise(request.exerciseId);
    if (!manifest) return { t: 'check-result', exerciseId: request.exerciseId, result: null, auto, error: `There is no exercise called ${request.exerciseId}.` };
    if (request.taskId !== undefined && !manifest.tasks.some((t) => t.id === request.taskId)) {
      return { t: 'check-result', exerciseId: manifest.id, result: null, auto, error: `Exercise ${manifest.id} has no task ${request.taskId}.` };
    }
    const result = gradeExercise(manifest, view, request.taskId);
    try {
      await this.options.record?.(sessionId, result, auto);
    } catch {
      return { t: 'check-result', exerciseId: manifest.id, result, auto, error: 'Your result could not be saved just now; it will be saved on your next check.' };
    }
    return { t: 'check-result', exerciseId: manifest.id, result, auto };
  }
}
