/**
 * Replication view: one partition, each replica's log drawn as a strip of record batches
 * with its logStartOffset, high watermark, last stable offset and log end offset. Committed
 * records (below the leader's HW) and uncommitted ones are coloured apart; the leader
 * carries its epoch; out-of-sync replicas are dashed and say why they left the ISR; a
 * bracket over the leader's uncommitted tail shows acks=all producers waiting for the HW.
 * New records fade in and ISR changes cross-fade (disabled under prefers-reduced-motion).
 */
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';
import { type ActionHandler, primaryNodeAction } from './actions';
import { replicationModelFromSnapshot, type BatchModel, type ReplicaLogModel, type ReplicationModel } from './replication-model';
import { activateOnKey, type Theme, ViewFrame } from './theme';

export interface ReplicationViewProps {
  readonly topic: string;
  readonly partition: number;
  /** Either a snapshot (the adapter builds the model) or a ready model from the host. */
  readonly snapshot?: ClusterSnapshot;
  readonly model?: ReplicationModel | null;
  readonly events?: readonly TraceEvent[];
  /** Show only these brokers' replicas (default: every replica). */
  readonly brokers?: readonly number[];
  readonly lagTimeMaxMs?: number;
  /** Most offsets drawn per strip; older offsets are summarised as "earlier". */
  readonly windowRecordsMax?: number;
  readonly theme?: Theme;
  readonly onAction?: ActionHandler;
}

const labelWidth = 170;
const cellWidth = 22;
const stripTop = 18;
const stripHeight = 26;
const rowHeight = 96;
const axisHeight = 22;

const css = `
.kil-replication svg{display:block;overflow:visible;}
.kil-replication .kil-rec{stroke-width:1;transition:fill .4s ease, stroke .4s ease, opacity .4s ease;animation:kil-rec-in .5s ease-out;}
@keyframes kil-rec-in{from{opacity:0;}to{opacity:1;}}
.kil-replication .kil-rec--committed{fill:var(--kil-committed);stroke:var(--kil-ok);}
.kil-replication .kil-rec--uncommitted{fill:var(--kil-uncommitted);stroke:var(--kil-warn);}
.kil-replication .kil-rec--open-txn{fill:var(--kil-txn-soft);stroke:var(--kil-txn);}
.kil-replication .kil-rec--divergent{fill:var(--kil-bad-soft);stroke:var(--kil-bad);stroke-dasharray:3 2;}
.kil-replication .kil-rec--control{stroke-width:2.5;}
.kil-replication .kil-cell-line{stroke:var(--kil-border);}
.kil-replication .kil-replica{transition:opacity .5s ease;}
.kil-replication .kil-replica--out-of-sync{opacity:.72;}
.kil-replication .kil-node{fill:var(--kil-bg);stroke:var(--kil-ok);stroke-width:1.5;transition:stroke .5s ease, fill .5s ease;}
.kil-replication .kil-replica--leader .kil-node{fill:var(--kil-accent);stroke:var(--kil-accent);}
.kil-replication .kil-replica--out-of-sync .kil-node{stroke:var(--kil-bad);stroke-dasharray:4 3;}
.kil-replication .kil-marker{stroke-width:2;}
.kil-replication .kil-marker--hw{stroke:var(--kil-ok);}
.kil-replication .kil-marker--leo{stroke:var(--kil-fg);}
.kil-replication .kil-marker--lso{stroke:var(--kil-txn);}
.kil-replication .kil-marker--start{stroke:var(--kil-muted);}
.kil-replication .kil-acks{stroke:var(--kil-warn);fill:none;stroke-width:1.5;}
.kil-replication .kil-acks-text{fill:var(--kil-warn);}
.kil-replication .kil-legend{display:flex;gap:12px;flex-wrap:wrap;font-size:12px;color:var(--kil-muted);margin-top:4px;}
.kil-replication .kil-swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px;border:1px solid;}
`;

function batchClass(b: BatchModel, lastStableOffset: number | null): string {
  const state = b.divergent ? 'divergent' : !b.committed ? 'uncommitted' : b.transactional && lastStableOffset !== null && b.baseOffset >= lastStableOffset ? 'open-txn' : 'committed';
  return `kil-rec kil-rec--${state}${b.control ? ' kil-rec--control' : ''}`;
}

interface Geometry {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly x: (offset: number) => number;
}

