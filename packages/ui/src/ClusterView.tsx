/**
 * Cluster view: controllers (quorum role and epoch), brokers (rack, running, fenced or
 * down) and, for every partition, where its replicas live — leader, in-sync follower or
 * out-of-sync follower. Under-replicated and offline partitions are highlighted.
 * It renders a snapshot; it never changes the cluster. With `onAction`, clicking a node
 * (or Enter on it) hands the host the equivalent lab command, e.g. "broker stop 2".
 *
 * Browser tests rely on: data-testid="cluster-view", data-testid="broker-<id>" with
 * data-state, data-partition="<topic>-<p>" with data-health, and
 * data-replica="<topic>-<p>@<broker>" with data-role = leader | isr | out-of-sync.
 */
import type { BrokerSnapshot, ClusterSnapshot, ControllerSnapshot, PartitionSnapshot } from '@kil/engine';
import { type ActionHandler, primaryNodeAction } from './actions';
import { replicaRole } from './replication-model';
import { activateOnKey, type Theme, ViewFrame } from './theme';

export interface ClusterViewProps {
  readonly snapshot: ClusterSnapshot;
  readonly showInternal?: boolean;
  /** Cap on partition rows drawn, so a big topic does not swamp the page. */
  readonly partitionRowsMax?: number;
  /** Only this topic's partitions. */
  readonly topic?: string;
  /** Only these brokers' columns. */
  readonly brokers?: readonly number[];
  readonly theme?: Theme;
  readonly onAction?: ActionHandler;
  /** Clicking a partition row selects it (e.g. to show it in ReplicationView). */
  readonly onSelectPartition?: (topic: string, partition: number) => void;
  readonly selectedPartition?: { readonly topic: string; readonly partition: number };
}

const nodeWidth = 132;
const nodeGap = 16;
const rowHeight = 26;
const labelWidth = 150;

const css = `
.kil-cluster .kil-box{fill:var(--kil-bg);stroke-width:2;transition:stroke .4s, fill .4s;}
.kil-cluster [data-state="running"] .kil-box{stroke:var(--kil-ok);}
.kil-cluster [data-state="fenced"] .kil-box{stroke:var(--kil-warn);}
.kil-cluster [data-state="starting"] .kil-box{stroke:var(--kil-accent);}
.kil-cluster [data-state="stopped"] .kil-box{stroke:var(--kil-faint);stroke-dasharray:4 3;}
.kil-cluster [data-state="crashed"] .kil-box{stroke:var(--kil-bad);stroke-dasharray:4 3;}
.kil-cluster [data-role="leader"] .kil-box.kil-controller{fill:var(--kil-accent-soft);stroke-width:2.5;}
.kil-cluster .kil-dot{transition:fill .4s;}
.kil-cluster [data-state="running"] .kil-dot{fill:var(--kil-ok);}
.kil-cluster [data-state="fenced"] .kil-dot{fill:var(--kil-warn);}
.kil-cluster [data-state="starting"] .kil-dot{fill:var(--kil-accent);}
.kil-cluster [data-state="stopped"] .kil-dot{fill:var(--kil-faint);}
.kil-cluster [data-state="crashed"] .kil-dot{fill:var(--kil-bad);}
.kil-cluster .kil-cell{transition:fill .4s, stroke .4s;}
.kil-cluster [data-role="leader"] > .kil-cell{fill:var(--kil-accent);stroke:var(--kil-accent);}
.kil-cluster [data-role="isr"] > .kil-cell{fill:var(--kil-ok-soft);stroke:var(--kil-ok);}
.kil-cluster [data-role="out-of-sync"] > .kil-cell{fill:var(--kil-bad-soft);stroke:var(--kil-bad);stroke-dasharray:4 3;}
.kil-cluster .kil-row-bg{fill:transparent;}
.kil-cluster [data-health="under-replicated"] > .kil-row-bg{fill:var(--kil-warn-soft);}
.kil-cluster [data-health="offline"] > .kil-row-bg{fill:var(--kil-bad-soft);}
.kil-cluster [data-selected="true"] > .kil-row-bg{stroke:var(--kil-accent);stroke-width:1.5;}
`;

