'use client';
import dynamic from 'next/dynamic';
import { ClusterView } from '@kil/ui';
import { useLab } from './LabProvider';

const Terminal = dynamic(() => import('./Terminal'), { ssr: false, loading: () => <div className="h-full bg-slate-900" /> });

function TimeControls() {
  const lab = useLab();
  return (
    <div className="flex items-center gap-2 text-xs">
      <button type="button" className="rounded border px-2 py-1" onClick={() => lab.send({ t: 'time', action: lab.paused ? 'resume' : 'pause' })}>
        {lab.paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" className="rounded border px-2 py-1" onClick={() => lab.send({ t: 'time', action: 'step', ms: 100 })}>
        Step 100 ms
      </button>
      <span className="text-slate-500" data-testid="lab-clock">
        {lab.snapshot ? `t = ${(lab.snapshot.timeMs / 1000).toFixed(1)} s` : ''}
        {lab.paused ? ' (paused)' : ''}
      </span>
    </div>
  );
}

/** Terminal plus the live cluster picture of the learner's own lab. */
export function LabPanel({ layout = 'side' }: { layout?: 'side' | 'full' }) {
  const lab = useLab();
  const full = layout === 'full';
  return (
    <div className={full ? 'grid h-[calc(100vh-4rem)] grid-cols-1 gap-3 lg:grid-cols-2' : 'flex h-full flex-col gap-3'}>
      <div className={full ? 'min-h-0 overflow-auto rounded-lg border bg-white p-3' : 'rounded-lg border bg-white p-3'}>
        <div className="mb-2 flex items-center justify-between">
          <span className="text-sm font-semibold">
            Your cluster{' '}
            <span className="font-normal text-slate-500" data-testid="lab-status">
              {lab.status === 'open' ? 'live' : lab.status}
            </span>
          </span>
          <TimeControls />
        </div>
        {lab.snapshot ? <ClusterView snapshot={lab.snapshot} /> : <p className="text-sm text-slate-500">Starting your lab…</p>}
      </div>
      <div className={full ? 'min-h-[300px] overflow-hidden rounded-lg bg-slate-900 p-2' : 'h-[360px] overflow-hidden rounded-lg bg-slate-900 p-2'}>
        <Terminal className="h-full w-full" />
      </div>
    </div>
  );
}
