/**
 * Compaction view: a compacted partition before and after the log cleaner runs. The cleaner
 * never touches the active segment; in the segments before it, it keeps only the latest
 * record of each key, and keeps tombstones (null values) for delete.retention.ms so that
 * consumers can see the delete before the tombstone itself goes. The cleaner picks a log
 * once its dirty ratio (records after the cleaner checkpoint over all cleanable records)
 * reaches min.cleanable.dirty.ratio (0.5 by default). Ratios here count records, not bytes.
 */
import { type Theme, ViewFrame } from './theme';

export interface CompactionRecordModel {
  readonly offset: number;
  readonly key: string;
  /** null: a tombstone. */
  readonly value: string | null;
}

export interface CompactionOptions {
  /** Base offset of the active segment; records from here on are never cleaned. */
  readonly activeSegmentBaseOffset: number;
  /** Cleaner checkpoint: records before it were cleaned in an earlier pass. */
  readonly firstDirtyOffset?: number;
  /** True once delete.retention.ms has passed for the tombstones in the cleaned part. */
  readonly dropTombstones?: boolean;
  /** min.cleanable.dirty.ratio, default 0.5. */
  readonly minCleanableDirtyRatio?: number;
}

export interface CompactionModel {
  readonly topic: string;
  readonly partition: number;
  readonly before: readonly CompactionRecordModel[];
  readonly after: readonly CompactionRecordModel[];
  readonly activeSegmentBaseOffset: number;
  readonly firstDirtyOffset: number;
  readonly dirtyRatio: number;
  readonly minCleanableDirtyRatio: number;
  /** Offsets the cleaner removes, and why. */
  readonly removed: ReadonlyMap<number, 'superseded' | 'tombstone-expired'>;
}

/** Runs one cleaner pass over the records, the way Kafka's LogCleaner decides what stays. */
export function compactionModel(topic: string, partition: number, records: readonly CompactionRecordModel[], o: CompactionOptions): CompactionModel {
  const firstDirtyOffset = o.firstDirtyOffset ?? records[0]?.offset ?? 0;
  const cleanable = records.filter((r) => r.offset < o.activeSegmentBaseOffset);
  const latest = new Map<string, number>();
  for (const r of cleanable) latest.set(r.key, r.offset);
  const removed = new Map<number, 'superseded' | 'tombstone-expired'>();
  for (const r of cleanable) {
    if (latest.get(r.key) !== r.offset) removed.set(r.offset, 'superseded');
    else if (r.value === null && o.dropTombstones) removed.set(r.offset, 'tombstone-expired');
  }
  const dirty = cleanable.filter((r) => r.offset >= firstDirtyOffset).length;
  return {
    topic,
    partition,
    before: records,
    after: records.filter((r) => !removed.has(r.offset)),
    activeSegmentBaseOffset: o.activeSegmentBaseOffset,
    firstDirtyOffset,
    dirtyRatio: cleanable.length === 0 ? 0 : dirty / cleanable.length,
    minCleanableDirtyRatio: o.minCleanableDirtyRatio ?? 0.5,
    removed,
  };
}

const css = `
.kil-compaction .kil-rec{stroke-width:1;transition:opacity .4s;}
.kil-compaction .kil-rec[data-status="kept"]{fill:var(--kil-ok-soft);stroke:var(--kil-ok);}
.kil-compaction .kil-rec[data-status="superseded"]{fill:var(--kil-panel);stroke:var(--kil-faint);stroke-dasharray:3 2;}
.kil-compaction .kil-rec[data-status="tombstone"],.kil-compaction .kil-rec[data-status="tombstone-expired"]{fill:var(--kil-fg);stroke:var(--kil-fg);}
.kil-compaction .kil-rec[data-status="active"]{fill:var(--kil-accent-soft);stroke:var(--kil-accent);}
.kil-compaction text.kil-on-dark{fill:var(--kil-bg);}
.kil-compaction .kil-boundary{stroke:var(--kil-accent);stroke-width:2;stroke-dasharray:4 3;}
`;

const cellWidth = 46;
const labelWidth = 70;

type Status = 'kept' | 'superseded' | 'tombstone' | 'tombstone-expired' | 'active';

function statusOf(m: CompactionModel, r: CompactionRecordModel): Status {
  if (r.offset >= m.activeSegmentBaseOffset) return 'active';
  const why = m.removed.get(r.offset);
  if (why) return why;
  return r.value === null ? 'tombstone' : 'kept';
}

function Strip({ m, records, y, label, testId }: { m: CompactionModel; records: readonly CompactionRecordModel[]; y: number; label: string; testId: string }) {
  const boundary = records.findIndex((r) => r.offset >= m.activeSegmentBaseOffset);
  return (
    <g transform={`translate(0,${y})`} data-testid={testId}>
      <text x={0} y={24} fontSize={12} className="kil-muted">
        {label}
      </text>
      {records.map((r, i) => {
        const status = statusOf(m, r);
        const dark = status === 'tombstone' || status === 'tombstone-expired';
        return (
          <g key={r.offset} transform={`translate(${labelWidth + i * cellWidth},0)`} data-offset={r.offset} data-status={status}>
            <title>{`offset ${r.offset}, key ${r.key}, ${r.value === null ? 'tombstone' : `value ${r.value}`}: ${status}`}</title>
            <rect className="kil-rec" data-status={status} width={cellWidth - 4} height={36} rx={4} />
            <text x={4} y={14} fontSize={10} className={dark ? 'kil-on-dark' : 'kil-muted'}>
              {r.offset}
            </text>
            <text x={4} y={29} fontSize={11} className={dark ? 'kil-on-dark' : undefined}>
              {r.key}:{r.value ?? '∅'}
            </text>
          </g>
        );
      })}
      {boundary > 0 ? <line className="kil-boundary" x1={labelWidth + boundary * cellWidth - 2} x2={labelWidth + boundary * cellWidth - 2} y1={-4} y2={40} /> : null}
    </g>
  );
}

export function CompactionView({ model, theme }: { model: CompactionModel; theme?: Theme }) {
  const eligible = model.dirtyRatio >= model.minCleanableDirtyRatio;
  const width = labelWidth + Math.max(model.before.length, 1) * cellWidth + 20;
  return (
    <ViewFrame testId="compaction-view" label={`Compaction of ${model.topic}-${model.partition}`} theme={theme} styleId="compaction" css={css} className="kil-compaction" extra={{ 'data-eligible': String(eligible) }}>
      <p className="kil-title">
        {model.topic}-{model.partition} · dirty ratio {model.dirtyRatio.toFixed(2)} {eligible ? '≥' : '<'} min.cleanable.dirty.ratio {model.minCleanableDirtyRatio}
        {eligible ? ' · the cleaner will pick this log' : ' · not dirty enough to clean yet'}
      </p>
      <svg viewBox={`0 0 ${width} 110`} width="100%" style={{ maxWidth: width * 1.25 }} role="img" aria-label={`Before cleaning ${model.before.length} records, after ${model.after.length}; ${model.removed.size} removed.`}>
        <Strip m={model} records={model.before} y={6} label="before" testId="compaction-before" />
        <Strip m={model} records={model.after} y={62} label="after" testId="compaction-after" />
      </svg>
      <p className="kil-note">Dashed: superseded by a later record with the same key. Dark: tombstones, kept for delete.retention.ms. Blue: the active segment, which the cleaner never touches (right of the dashed line).</p>
    </ViewFrame>
  );
}
