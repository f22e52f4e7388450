'use client';
import { LabView } from './LabViews';
import { useOptionalLab } from './LabProvider';

/** A live picture of the learner's lab, embedded in a lesson. */
export function LiveView({ kind = 'cluster', topic, partition }: { kind?: string; topic?: string; partition?: number }) {
  const lab = useOptionalLab();
  const seek = lab ? (seq: number) => lab.send({ t: 'time', action: 'rewind', seq }) : undefined;
  return (
    <figure className="my-6 rounded-lg border border-slate-200 bg-white p-3" data-live-view={kind}>
      <LabView kind={kind} topic={topic} partition={partition} onSeek={seek} />
      {lab?.snapshot ? (
        <figcaption className="mt-1 text-xs text-slate-500">Live: your lab at {(lab.snapshot.timeMs / 1000).toFixed(1)} s of lab time</figcaption>
      ) : null}
    </figure>
  );
}
