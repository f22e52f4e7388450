/**
 * What the exercise page may show of a manifest: titles, descriptions, hints and the
 * solution as text. Criteria stay on the server; programs appear as their file name, and
 * the page reads the file itself.
 */
import type { PropertyFile } from '@kil/client';
import { pendingFeatures } from './client-host';
import type { ExerciseManifest, Step } from './types';

export interface PublicTask {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly hints: readonly string[];
  /** Shell lines and "run solution/<file>" entries, in order. */
  readonly solution: readonly string[];
  readonly checks: readonly string[];
  /** Engine features the task needs that the lab does not have yet. */
  readonly pending: readonly string[];
}

export interface PublicExercise {
  readonly id: string;
  readonly title: string;
  readonly tasks: readonly PublicTask[];
  /** Property files shown beside the code, as they start. */
  readonly properties: readonly PropertyFile[];
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'shell':
      return step.line;
    case 'code':
      return `run ${step.file} in the editor`;
    case 'advance':
      return `time step ${step.ms}`;
  }
}

export function toPublicExercise(manifest: ExerciseManifest): PublicExercise {
  return {
    id: manifest.id,
    title: manifest.title,
    properties: manifest.properties ?? [],
    tasks: manifest.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      hints: t.hints,
      solution: t.solution.map(describeStep),
      checks: t.criteria.map((c) => c.expected),
      pending: (t.needs ?? []).filter((f) => pendingFeatures.has(f)),
    })),
  };
}
