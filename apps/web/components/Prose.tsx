import type { ReactNode } from 'react';
import { ChallengeCheck } from './ChallengeCheck';

const calloutStyle: Record<string, string> = {
  note: 'border-slate-300 bg-slate-50',
  warning: 'border-amber-400 bg-amber-50',
  kip: 'border-violet-300 bg-violet-50',
  history: 'border-emerald-300 bg-emerald-50',
};
const calloutLabel: Record<string, string> = { note: 'Note', warning: 'Careful', kip: 'KIP', history: 'History' };

export function Callout({ kind = 'note', children }: { kind?: string; children?: ReactNode }) {
  return (
    <aside className={`my-5 rounded-lg border-l-4 p-4 text-sm ${calloutStyle[kind] ?? calloutStyle.note}`}>
      <div className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{calloutLabel[kind] ?? 'Note'}</div>
      {children}
    </aside>
  );
}

export function Challenge({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  return (
    <section className="my-6 rounded-lg border-2 border-blue-600 p-4" data-challenge={id}>
      <h4 className="m-0 text-base font-semibold">Challenge: {title}</h4>
      <div className="mt-2 text-sm">{children}</div>
      <ChallengeCheck id={id} />
    </section>
  );
}

/** A figure whose SVG we drew ourselves, inlined so it inherits the page's colours. */
export function InlineFigure({ svg, caption }: { svg: string; caption?: string }) {
  return (
    <figure className="my-6">
      <div className="overflow-x-auto [&_svg]:h-auto [&_svg]:max-w-full" dangerouslySetInnerHTML={{ __html: svg }} />
      {caption ? <figcaption className="mt-2 text-center text-xs text-slate-500">{caption}</figcaption> : null}
    </figure>
  );
}