function geometry(model: ReplicationModel, windowRecordsMax: number): Geometry {
  const known = model.replicas.filter((r) => r.logKnown);
  const leoMax = Math.max(1, ...known.map((r) => r.logEndOffset));
  const firsts = known.map((r) => r.batches[0]?.baseOffset ?? r.logStartOffset);
  const windowStart = Math.max(Math.min(leoMax, ...firsts), leoMax - windowRecordsMax);
  // One empty slot after the largest LEO: the LEO is the offset of the next record.
  return { windowStart, windowEnd: leoMax + 1, x: (o) => labelWidth + (Math.max(o, windowStart) - windowStart) * cellWidth };
}

function Batch({ b, g, lso }: { b: BatchModel; g: Geometry; lso: number | null }) {
  if (b.lastOffset < g.windowStart) return null;
  const x0 = g.x(b.baseOffset);
  const x1 = g.x(b.lastOffset + 1);
  const inner = [];
  for (let o = Math.max(b.baseOffset, g.windowStart) + 1; o <= b.lastOffset; o++) inner.push(<line key={o} className="kil-cell-line" x1={g.x(o)} x2={g.x(o)} y1={stripTop + 4} y2={stripTop + stripHeight - 4} />);
  const title = `offsets ${b.baseOffset}${b.lastOffset > b.baseOffset ? `–${b.lastOffset}` : ''}${b.leaderEpoch !== null ? `, leader epoch ${b.leaderEpoch}` : ''}, ${b.divergent ? 'divergent (will be truncated)' : b.committed ? 'committed' : 'not yet committed'}${b.control ? `, ${b.control} marker` : ''}`;
  return (
    <g data-batch={`${b.baseOffset}-${b.lastOffset}`} data-committed={String(b.committed)} data-epoch={b.leaderEpoch ?? undefined}>
      <title>{title}</title>
      <rect className={batchClass(b, lso)} x={x0 + 1} y={stripTop} width={Math.max(2, x1 - x0 - 2)} height={stripHeight} rx={3} />
      {inner}
      {b.leaderEpoch !== null && x1 - x0 >= cellWidth ? (
        <text x={x0 + 4} y={stripTop + stripHeight - 6} fontSize={9} className="kil-muted">
          e{b.leaderEpoch}
        </text>
      ) : null}
    </g>
  );
}

/** Marker names at each offset, merged so that "HW=LEO 10" does not print twice. */
export function markerGroups(r: ReplicaLogModel): { offset: number; names: string[] }[] {
  const marks: [string, number | null][] = [
    ['start', r.logStartOffset],
    ['HW', r.highWatermark],
    ['LSO', r.lastStableOffset],
    ['LEO', r.logEndOffset],
  ];
  const byOffset = new Map<number, string[]>();
  for (const [name, o] of marks) if (o !== null) byOffset.set(o, [...(byOffset.get(o) ?? []), name]);
  return [...byOffset.entries()].sort((a, b) => a[0] - b[0]).map(([offset, names]) => ({ offset, names }));
}

/** Label lines for markers: a label moves to the second line when it would overlap the previous one. */
function labelLines(groups: readonly { offset: number; names: string[] }[], g: Geometry): number[] {
  const lastRight = [-Infinity, -Infinity];
  return groups.map(({ offset, names }) => {
    const x = g.x(offset);
    const halfWidth = (`${names.join('=')} ${offset}`.length * 5.6) / 2;
    const line = x - halfWidth > lastRight[0]! + 4 ? 0 : 1;
    lastRight[line] = x + halfWidth;
    return line;
  });
}

