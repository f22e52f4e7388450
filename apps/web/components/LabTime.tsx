'use client';
/** The lab panel's time controls and clock; loaded with the pictures, not with the page. */
import { TimeControls } from '@kil/ui';
import { useLab } from './LabProvider';

export default function LabTime() {
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