export function partitionHealth(p: PartitionSnapshot): 'offline' | 'under-replicated' | 'healthy' {
  if (p.leader < 0) return 'offline';
  if (p.isr.length < p.replicas.length) return 'under-replicated';
  return 'healthy';
}

function actionProps(onAction: ActionHandler | undefined, kind: 'broker' | 'controller', id: number, state: BrokerSnapshot['state'], what: string) {
  if (!onAction) return {};
  const a = primaryNodeAction(kind, id, state);
  return { role: 'button', tabIndex: 0, 'aria-label': `${what}. Activate to run: ${a.command}`, onClick: () => onAction(a.command), onKeyDown: activateOnKey(() => onAction(a.command)) };
}

function ControllerBox({ c, x, onAction }: { c: ControllerSnapshot; x: number; onAction?: ActionHandler | undefined }) {
  const status = c.state === 'running' ? `${c.role} · epoch ${c.epoch}` : c.state;
  return (
    <g transform={`translate(${x},0)`} data-testid={`controller-${c.id}`} data-role={c.role} data-state={c.state}>
      <g {...actionProps(onAction, 'controller', c.id, c.state, `Controller ${c.id}, ${status}`)}>
        <rect className="kil-box kil-controller kil-focus" width={nodeWidth} height={48} rx={8} />
        <text x={10} y={19} fontSize={13} fontWeight={600}>
          controller {c.id}
        </text>
        <text x={10} y={37} fontSize={11} className="kil-muted">
          {status}
        </text>
      </g>
    </g>
  );
}

function BrokerBox({ b, x, onAction }: { b: BrokerSnapshot; x: number; onAction?: ActionHandler | undefined }) {
  const status = `${b.state}${b.rack ? ` · rack ${b.rack}` : ''}`;
  return (
    <g transform={`translate(${x},0)`} data-testid={`broker-${b.id}`} data-state={b.state}>
      <g {...actionProps(onAction, 'broker', b.id, b.state, `Broker ${b.id}, ${status}`)}>
        <rect className="kil-box kil-focus" width={nodeWidth} height={48} rx={8} />
        <circle className="kil-dot" cx={nodeWidth - 14} cy={14} r={5} />
        <text x={10} y={19} fontSize={13} fontWeight={600}>
          broker {b.id}
        </text>
        <text x={10} y={37} fontSize={11} className="kil-muted">
          {status}
        </text>
      </g>
    </g>
  );
}

function ReplicaCell({ p, brokerId, x }: { p: PartitionSnapshot; brokerId: number; x: number }) {
  if (!p.replicas.includes(brokerId)) return null;
  const role = replicaRole(p, brokerId);
  const adding = p.addingReplicas.includes(brokerId) ? ' (adding)' : p.removingReplicas.includes(brokerId) ? ' (removing)' : '';
  return (
    <g transform={`translate(${x + 8},3)`} data-replica={`${p.topic}-${p.partition}@${brokerId}`} data-role={role}>
      <rect className="kil-cell" width={nodeWidth - 16} height={rowHeight - 6} rx={5} />
      <text x={(nodeWidth - 16) / 2} y={14} fontSize={11} textAnchor="middle" className={role === 'leader' ? 'kil-on-accent' : undefined}>
        {role === 'leader' ? `leader · e${p.leaderEpoch}` : role === 'isr' ? 'in sync' : 'out of sync'}
        {adding}
      </text>
    </g>
  );
}

