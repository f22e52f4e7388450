'use client';
import dynamic from 'next/dynamic';
import { useRef, useState } from 'react';
import { useLab } from './LabProvider';
import { useNearViewport } from './useNearViewport';
import { viewTabs } from './view-tabs';

/*
 * The terminal (xterm.js), the time controls and the pictures (@kil/ui) load on demand,
 * once the panel comes near the viewport (at once beside the lesson on a wide screen;
 * after scrolling on a narrow one, where the panel sits below the lesson) or, for the
 * terminal, as soon as a "Run" button asks it to type. The page's first load carries
 * only the panel's frame; docs/performance.md has the figures.
 */
const Terminal = dynamic(() => import('./Terminal'), { ssr: false, loading: () => <div className="h-full bg-slate-900" /> });
const LabTime = dynamic(() => import('./LabTime'), { ssr: false, loading: () => <TimePlaceholder /> });
const LabView = dynamic(() => import('./LabViews').then((m) => m.LabView), { ssr: false, loading: () => <ViewPlaceholder /> });

/** Reserves about the height of the time controls so the picture below does not jump. */
function TimePlaceholder() {
  return <div className="h-16" aria-hidden="true" />;
}

function ViewPlaceholder() {
  return <p className="rounded-lg border border-dashed p-4 text-center text-sm text-slate-500">Connecting to your lab…</p>;
}

const tabLabels: Record<string, string> = {
  cluster: 'Cluster',
  replication: 'Replication',
  quorum: 'Quorum',
  timeline: 'Timeline',
  tables: 'Tables',
  group: 'Group',
  transactions: 'Transactions',
  compaction: 'Compaction',
  tiering: 'Tiering',
  request: 'Requests',
  reassignment: 'Reassignment',
  mirroring: 'Mirroring',
};

/** Terminal plus live pictures of the learner's own lab, with time controls. */
export function LabPanel({ layout = 'side', defaultView = 'cluster' }: { layout?: 'side' | 'full'; defaultView?: string }) {
  const lab = useLab();
  const tabs = viewTabs.includes(defaultView as (typeof viewTabs)[number]) ? [...viewTabs] : [defaultView, ...viewTabs];
  const [view, setView] = useState(defaultView);
  const full = layout === 'full';
  const panel = useRef<HTMLDivElement>(null);
  const near = useNearViewport(panel);
  return (
    <div ref={panel} className={full ? 'grid h-[calc(100vh-4rem)] grid-cols-1 gap-3 lg:grid-cols-2' : 'flex h-full flex-col gap-3'}>
      <div className={full ? 'min-h-0 overflow-auto rounded-lg border bg-white p-3' : 'max-h-[55vh] overflow-auto rounded-lg border bg-white p-3'}>
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <span className="text-sm font-semibold">
            Your cluster{' '}
            <span className="font-normal text-slate-500" data-testid="lab-status">
              {lab.status === 'open' ? 'live' : lab.status}
            </span>
          </span>
          <div role="tablist" aria-label="Pictures of your lab" className="flex flex-wrap gap-1 text-xs">
            {tabs.map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                aria-selected={view === tab}
                className={`rounded px-2 py-1 ${view === tab ? 'bg-blue-600 text-white' : 'border hover:bg-slate-100'}`}
                onClick={() => setView(tab)}
              >
                {tabLabels[tab] ?? tab}
              </button>
            ))}
          </div>
        </div>
        {near ? <LabTime /> : <TimePlaceholder />}
        <div className="mt-3" role="tabpanel" data-view={view}>
          {near ? <LabView kind={view} onSeek={(seq) => lab.send({ t: 'time', action: 'rewind', seq })} /> : <ViewPlaceholder />}
        </div>
      </div>
      <div className={full ? 'min-h-[300px] overflow-hidden rounded-lg bg-slate-900 p-2' : 'h-[360px] shrink-0 overflow-hidden rounded-lg bg-slate-900 p-2'}>
        {near || lab.terminalWanted ? <Terminal className="h-full w-full" /> : <div className="h-full bg-slate-900" />}
      </div>
    </div>
  );
}
