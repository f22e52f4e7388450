'use client';
/**
 * "Check my challenge" for a module's `<Challenge>`: asks the learner's lab to grade the
 * challenge (the same check message exercises use, with the challenge id) and shows each
 * criterion with what was expected and what the lab showed, plus the first hint while it
 * fails. The grader reads only the lab's state and trace, so any route to the goal passes.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ExerciseResult } from '@kil/grader';
import type { ServerMessage } from '@kil/lab/protocol';
import { useOptionalLab } from './LabProvider';

export function ChallengeCheck({ id }: { id: string }) {
  const lab = useOptionalLab();
  const [result, setResult] = useState<ExerciseResult | null>(null);
  const [note, setNote] = useState('');
  const [checking, setChecking] = useState(false);

  useEffect(() => {
    if (!lab) return;
    return lab.subscribe((message: ServerMessage) => {
      if (message.t !== 'check-result' || message.exerciseId !== id || message.auto) return;
      setChecking(false);
      setNote(message.error ?? '');
      setResult(message.result);
    });
  }, [lab, id]);

  const check = useCallback(() => {
    if (!lab) return;
    setChecking(true);
    lab.send({ t: 'check', exerciseId: id });
  }, [lab, id]);

  if (!lab) return null;
  return (
    <div className="not-prose mt-4 space-y-3" data-testid="challenge-check">
      <button
        type="button"
        onClick={check}
        disabled={checking || lab.status !== 'open'}
        className="rounded bg-blue-700 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50"
        data-testid="challenge-check-button"
      >
        {checking ? 'Checking…' : 'Check my challenge'}
      </button>
      {note && <p role="status" className="text-sm text-amber-800">{note}</p>}
      {result && (
        <div role="status" data-testid="challenge-result" data-passed={result.passed ? 'true' : 'false'} className="space-y-2 text-sm">
          <p className={`m-0 font-semibold ${result.passed ? 'text-green-800' : 'text-slate-800'}`}>
            {result.passed ? 'Challenge passed: every check holds.' : `Not yet: ${Math.round((result.score / Math.max(result.scoreMax, 1)) * 100)}% of the checks hold.`}
          </p>
          {result.tasks.map((task) => (
            <div key={task.taskId}>
              <ul className="m-0 list-none space-y-1 p-0" aria-label="Challenge checks">
                {task.criteria.map((c) => (
                  <li key={c.expected} className={c.passed ? 'text-green-800' : 'text-red-800'}>
                    {c.passed ? '✓' : '✗'} expected {c.expected}
                    <div className="ml-4 text-slate-600">observed: {c.observed}</div>
                  </li>
                ))}
              </ul>
              {task.hint && <p className="mt-2 rounded bg-amber-50 p-2 text-amber-900">Hint: {task.hint}</p>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
