'use client';
import dynamic from 'next/dynamic';
import { useRef } from 'react';
import { useOptionalLab } from './LabProvider';
import { useNearViewport } from './useNearViewport';

function Connecting() {
  return <p className="rounded-lg border border-dashed p-4 text-center text-sm text-slate-500">Connecting to your lab…</p>;
}

/** The pictures (@kil/ui) load when the figure nears the viewport, not with the lesson. */
const LabView = dynamic(() => import('./LabViews').then((m) => m.LabView), { ssr: false, loading: () => <Connecting /> });

/** A live picture of the learner's lab, embedded in a lesson. */
export function LiveView({ kind = 'cluster', topic, partition }: { kind?: string; topic?: string; partition?: number }) {
  const lab = useOptionalLab();
  const figure = useRef<HTMLElement>(null);
  const near = useNearViewport(figure);
  const seek = lab ? (seq: number) => lab.send({ t: 'time', action: 'rewind', seq }) : undefined;
  return (
    <figure ref={figure} className="my-6 rounded-lg border border-slate-200 bg-white p-3" data-live-view={kind}>
      {near ? <LabView kind={kind} topic={topic} partition={partition} onSeek={seek} /> : <Connecting />}
      {lab?.snapshot ? (
        <figcaption className="mt-1 text-xs text-slate-500">Live: your lab at {(lab.snapshot.timeMs / 1000).toFixed(1)} s of lab time</figcaption>
      ) : null}
    </figure>
  );
}
