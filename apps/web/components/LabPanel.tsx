'use client';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { TimeControls } from '@kil/ui';
import { useLab } from './LabProvider';
import { LabView, viewTabs } from './LabViews';

const Terminal = dynamic(() => import('./Terminal'), { ssr: false, loading: () => <div className="h-full bg-slate-900" /> });

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

function LabTime() {
  const lab = useLab();
  const seek = (seq: number) => lab.send({ t: 'time', action: 'rewind', seq });
  return (
    <div className="space-y-1" data-testid="time-controls">
      <TimeControls
        events={lab.events}
        paused={lab.paused}
        speed={lab.speed}
        onPause={() => lab.send({ t: 'time', action: 'pause' })}
        onResume={() => lab.send({ t: 'time', action: 'resume' })}
        onSpeed={(speed) => lab.send({ t: 'time', action: 'speed', speed })}
        onStep={(ms) => lab.send({ t: 'time', action: 'step', ms })}
        onSeek={seek}
        onLive={() => lab.send({ t: 'time', action: 'resume' })}
        permalink={lab.shareLink ?? undefined}
      />
      <div className="flex items-center gap-3 text-xs text-slate-500">
        <span data-testid="lab-clock">
          {lab.snapshot ? `t = ${(lab.snapshot.timeMs / 1000).toFixed(1)} s` : ''}
          {lab.paused ? ' (paused)' : ''}
        </span>
        <button type="button" className="underline" onClick={lab.requestShareLink}>
          Share this moment
        </button>
        {lab.notice ? (
          <span role="status" className="text-amber-700">
            {lab.notice}
          </span>
        ) : null}
      </div>
    </div>
  );
}

/** Terminal plus live pictures of the learner's own lab, with time controls. */
export function LabPanel({ layout = 'side', defaultView = 'cluster' }: { layout?: 'side' | 'full'; defaultView?: string }) {
  const lab = useLab();
  const tabs = viewTabs.includes(defaultView as (typeof viewTabs)[number]) ? [...viewTabs] : [defaultView, ...viewTabs];
  const [view, setView] = useState(defaultView);
  const full = layout === 'full';
  return (
    <div className={full ? 'grid h-[calc(100vh-4rem)] grid-cols-1 gap-3 lg:grid-cols-2' : 'flex h-full flex-col gap-3'}>
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
        <LabTime />
        <div className="mt-3" role="tabpanel" data-view={view}>
          <LabView kind={view} onSeek={(seq) => lab.send({ t: 'time', action: 'rewind', seq })} />
        </div>
      </div>
      <div className={full ? 'min-h-[300px] overflow-hidden rounded-lg bg-slate-900 p-2' : 'h-[360px] shrink-0 overflow-hidden rounded-lg bg-slate-900 p-2'}>
        <Terminal className="h-full w-full" />
      </div>
    </div>
  );
}