function PartitionRow({ p, y, width, brokers, columnX, selected, onSelect }: { p: PartitionSnapshot; y: number; width: number; brokers: readonly BrokerSnapshot[]; columnX: (i: number) => number; selected: boolean; onSelect?: ((topic: string, partition: number) => void) | undefined }) {
  const health = partitionHealth(p);
  const select = onSelect
    ? { role: 'button', tabIndex: 0, 'aria-label': `Partition ${p.topic}-${p.partition}, ${health}. Activate to show its replication`, onClick: () => onSelect(p.topic, p.partition), onKeyDown: activateOnKey(() => onSelect(p.topic, p.partition)) }
    : {};
  return (
    <g transform={`translate(0,${y})`} data-partition={`${p.topic}-${p.partition}`} data-health={health} data-selected={selected ? 'true' : undefined} {...select}>
      <rect className="kil-row-bg kil-focus" x={-2} y={0} width={width + 4} height={rowHeight} />
      <text x={4} y={17} fontSize={12}>
        {p.topic}-{p.partition}
        {health === 'offline' ? ' (offline)' : ''}
      </text>
      {brokers.map((b, i) => (
        <ReplicaCell key={b.id} p={p} brokerId={b.id} x={columnX(i)} />
      ))}
    </g>
  );
}

export function ClusterView({ snapshot, showInternal = false, partitionRowsMax = 60, topic, theme, onAction, onSelectPartition, selectedPartition, ...props }: ClusterViewProps) {
  const brokers = props.brokers ? snapshot.brokers.filter((b) => props.brokers?.includes(b.id)) : snapshot.brokers;
  const columns = Math.max(brokers.length, snapshot.controllers.length, 1);
  const width = labelWidth + columns * (nodeWidth + nodeGap);
  const allPartitions = snapshot.topics.filter((t) => (topic ? t.name === topic : showInternal || !t.internal)).flatMap((t) => t.partitions);
  const partitions = allPartitions.slice(0, partitionRowsMax);
  const partitionTop = 150;
  const height = partitionTop + 24 + Math.max(1, partitions.length) * rowHeight + (allPartitions.length > partitions.length ? rowHeight : 8);
  const columnX = (i: number) => labelWidth + i * (nodeWidth + nodeGap);
  const interactive = Boolean(onAction || onSelectPartition);
  const offline = allPartitions.filter((p) => partitionHealth(p) === 'offline').length;
  const under = allPartitions.filter((p) => partitionHealth(p) === 'under-replicated').length;
  const summary = `${brokers.filter((b) => b.state === 'running').length} of ${brokers.length} brokers running; ${allPartitions.length} partitions, ${under} under-replicated, ${offline} offline.`;
  return (
    <ViewFrame testId="cluster-view" label="Cluster view" theme={theme} styleId="cluster" css={css} className="kil-cluster">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width * 1.4 }} role={interactive ? 'group' : 'img'} aria-label={`Cluster view: ${summary}`}>
        <text x={0} y={28} fontSize={12} className="kil-muted">
          KRaft quorum
        </text>
        <g transform="translate(0,4)">
          {snapshot.controllers.map((c, i) => (
            <ControllerBox key={c.id} c={c} x={columnX(i)} onAction={onAction} />
          ))}
        </g>
        <text x={0} y={94} fontSize={12} className="kil-muted">
          Brokers
        </text>
        <g transform="translate(0,70)">
          {brokers.map((b, i) => (
            <BrokerBox key={b.id} b={b} x={columnX(i)} onAction={onAction} />
          ))}
        </g>
        <text x={0} y={partitionTop + 12} fontSize={12} className="kil-muted">
          Partitions
        </text>
        {partitions.length === 0 ? (
          <text x={labelWidth} y={partitionTop + 12} fontSize={12} className="kil-muted">
            No topics yet: try kafka-topics --create
          </text>
        ) : null}
        {partitions.map((p, row) => (
          <PartitionRow key={`${p.topic}-${p.partition}`} p={p} y={partitionTop + 20 + row * rowHeight} width={width} brokers={brokers} columnX={columnX} selected={selectedPartition?.topic === p.topic && selectedPartition.partition === p.partition} onSelect={onSelectPartition} />
        ))}
        {allPartitions.length > partitions.length ? (
          <text x={4} y={partitionTop + 20 + partitions.length * rowHeight + 17} fontSize={12} className="kil-muted">
            … and {allPartitions.length - partitions.length} more partitions (see the table view)
          </text>
        ) : null}
      </svg>
    </ViewFrame>
  );
}
