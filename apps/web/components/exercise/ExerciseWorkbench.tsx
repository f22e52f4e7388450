'use client';
/**
 * The exercise's working area: the task list with each task's status, hints revealed one
 * at a time, the solution on request, "Check my work", and each result with what was
 * expected and what the lab showed. Checks also run by themselves after each terminal
 * command and each program run (those only ever add passes to your progress).
 */
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useState } from 'react';
import type { PublicExercise, ExerciseResult, TaskResult } from '@kil/grader';
import type { ServerMessage } from '@kil/lab/protocol';
import { useLab } from '../LabProvider';

const CodeEditor = dynamic(() => import('./CodeEditor').then((m) => m.CodeEditor), { ssr: false, loading: () => <div className="h-80 rounded border bg-slate-50" /> });

export interface SavedTask {
  readonly taskId: string;
  readonly passed: boolean;
  readonly attempts: number;
}

function TaskCard({ task, index, saved, result }: { task: PublicExercise['tasks'][number]; index: number; saved: SavedTask | undefined; result: TaskResult | undefined }) {
  const [hintsShown, setHintsShown] = useState(0);
  const [solutionShown, setSolutionShown] = useState(false);
  const passed = result?.passed || saved?.passed;
  const status = passed ? 'passed' : result ? 'not yet' : task.pending.length ? 'waiting for the engine' : 'to do';
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" data-testid={`task-${task.id}`} data-status={passed ? 'passed' : 'open'}>
      <div className="flex items-start justify-between gap-3">
        <h3 className="m-0 text-base font-semibold">
          {index + 1}. {task.title}
        </h3>
        <span className={`rounded px-2 py-0.5 text-xs ${passed ? 'bg-green-100 text-green-800' : 'bg-slate-100 text-slate-600'}`} data-testid="task-status">
          {status}
        </span>
      </div>
      <p className="mt-2 text-sm text-slate-700">{task.description}</p>
      {task.pending.length > 0 && (
        <p className="mt-2 text-xs text-amber-700">This task needs {task.pending.join(' and ')} in the lab engine, which is still being built; its check cannot pass yet.</p>
      )}
      {result && !result.passed && (
        <ul className="mt-3 space-y-1 text-sm" aria-label="Check results">
          {result.criteria.map((c) => (
            <li key={c.expected} className={c.passed ? 'text-green-800' : 'text-red-800'}>
              {c.passed ? '✓' : '✗'} expected {c.expected}
              {!c.passed && <div className="ml-4 text-slate-600">observed: {c.observed}</div>}
            </li>
          ))}
        </ul>
      )}
      <div className="mt-3 space-y-2 text-sm">
        {task.hints.slice(0, hintsShown).map((hint, i) => (
          <p key={i} className="rounded bg-amber-50 p-2 text-amber-900">Hint {i + 1}: {hint}</p>
        ))}
        <div className="flex gap-3">
          {hintsShown < task.hints.length && (
            <button type="button" className="text-xs text-blue-700 underline" onClick={() => setHintsShown(hintsShown + 1)}>
              {hintsShown === 0 ? 'Show a hint' : 'Show another hint'}
            </button>
          )}
          <button type="button" className="text-xs text-blue-700 underline" onClick={() => setSolutionShown(!solutionShown)}>
            {solutionShown ? 'Hide the solution' : 'Show the solution'}
          </button>
        </div>
        {solutionShown && (
          <ol className="list-decimal space-y-1 pl-5 text-xs" aria-label="Solution">
            {task.solution.map((step, i) => <li key={i}><code>{step}</code></li>)}
          </ol>
        )}
      </div>
    </li>
  );
}

export function ExerciseWorkbench({ exercise, saved, starter, solution }: { exercise: PublicExercise; saved: readonly SavedTask[]; starter: string | null; solution: string | null }) {
  const lab = useLab();
  const [result, setResult] = useState<ExerciseResult | null>(null);
  const [note, setNote] = useState('');
  const [checking, setChecking] = useState(false);
  const [savedNow, setSavedNow] = useState(saved);
  const [showCode, setShowCode] = useState(false);

  useEffect(
    () =>
      lab.subscribe((message: ServerMessage) => {
        if (message.t === 'check-result' && message.exerciseId === exercise.id) {
          if (!message.auto) setChecking(false);
          setNote(message.error ?? '');
          if (!message.result) return;
          const latest = message.result;
          // Automatic checks only show new passes; the button shows everything.
          setResult((old) => (message.auto && old ? { ...old, tasks: old.tasks.map((t) => latest.tasks.find((n) => n.taskId === t.taskId && n.passed) ?? t) } : message.auto ? null : latest));
          setSavedNow((old) => {
            const next = [...old];
            for (const t of latest.tasks) if (t.passed && !next.some((s) => s.taskId === t.taskId && s.passed)) next.push({ taskId: t.taskId, passed: true, attempts: 1 });
            return next;
          });
        } else if (message.t === 'done') {
          lab.send({ t: 'check', exerciseId: exercise.id, auto: true });
        }
      }),
    [lab, exercise.id],
  );

  const check = useCallback(() => {
    setChecking(true);
    lab.send({ t: 'check', exerciseId: exercise.id });
  }, [lab, exercise.id]);

  const passedCount = exercise.tasks.filter((t) => savedNow.some((s) => s.taskId === t.id && s.passed) || result?.tasks.some((r) => r.taskId === t.id && r.passed)).length;
  return (
    <section className="not-prose space-y-4" aria-label="Tasks">
      <div className="flex items-center justify-between gap-4">
        <h2 className="m-0 text-lg font-semibold">Tasks</h2>
        <span className="text-sm text-slate-600" data-testid="tasks-passed">
          {passedCount} of {exercise.tasks.length} passed
        </span>
        <button type="button" onClick={check} disabled={checking || lab.status !== 'open'} className="rounded bg-green-700 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50" data-testid="check-work">
          {checking ? 'Checking…' : 'Check my work'}
        </button>
      </div>
      {note && <p role="status" className="text-sm text-amber-800">{note}</p>}
      {result && (
        <p role="status" className="text-sm text-slate-700" data-testid="check-summary">
          Score {Number.isInteger(result.score) ? result.score : result.score.toFixed(2)} of {result.scoreMax}: {result.passed ? 'every check passes.' : 'not every check passes yet.'}
        </p>
      )}
      <ol className="space-y-3">
        {exercise.tasks.map((task, i) => (
          <TaskCard key={task.id} task={task} index={i} saved={savedNow.find((s) => s.taskId === task.id)} result={result?.tasks.find((r) => r.taskId === task.id)} />
        ))}
      </ol>
      {starter !== null && (
        <div className="space-y-2">
          <h2 className="text-lg font-semibold">Your program</h2>
          <CodeEditor exerciseId={exercise.id} starter={starter} properties={exercise.properties} onRunFinished={() => lab.send({ t: 'check', exerciseId: exercise.id, auto: true })} />
          {solution !== null && (
            <details open={showCode} onToggle={(e) => setShowCode((e.target as HTMLDetailsElement).open)}>
              <summary className="cursor-pointer text-sm text-blue-700">Show the model solution</summary>
              {showCode && <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs">{solution}</pre>}
            </details>
          )}
        </div>
      )}
    </section>
  );
}
