/**
 * Tiered storage view (KIP-405): a partition's segments on two lanes, the leader's local
 * disk and the remote store. Only rolled segments wholly below the last stable offset are
 * copied to remote storage; local retention (local.retention.ms / local.retention.bytes)
 * then deletes local copies that are safely remote, while retention.ms / retention.bytes
 * govern the whole log, remote part included.
 */
import type { TraceEvent } from '@kil/engine';
import { type Theme, ViewFrame } from './theme';

export interface TieredSegmentModel {
  readonly baseOffset: number;
  /** Last offset in the segment (inclusive). */
  readonly endOffset: number;
  readonly sizeBytes: number;
  readonly local: boolean;
  readonly remote: boolean;
  readonly active: boolean;
}

export interface TieringModel {
  readonly topic: string;
  readonly partition: number;
  readonly brokerId?: number;
  readonly logStartOffset: number;
  /** First offset still on local disk (Kafka's localLogStartOffset). */
  readonly localLogStartOffset: number;
  readonly logEndOffset: number;
  readonly segments: readonly TieredSegmentModel[];
}

type Seg = { baseOffset: number; endOffset: number; sizeBytes: number; local: boolean; remote: boolean; active: boolean };

function applyTierEvent(segs: Map<number, Seg>, e: TraceEvent, n: (k: string) => number | null): void {
  // The engine prefixes storage events with `log-` (log-segment-rolled, log-tier-copy, ...).
  const type = e.type.replace(/^log-/, '');
  if (type === 'segment-rolled') {
    const oldBase = n('oldBaseOffset');
    const newBase = n('newBaseOffset');
    if (oldBase === null || newBase === null) return;
    segs.set(oldBase, { baseOffset: oldBase, endOffset: newBase - 1, sizeBytes: n('oldSizeBytes') ?? 0, local: true, remote: false, active: false });
    segs.set(newBase, { baseOffset: newBase, endOffset: newBase - 1, sizeBytes: 0, local: true, remote: false, active: true });
  } else if (type === 'tier-copy') {
    const base = n('segmentBaseOffset');
    const s = base === null ? undefined : segs.get(base);
    if (base !== null) segs.set(base, { ...(s ?? { baseOffset: base, endOffset: n('segmentEndOffset') ?? base, sizeBytes: n('sizeBytes') ?? 0, local: false, active: false }), remote: true });
  } else if (type === 'retention-delete') {
    const base = n('segmentBaseOffset');
    const s = base === null ? undefined : segs.get(base);
    if (base === null || !s) return;
    const next = e.data?.['tier'] === 'remote' ? { ...s, remote: false } : { ...s, local: false };
    if (next.local || next.remote) segs.set(base, next);
    else segs.delete(base);
  }
}

/**
 * Rebuilds the segment picture from storage trace events of one replica (segment-rolled,
 * tier-copy, retention-delete with data.tier local|remote), as the engine's storage layer
 * emits them (StorageEvent in packages/engine/src/storage/events.ts).
 */
export function tieringModelFromEvents(events: readonly TraceEvent[], topic: string, partition: number, logEndOffset: number, brokerId?: number): TieringModel {
  const segs = new Map<number, Seg>();
  for (const e of events) {
    if (e.topic !== topic || e.partition !== partition || (brokerId !== undefined && e.node !== brokerId)) continue;
    applyTierEvent(segs, e, (k) => (typeof e.data?.[k] === 'number' ? (e.data[k] as number) : null));
  }
  const segments = [...segs.values()].sort((a, b) => a.baseOffset - b.baseOffset).map((s) => (s.active ? { ...s, endOffset: Math.max(s.baseOffset, logEndOffset - 1) } : s));
  const local = segments.filter((s) => s.local);
  return {
    topic,
    partition,
    ...(brokerId !== undefined ? { brokerId } : {}),
    logStartOffset: segments[0]?.baseOffset ?? 0,
    localLogStartOffset: local[0]?.baseOffset ?? logEndOffset,
    logEndOffset,
    segments,
  };
}

const css = `
.kil-tiering .kil-seg{stroke-width:1.5;transition:opacity .4s, x .4s;animation:kil-seg-in .5s ease-out;}
@keyframes kil-seg-in{from{opacity:0;}to{opacity:1;}}
.kil-tiering .kil-seg--local{fill:var(--kil-ok-soft);stroke:var(--kil-ok);}
.kil-tiering .kil-seg--active{fill:var(--kil-accent-soft);stroke:var(--kil-accent);}
.kil-tiering .kil-seg--remote{fill:var(--kil-remote-soft);stroke:var(--kil-remote);}
.kil-tiering .kil-lane{fill:none;stroke:var(--kil-border);stroke-dasharray:2 3;}
`;

export function TieringView({ model, theme }: { model: TieringModel; theme?: Theme }) {
  const laneX = 130;
  const laneW = 560;
  const span = Math.max(1, model.logEndOffset - model.logStartOffset);
  const x = (o: number) => laneX + ((o - model.logStartOffset) / span) * laneW;
  const lane = (kind: 'local' | 'remote', y: number) =>
    model.segments
      .filter((s) => (kind === 'local' ? s.local : s.remote))
      .map((s) => (
        <g key={`${kind}-${s.baseOffset}`} data-segment={s.baseOffset} data-tier={kind} data-active={String(s.active)}>
          <title>{`segment ${s.baseOffset}–${s.endOffset}${s.active ? ' (active)' : ''}, ${s.sizeBytes} bytes, ${kind}`}</title>
          <rect className={`kil-seg kil-seg--${kind === 'local' && s.active ? 'active' : kind}`} x={x(s.baseOffset) + 1} y={y} width={Math.max(4, x(s.endOffset + 1) - x(s.baseOffset) - 2)} height={26} rx={4} />
          <text x={x(s.baseOffset) + 4} y={y + 17} fontSize={10}>
            {s.baseOffset}
          </text>
        </g>
      ));
  const remoteOnly = model.segments.filter((s) => s.remote && !s.local).length;
  return (
    <ViewFrame testId="tiering-view" label={`Tiered storage of ${model.topic}-${model.partition}`} theme={theme} styleId="tiering" css={css} className="kil-tiering">
      <p className="kil-title">
        {model.topic}-{model.partition} · log start {model.logStartOffset} · local log start {model.localLogStartOffset} · LEO {model.logEndOffset}
      </p>
      <svg viewBox={`0 0 ${laneX + laneW + 20} 92`} width="100%" role="img" aria-label={`${model.segments.filter((s) => s.local).length} segments on local disk, ${model.segments.filter((s) => s.remote).length} in remote storage, ${remoteOnly} only remote.`}>
        <text x={0} y={26} fontSize={12}>
          local disk{model.brokerId !== undefined ? ` (broker ${model.brokerId})` : ''}
        </text>
        <rect className="kil-lane" x={laneX} y={8} width={laneW} height={30} />
        <g data-testid="tier-local">{lane('local', 10)}</g>
        <text x={0} y={72} fontSize={12}>
          remote storage
        </text>
        <rect className="kil-lane" x={laneX} y={54} width={laneW} height={30} />
        <g data-testid="tier-remote">{lane('remote', 56)}</g>
      </svg>
      <p className="kil-note">Reads below the local log start offset ({model.localLogStartOffset}) are served from remote storage.</p>
    </ViewFrame>
  );
}
