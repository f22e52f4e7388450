'use client';
import type { ReactNode } from 'react';
import { useOptionalLab } from './LabProvider';

/** A runnable step: the button types the command into the learner's terminal. */
export function TryIt({ title, command, children }: { title: string; command: string; children?: ReactNode }) {
  const lab = useOptionalLab();
  return (
    <section className="my-6 rounded-lg border border-blue-200 bg-blue-50/60 p-4" data-testid="try-it">
      <h4 className="m-0 text-sm font-semibold text-blue-900">Try it: {title}</h4>
      <div className="mt-2 flex items-start gap-2">
        <code className="try-it-command block flex-1 overflow-x-auto rounded px-3 py-2 text-xs">{command}</code>
        <button
          type="button"
          className="rounded bg-blue-600 px-3 py-2 text-xs font-semibold text-white hover:bg-blue-700 disabled:opacity-50"
          disabled={!lab || lab.status !== 'open'}
          onClick={() => lab?.typeCommand(command)}
          aria-label={`Run: ${command}`}
        >
          Run
        </button>
      </div>
      {children ? <div className="mt-2 text-sm text-slate-700">{children}</div> : null}
    </section>
  );
}
