/**
 * KRaft quorum view: the controllers that vote on `__cluster_metadata` (role, epoch, vote,
 * log end offset and high watermark each) and the brokers that only observe it (the metadata
 * offset each has applied). KRaft commits a metadata record once a majority of voters has
 * it (KIP-595); brokers fetch from the leader as observers and apply records below the HW.
 */
import type { BrokerSnapshot, ClusterSnapshot, ControllerSnapshot } from '@kil/engine';
import { type ActionHandler, primaryNodeAction, nodeIsUp } from './actions';
import { activateOnKey, type Theme, ViewFrame } from './theme';

export interface QuorumViewProps {
  readonly snapshot: ClusterSnapshot;
  /** Show brokers as observers (default true). */
  readonly showObservers?: boolean;
  readonly theme?: Theme;
  readonly onAction?: ActionHandler;
}

const labelWidth = 190;
const barWidth = 420;
const rowHeight = 46;

const css = `
.kil-quorum .kil-node{fill:var(--kil-bg);stroke:var(--kil-border);stroke-width:1.5;transition:fill .4s, stroke .4s;}
.kil-quorum [data-role="leader"] .kil-node{fill:var(--kil-accent);stroke:var(--kil-accent);}
.kil-quorum [data-role="candidate"] .kil-node{stroke:var(--kil-warn);stroke-width:2.5;}
.kil-quorum [data-up="false"] .kil-node{stroke:var(--kil-bad);stroke-dasharray:4 3;}
.kil-quorum [data-up="false"]{opacity:.7;}
.kil-quorum .kil-committed{fill:var(--kil-ok-soft);stroke:var(--kil-ok);transition:width .4s ease;}
.kil-quorum .kil-pending{fill:var(--kil-warn-soft);stroke:var(--kil-warn);transition:width .4s ease, x .4s ease;}
.kil-quorum .kil-applied{fill:var(--kil-accent-soft);stroke:var(--kil-accent);transition:width .4s ease;}
.kil-quorum .kil-hw{stroke:var(--kil-ok);stroke-width:2;}
`;

