'use client';
import { useState, type ReactNode } from 'react';

export function Quiz({ children }: { children?: ReactNode }) {
  return (
    <section className="my-6 space-y-4" data-testid="quiz">
      {children}
    </section>
  );
}

/** One multiple-choice question; the explanation shows once the learner has answered. */
export function Question({ prompt, options, answer, children }: { prompt: string; options: string[]; answer: number; children?: ReactNode }) {
  const [chosen, setChosen] = useState<number | null>(null);
  return (
    <fieldset className="rounded-lg border border-slate-200 p-4">
      <legend className="px-1 text-sm font-semibold">{prompt}</legend>
      <div className="mt-2 space-y-1">
        {options.map((option, i) => {
          const verdict = chosen === null ? '' : i === answer ? 'text-green-700 font-semibold' : i === chosen ? 'text-red-700 line-through' : '';
          return (
            <label key={i} className={`flex cursor-pointer items-start gap-2 text-sm ${verdict}`}>
              <input type="radio" name={prompt} checked={chosen === i} onChange={() => setChosen(i)} />
              <span>{option}</span>
            </label>
          );
        })}
      </div>
      {chosen !== null ? (
        <div className="mt-3 rounded bg-slate-50 p-3 text-sm text-slate-700" role="status">
          <strong>{chosen === answer ? 'Correct. ' : 'Not quite. '}</strong>
          {children}
        </div>
      ) : null}
    </fieldset>
  );
}
