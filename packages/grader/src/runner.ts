/**
 * Runs an exercise end to end on a fresh grading lab: set-up, then the solution, the
 * starter or a learner's transcript, then every check. This is what the CLI and the
 * solution/starter tests call, and it grades with the same `gradeExercise` the live
 * "Check my work" uses.
 */
import { gradeExercise } from './grade';
import { GraderLab, type StepOutcome } from './grader-lab';
import { runSetup } from './setup';
import type { ExerciseManifest, ExerciseResult, Step } from './types';

export type RunMode = { readonly kind: 'solution' } | { readonly kind: 'starter' } | { readonly kind: 'transcript'; readonly lines: readonly string[] };

export interface RunReport {
  readonly result: ExerciseResult;
  readonly steps: readonly StepOutcome[];
}

export function stepsFor(manifest: ExerciseManifest, mode: RunMode): Step[] {
  switch (mode.kind) {
    case 'solution':
      return manifest.tasks.flatMap((t) => t.solution);
    case 'starter':
      return [...manifest.starter];
    case 'transcript':
      return mode.lines.map((line) => ({ kind: 'shell', line }));
  }
}

export async function runExercise(manifest: ExerciseManifest, mode: RunMode): Promise<RunReport> {
  const lab = await GraderLab.start(manifest.lab);
  const steps: StepOutcome[] = [];
  // The same set-up the live lab runs when it starts and on `lab reset`.
  await runSetup(manifest.setup, (line) => lab.runLine(line));
  for (const step of stepsFor(manifest, mode)) steps.push(await lab.runStep(step));
  return { result: gradeExercise(manifest, lab.view()), steps };
}

/**
 * A transcript is what a learner typed: one command per line. Blank lines and `#`
 * comments are skipped; a leading `$ ` prompt is dropped; lines of output (anything
 * not starting with `$ ` in a file that uses prompts) are ignored.
 */
export function parseTranscript(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const usesPrompts = lines.some((l) => l.startsWith('$ '));
  return lines
    .filter((l) => (usesPrompts ? l.startsWith('$ ') : l.trim() !== '' && !l.trimStart().startsWith('#')))
    .map((l) => (usesPrompts ? l.slice(2) : l).trim())
    .filter((l) => l !== '');
}