/** Majority of the voters: the smallest number whose agreement commits a record. */
export function quorumMajority(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

export interface QuorumSummary {
  readonly leaderId: number | null;
  readonly epoch: number;
  readonly votersUp: number;
  readonly majority: number;
  readonly highWatermark: number;
}

export function quorumSummary(snapshot: ClusterSnapshot): QuorumSummary {
  const cs = snapshot.controllers;
  const leader = cs.find((c) => c.role === 'leader' && nodeIsUp(c.state));
  return {
    leaderId: leader?.id ?? null,
    epoch: Math.max(0, ...cs.map((c) => c.epoch)),
    votersUp: cs.filter((c) => nodeIsUp(c.state)).length,
    majority: quorumMajority(cs.length),
    highWatermark: leader?.highWatermark ?? Math.max(0, ...cs.map((c) => c.highWatermark)),
  };
}

function nodeButton(onAction: ActionHandler | undefined, kind: 'broker' | 'controller', id: number, state: ControllerSnapshot['state'], what: string) {
  if (!onAction) return {};
  const action = primaryNodeAction(kind, id, state);
  return { role: 'button', tabIndex: 0, 'aria-label': `${what}. Activate to run: ${action.command}`, onClick: () => onAction(action.command), onKeyDown: activateOnKey(() => onAction(action.command)) };
}

function LogBar({ hw, leo, scale }: { hw: number; leo: number; scale: (o: number) => number }) {
  return (
    <g>
      <rect className="kil-committed" x={labelWidth} y={12} width={Math.max(0, scale(Math.min(hw, leo)) - labelWidth)} height={18} rx={3} />
      {leo > hw ? <rect className="kil-pending" x={scale(hw)} y={12} width={scale(leo) - scale(hw)} height={18} rx={3} /> : null}
      <line className="kil-hw" x1={scale(hw)} x2={scale(hw)} y1={8} y2={34} />
      <text x={labelWidth + barWidth + 10} y={25} fontSize={11} className="kil-muted">
        HW {hw} · LEO {leo}
      </text>
    </g>
  );
}

function ControllerRow({ c, y, scale, onAction }: { c: ControllerSnapshot; y: number; scale: (o: number) => number; onAction?: ActionHandler | undefined }) {
  const up = nodeIsUp(c.state);
  const status = up ? `${c.role} · epoch ${c.epoch}` : c.state;
  const vote = c.votedFor !== null ? `voted for ${c.votedFor}` : 'no vote';
  return (
    <g transform={`translate(0,${y})`} data-testid={`quorum-controller-${c.id}`} data-role={c.role} data-up={String(up)} data-epoch={c.epoch}>
      <g {...nodeButton(onAction, 'controller', c.id, c.state, `Controller ${c.id}, ${status}`)}>
        <rect className="kil-node kil-focus" x={0} y={4} width={labelWidth - 14} height={36} rx={7} />
        <text x={10} y={19} fontSize={13} fontWeight={600} className={c.role === 'leader' ? 'kil-on-accent' : undefined}>
          controller {c.id}
        </text>
        <text x={10} y={34} fontSize={10} className={c.role === 'leader' ? 'kil-on-accent' : 'kil-muted'}>
          {status} · {vote}
        </text>
      </g>
      <LogBar hw={c.highWatermark} leo={c.logEndOffset} scale={scale} />
    </g>
  );
}

function ObserverRow({ b, y, hw, scale, onAction }: { b: BrokerSnapshot; y: number; hw: number; scale: (o: number) => number; onAction?: ActionHandler | undefined }) {
  const up = nodeIsUp(b.state);
  const behind = Math.max(0, hw - Math.max(0, b.metadataOffset));
  return (
    <g transform={`translate(0,${y})`} data-testid={`quorum-observer-${b.id}`} data-up={String(up)} data-applied={b.metadataOffset}>
      <g {...nodeButton(onAction, 'broker', b.id, b.state, `Broker ${b.id}, ${b.state}, observer`)}>
        <rect className="kil-node kil-focus" x={0} y={4} width={labelWidth - 14} height={36} rx={7} />
        <text x={10} y={19} fontSize={13} fontWeight={600}>
          broker {b.id}
        </text>
        <text x={10} y={34} fontSize={10} className="kil-muted">
          observer · {b.state}
        </text>
      </g>
      <rect className="kil-applied" x={labelWidth} y={12} width={Math.max(0, scale(b.metadataOffset) - labelWidth)} height={18} rx={3} />
      <text x={labelWidth + barWidth + 10} y={25} fontSize={11} className="kil-muted">
        {b.metadataOffset < 0 ? 'nothing applied: not running' : `applied ${b.metadataOffset}${behind > 0 ? ` · ${behind} behind the HW` : ' · up to date'}`}
      </text>
    </g>
  );
}

export function QuorumView({ snapshot, showObservers = true, theme, onAction }: QuorumViewProps) {
  const s = quorumSummary(snapshot);
  const controllers = snapshot.controllers;
  const observers = showObservers ? snapshot.brokers : [];
  const maxOffset = Math.max(1, ...controllers.map((c) => c.logEndOffset), ...observers.map((b) => b.metadataOffset));
  const scale = (o: number) => labelWidth + (Math.max(0, o) / maxOffset) * barWidth;
  const observersTop = 24 + controllers.length * rowHeight + (observers.length > 0 ? 24 : 0);
  const height = observersTop + observers.length * rowHeight;
  const label = s.leaderId !== null ? `KRaft quorum: controller ${s.leaderId} leads in epoch ${s.epoch}, metadata high watermark ${s.highWatermark}` : `KRaft quorum without a leader (epoch ${s.epoch})`;
  return (
    <ViewFrame testId="quorum-view" label="KRaft quorum" theme={theme} styleId="quorum" css={css} className="kil-quorum" extra={{ 'data-leader': s.leaderId ?? -1, 'data-epoch': s.epoch }}>
      <p className="kil-title">
        __cluster_metadata · {s.leaderId !== null ? `leader controller ${s.leaderId}` : 'no leader'} · epoch {s.epoch} · {s.votersUp} of {controllers.length} voters up (majority {s.majority})
      </p>
      <svg viewBox={`0 0 ${labelWidth + barWidth + 200} ${height}`} width="100%" style={{ maxWidth: (labelWidth + barWidth + 200) * 1.25 }} role={onAction ? 'group' : 'img'} aria-label={label}>
        <text x={0} y={14} fontSize={12} className="kil-muted">
          Voters (controllers): metadata log, committed up to the HW
        </text>
        {controllers.map((c, i) => (
          <ControllerRow key={c.id} c={c} y={22 + i * rowHeight} scale={scale} onAction={onAction} />
        ))}
        {observers.length > 0 ? (
          <text x={0} y={observersTop - 8} fontSize={12} className="kil-muted">
            Observers (brokers): metadata applied
          </text>
        ) : null}
        {observers.map((b, i) => (
          <ObserverRow key={b.id} b={b} y={observersTop + i * rowHeight} hw={s.highWatermark} scale={scale} onAction={onAction} />
        ))}
      </svg>
      {s.votersUp < s.majority ? (
        <p className="kil-alert" data-level="bad" data-testid="alert-no-majority">
          Only {s.votersUp} of {controllers.length} controllers are up, fewer than the majority of {s.majority}: no metadata change can commit, so no leader can be elected for any partition.
        </p>
      ) : s.leaderId === null ? (
        <p className="kil-alert" data-testid="alert-no-leader">
          The controllers are electing a leader: a candidate needs {s.majority} votes in a new epoch.
        </p>
      ) : null}
    </ViewFrame>
  );
}
