/**
 * Grading: evaluate every task's criteria against one view of the lab. Pure: the same
 * view always gives the same result, which is what makes "Check my work", the CLI and
 * the solution tests agree.
 */
import type { CriterionResult, ExerciseManifest, ExerciseResult, LabView, TaskResult, TaskSpec } from './types';

export function gradeTask(task: TaskSpec, view: LabView): TaskResult {
  const criteria: CriterionResult[] = task.criteria.map((criterion) => {
    try {
      const seen = criterion.evaluate(view);
      return { expected: criterion.expected, observed: seen.observed, passed: seen.passed };
    } catch (error) {
      // A check that trips over an unexpected lab state fails that criterion only.
      return { expected: criterion.expected, observed: `the check could not read the lab: ${(error as Error).message}`, passed: false };
    }
  });
  const passedCount = criteria.filter((c) => c.passed).length;
  const passed = criteria.length > 0 && passedCount === criteria.length;
  const failing = criteria.filter((c) => !c.passed);
  const shown = passed ? criteria : failing;
  return {
    taskId: task.id,
    title: task.title,
    passed,
    credit: criteria.length === 0 ? 0 : passedCount / criteria.length,
    criteria,
    expected: shown.map((c) => c.expected).join('; '),
    observed: shown.map((c) => c.observed).join('; '),
    hint: passed ? null : (task.hints[0] ?? null),
  };
}

/** Grade every task, or only `taskId` when given. */
export function gradeExercise(manifest: ExerciseManifest, view: LabView, taskId?: string): ExerciseResult {
  const tasks = manifest.tasks.filter((t) => taskId === undefined || t.id === taskId).map((t) => gradeTask(t, view));
  const score = tasks.reduce((sum, t) => sum + t.credit, 0);
  return {
    exerciseId: manifest.id,
    tasks,
    score,
    scoreMax: tasks.length,
    passed: tasks.length > 0 && tasks.every((t) => t.passed),
  };
}

/** Plain-text report, one block per task, as the CLI prints it. */
export function formatResult(result: ExerciseResult): string {
  const lines: string[] = [];
  for (const task of result.tasks) {
    const mark = task.passed ? 'PASS' : 'FAIL';
    lines.push(`${mark}  ${task.taskId}: ${task.title} (${Math.round(task.credit * 100)}%)`);
    for (const c of task.criteria) {
      lines.push(`      ${c.passed ? 'ok  ' : 'miss'} expected ${c.expected}`);
      if (!c.passed) lines.push(`           observed ${c.observed}`);
    }
    if (task.hint) lines.push(`      hint: ${task.hint}`);
  }
  lines.push(`score ${formatScore(result.score)}/${result.scoreMax}: ${result.passed ? 'every check passes' : 'not every check passes'}`);
  return lines.join('\n') + '\n';
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(2);
}