function Markers({ r, g }: { r: ReplicaLogModel; g: Geometry }) {
  if (!r.logKnown) return null;
  const groups = markerGroups(r).filter((m) => m.offset >= g.windowStart);
  const lines = labelLines(groups, g);
  return (
    <g>
      {groups.map(({ offset, names }, i) => {
        const x = g.x(offset);
        const kind = names.includes('LEO') ? 'leo' : names.includes('HW') ? 'hw' : names.includes('LSO') ? 'lso' : 'start';
        return (
          <g key={offset} data-marker={names.join('=')} data-offset={offset}>
            <line className={`kil-marker kil-marker--${kind}`} x1={x} x2={x} y1={stripTop - 4} y2={stripTop + stripHeight + 4} />
            <text x={x} y={stripTop + stripHeight + 16 + (lines[i] ?? 0) * 12} fontSize={10} textAnchor="middle" className="kil-muted">
              {names.join('=')} {offset}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function roleText(r: ReplicaLogModel, leaderEpoch: number): string {
  if (r.role === 'leader') return `leader · epoch ${leaderEpoch}`;
  if (r.role === 'isr') return r.online ? 'follower · in ISR' : `in ISR · ${r.brokerState}`;
  return r.online ? 'follower · out of sync' : `out of sync · ${r.brokerState}`;
}

function ReplicaRow({ r, model, g, y, onAction }: { r: ReplicaLogModel; model: ReplicationModel; g: Geometry; y: number; onAction?: ActionHandler | undefined }) {
  const action = onAction && r.brokerState !== 'unknown' ? primaryNodeAction('broker', r.brokerId, r.brokerState) : null;
  const interactive = action
    ? { role: 'button', tabIndex: 0, 'aria-label': `Broker ${r.brokerId}, ${roleText(r, model.leaderEpoch)}. Activate to run: ${action.command}`, onClick: () => onAction?.(action.command), onKeyDown: activateOnKey(() => onAction?.(action.command)) }
    : {};
  const hidden = r.logKnown && g.windowStart > Math.min(r.logStartOffset, r.logEndOffset) ? g.windowStart - r.logStartOffset : 0;
  return (
    <g transform={`translate(0,${y})`} className={`kil-replica kil-replica--${r.role}`} data-testid={`replica-log-${r.brokerId}`} data-role={r.role} data-online={String(r.online)} data-leo={r.logEndOffset} data-hw={r.highWatermark}>
      <g {...interactive}>
        <rect className="kil-node kil-focus" x={0} y={stripTop - 6} width={labelWidth - 14} height={stripHeight + 12} rx={7} />
        <text x={10} y={stripTop + 9} fontSize={13} fontWeight={600} className={r.role === 'leader' ? 'kil-on-accent' : undefined}>
          broker {r.brokerId}
        </text>
        <text x={10} y={stripTop + 25} fontSize={10} className={r.role === 'leader' ? 'kil-on-accent' : 'kil-muted'}>
          {roleText(r, model.leaderEpoch)}
        </text>
      </g>
      <rect className="kil-panel" x={labelWidth} y={stripTop} width={g.x(g.windowEnd) - labelWidth} height={stripHeight} rx={3} />
      {!r.logKnown ? (
        <text x={labelWidth + 8} y={stripTop + 17} fontSize={11} className="kil-muted">
          log not readable while broker {r.brokerId} is {r.brokerState === 'unknown' ? 'unreachable' : r.brokerState}
        </text>
      ) : null}
      {hidden > 0 ? (
        <text x={labelWidth - 4} y={stripTop - 6} fontSize={9} textAnchor="end" className="kil-muted">
          +{hidden} earlier
        </text>
      ) : null}
      {r.batches.map((b) => (
        <Batch key={b.baseOffset} b={b} g={g} lso={r.lastStableOffset} />
      ))}
      <Markers r={r} g={g} />
      {r.lagReason ? (
        <text x={labelWidth} y={stripTop + stripHeight + 44} fontSize={11} className="kil-muted" data-testid={`lag-reason-${r.brokerId}`}>
          {r.lagReason}
        </text>
      ) : null}
    </g>
  );
}

function AcksBracket({ model, g, y }: { model: ReplicationModel; g: Geometry; y: number }) {
  const w = model.acksWaiting;
  if (!w) return null;
  const x0 = g.x(w.fromOffset);
  const x1 = g.x(w.toOffset);
  const who = w.waitingOn.length > 0 ? `until broker${w.waitingOn.length > 1 ? 's' : ''} ${w.waitingOn.join(', ')} fetch${w.waitingOn.length > 1 ? '' : 'es'} them` : 'for the HW to advance';
  return (
    <g transform={`translate(0,${y})`} data-testid="acks-waiting" data-from={w.fromOffset} data-to={w.toOffset}>
      <path className="kil-acks" d={`M${x0 + 1},${stripTop - 2} v-6 H${x1 - 1} v6`} />
      <text x={x1 + 6} y={stripTop - 4} fontSize={10} className="kil-acks-text">
        acks=all waiting {who}
      </text>
    </g>
  );
}

function Axis({ g }: { g: Geometry }) {
  const ticks = [];
  for (let o = g.windowStart; o <= g.windowEnd; o++) {
    if (o % 5 === 0 || o === g.windowStart) ticks.push(o);
  }
  return (
    <g aria-hidden="true">
      <text x={labelWidth - 8} y={14} fontSize={10} textAnchor="end" className="kil-muted">
        offset
      </text>
      {ticks.map((o) => (
        <text key={o} x={g.x(o) + cellWidth / 2} y={14} fontSize={10} textAnchor="middle" className="kil-muted">
          {o}
        </text>
      ))}
    </g>
  );
}

function Alerts({ model }: { model: ReplicationModel }) {
  return (
    <>
      {model.leader < 0 ? (
        <p className="kil-alert" data-level="bad" data-testid="alert-offline">
          No leader: every replica in the ISR is down, so the partition is offline until one returns (or an unclean election picks an out-of-sync replica).
        </p>
      ) : null}
      {model.underMinIsr ? (
        <p className="kil-alert" data-level="bad" data-testid="alert-under-min-isr">
          ISR has {model.isr.length} replica{model.isr.length === 1 ? '' : 's'}, fewer than min.insync.replicas={model.minInsyncReplicas}: acks=all produce requests fail with NOT_ENOUGH_REPLICAS.
        </p>
      ) : null}
      {model.acksWaiting ? (
        <p className="kil-alert" data-testid="alert-acks-waiting">
          Offsets {model.acksWaiting.fromOffset}–{model.acksWaiting.toOffset - 1} are on the leader but not committed: an acks=all producer gets its answer once the high watermark passes them.
        </p>
      ) : null}
    </>
  );
}

function Legend() {
  const item = (label: string, fill: string, stroke: string) => (
    <span>
      <span className="kil-swatch" style={{ background: `var(${fill})`, borderColor: `var(${stroke})` }} />
      {label}
    </span>
  );
  return (
    <div className="kil-legend" aria-hidden="true">
      {item('committed (below HW)', '--kil-committed', '--kil-ok')}
      {item('not yet committed', '--kil-uncommitted', '--kil-warn')}
      {item('open transaction (above LSO)', '--kil-txn-soft', '--kil-txn')}
      {item('divergent, will be truncated', '--kil-bad-soft', '--kil-bad')}
    </div>
  );
}

export function ReplicationView(props: ReplicationViewProps) {
  const { topic, partition, theme, onAction, windowRecordsMax = 48 } = props;
  const adapterOptions = { ...(props.events ? { events: props.events } : {}), ...(props.lagTimeMaxMs !== undefined ? { lagTimeMaxMs: props.lagTimeMaxMs } : {}), windowRecordsMax };
  const model = props.model !== undefined ? props.model : props.snapshot ? replicationModelFromSnapshot(props.snapshot, topic, partition, adapterOptions) : null;
  const label = `Replication of ${topic}-${partition}`;
  if (!model) {
    return (
      <ViewFrame testId="replication-view" label={label} theme={theme} styleId="replication" css={css} className="kil-replication">
        <p className="kil-note">Partition {topic}-{partition} does not exist yet: create it with kafka-topics --create.</p>
      </ViewFrame>
    );
  }
  const replicas = props.brokers ? model.replicas.filter((r) => props.brokers?.includes(r.brokerId)) : model.replicas;
  const g = geometry(model, windowRecordsMax);
  const width = g.x(g.windowEnd) + 240;
  const height = axisHeight + replicas.length * rowHeight;
  const summary = `${topic}-${partition}: leader broker ${model.leader < 0 ? 'none' : model.leader}, epoch ${model.leaderEpoch}, ISR [${model.isr.join(', ')}], high watermark ${model.highWatermark}.`;
  return (
    <ViewFrame testId="replication-view" label={label} theme={theme} styleId="replication" css={css} className="kil-replication" extra={{ 'data-topic': topic, 'data-partition-id': partition, 'data-leader': model.leader, 'data-epoch': model.leaderEpoch }}>
      <p className="kil-title">
        {topic}-{partition} · leader {model.leader < 0 ? 'none' : `broker ${model.leader}`} · epoch {model.leaderEpoch} · <span data-testid="isr">ISR [{model.isr.join(', ')}]</span> · HW {model.highWatermark}
      </p>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width * 1.25 }} role={onAction ? 'group' : 'img'} aria-label={summary}>
        <Axis g={g} />
        {replicas.map((r, i) => (
          <g key={r.brokerId}>
            <ReplicaRow r={r} model={model} g={g} y={axisHeight + i * rowHeight} onAction={onAction} />
            {r.role === 'leader' ? <AcksBracket model={model} g={g} y={axisHeight + i * rowHeight} /> : null}
          </g>
        ))}
      </svg>
      <Alerts model={model} />
      <Legend />
    </ViewFrame>
  );
}
