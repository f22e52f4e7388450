'use client';
import { Children, createContext, isValidElement, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { reportQuizScore } from './exercise/ModuleProgress';

/** Which module a lesson belongs to, so its quiz score is recorded against it. */
const ModuleSlugContext = createContext<string | null>(null);

export function ModuleSlugProvider({ slug, children }: { slug: string; children: ReactNode }) {
  return <ModuleSlugContext.Provider value={slug}>{children}</ModuleSlugContext.Provider>;
}

const QuizContext = createContext<((prompt: string, correct: boolean) => void) | null>(null);

/** A quiz: the score counts each question's first answer, and is saved once all are answered. */
export function Quiz({ children }: { children?: ReactNode }) {
  const slug = useContext(ModuleSlugContext);
  // Counted by props, not by element type: children arrive from a server component.
  const total = Children.toArray(children).filter(
    (child) => isValidElement<{ prompt?: unknown; options?: unknown }>(child) && typeof child.props.prompt === 'string' && Array.isArray(child.props.options),
  ).length;
  const firstAnswers = useRef(new Map<string, boolean>());
  const [score, setScore] = useState<{ right: number; total: number } | null>(null);
  const report = useCallback(
    (prompt: string, correct: boolean) => {
      if (firstAnswers.current.has(prompt)) return;
      firstAnswers.current.set(prompt, correct);
      if (firstAnswers.current.size === total) {
        const right = [...firstAnswers.current.values()].filter(Boolean).length;
        setScore({ right, total });
      }
    },
    [total],
  );
  useEffect(() => {
    if (score && slug) void reportQuizScore(slug, score.right, score.total);
  }, [score, slug]);
  return (
    <QuizContext.Provider value={report}>
      <section className="my-6 space-y-4" data-testid="quiz">
        {children}
        {score ? (
          <p className="rounded bg-blue-50 p-3 text-sm font-semibold text-blue-900" role="status" data-testid="quiz-score">
            You answered {score.right} of {score.total} right the first time.
          </p>
        ) : null}
      </section>
    </QuizContext.Provider>
  );
}

/** One multiple-choice question; the explanation shows once the learner has answered. */
export function Question({ prompt, options, answer, children }: { prompt: string; options: string[]; answer: number; children?: ReactNode }) {
  const [chosen, setChosen] = useState<number | null>(null);
  const report = useContext(QuizContext);
  const choose = (i: number) => {
    setChosen(i);
    report?.(prompt, i === answer);
  };
  return (
    <fieldset className="rounded-lg border border-slate-200 p-4">
      <legend className="px-1 text-sm font-semibold">{prompt}</legend>
      <div className="mt-2 space-y-1">
        {options.map((option, i) => {
          const verdict = chosen === null ? '' : i === answer ? 'text-green-700 font-semibold' : i === chosen ? 'text-red-700 line-through' : '';
          return (
            <label key={i} className={`flex cursor-pointer items-start gap-2 text-sm ${verdict}`}>
              <input type="radio" name={prompt} checked={chosen === i} onChange={() => choose(i)} />
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
