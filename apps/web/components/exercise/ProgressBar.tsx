/** A labelled progress bar: a fraction 0..1 with an accessible name and value. */
export function ProgressBar({ label, value, detail }: { label: string; value: number; detail?: string }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="space-y-1">
      <div className="flex justify-between gap-4 text-sm">
        <span className="font-medium text-slate-800">{label}</span>
        <span className="text-slate-500">{detail ?? `${percent}%`}</span>
      </div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-2 rounded bg-slate-200">
        <div className="h-2 rounded bg-blue-600" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
