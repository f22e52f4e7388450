'use client';
import { ClusterView } from '@kil/ui';
import { useOptionalLab } from './LabProvider';

/** A live picture of the learner's lab, embedded in a lesson. */
export function LiveView({ kind = 'cluster', topic }: { kind?: string; topic?: string; partition?: number }) {
  const lab = useOptionalLab();
  const snapshot = lab?.snapshot;
  if (!snapshot) return <div className="my-6 rounded-lg border border-dashed p-6 text-center text-sm text-slate-500">Connecting to your lab…</div>;
  const filtered = topic ? { ...snapshot, topics: snapshot.topics.filter((t) => t.name === topic) } : snapshot;
  return (
    <figure className="my-6 rounded-lg border border-slate-200 p-3" data-live-view={kind}>
      <ClusterView snapshot={filtered} />
      <figcaption className="mt-1 text-xs text-slate-500">Live: your lab at {(snapshot.timeMs / 1000).toFixed(1)} s of lab time</figcaption>
    </figure>
  );
}
