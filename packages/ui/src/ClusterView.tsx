/**
 * Cluster view: controllers (quorum role and epoch), brokers (rack, running, fenced or
 * down) and, for every partition, where its replicas live — leader, in-sync follower or
 * out-of-sync follower. Under-replicated and offline partitions are highlighted.
 * It renders a snapshot; it never changes the cluster.
 */
import type { BrokerSnapshot, ClusterSnapshot, ControllerSnapshot, PartitionSnapshot } from '@kil/engine';

export interface ClusterViewProps {
  readonly snapshot: ClusterSnapshot;
  readonly showInternal?: boolean;
  /** Cap on partition rows drawn, so a big topic does not swamp the page. */
  readonly partitionRowsMax?: number;
}

const nodeWidth = 112;
const nodeGap = 16;
const rowHeight = 26;
const labelWidth = 150;

const stateColor: Record<string, string> = {
  running: '#16a34a',
  fenced: '#d97706',
  starting: '#2563eb',
  stopped: '#64748b',
  crashed: '#dc2626',
};

export function partitionHealth(p: PartitionSnapshot): 'offline' | 'under-replicated' | 'healthy' {
  if (p.leader < 0) return 'offline';
  if (p.isr.length < p.replicas.length) return 'under-replicated';
  return 'healthy';
}

function ControllerBox({ c, x }: { c: ControllerSnapshot; x: number }) {
  const leader = c.role === 'leader';
  return (
    <g transform={`translate(${x},0)`} data-testid={`controller-${c.id}`} data-role={c.role} data-state={c.state}>
      <rect width={nodeWidth} height={48} rx={8} fill={leader ? '#dbeafe' : '#f8fafc'} stroke={stateColor[c.state] ?? '#64748b'} strokeWidth={leader ? 2.5 : 1.5} />
      <text x={10} y={19} fontSize={13} fontWeight={600} fill="#0f172a">
        controller {c.id}
      </text>
      <text x={10} y={37} fontSize={11} fill="#475569">
        {c.state === 'running' ? `${c.role} · epoch ${c.epoch}` : c.state}
      </text>
    </g>
  );
}

function BrokerBox({ b, x }: { b: BrokerSnapshot; x: number }) {
  return (
    <g transform={`translate(${x},0)`} data-testid={`broker-${b.id}`} data-state={b.state}>
      <rect width={nodeWidth} height={48} rx={8} fill="#ffffff" stroke={stateColor[b.state] ?? '#64748b'} strokeWidth={2} />
      <circle cx={nodeWidth - 14} cy={14} r={5} fill={stateColor[b.state] ?? '#64748b'} />
      <text x={10} y={19} fontSize={13} fontWeight={600} fill="#0f172a">
        broker {b.id}
      </text>
      <text x={10} y={37} fontSize={11} fill="#475569">
        {b.state}
        {b.rack ? ` · rack ${b.rack}` : ''}
      </text>
    </g>
  );
}

function ReplicaCell({ p, brokerId, x }: { p: PartitionSnapshot; brokerId: number; x: number }) {
  if (!p.replicas.includes(brokerId)) return null;
  const isLeader = p.leader === brokerId;
  const inIsr = p.isr.includes(brokerId);
  const role = isLeader ? 'leader' : inIsr ? 'isr' : 'out-of-sync';
  const fill = isLeader ? '#2563eb' : inIsr ? '#dcfce7' : '#fee2e2';
  const stroke = isLeader ? '#1d4ed8' : inIsr ? '#16a34a' : '#dc2626';
  return (
    <g transform={`translate(${x + 8},3)`} data-replica={`${p.topic}-${p.partition}@${brokerId}`} data-role={role}>
      <rect width={nodeWidth - 16} height={rowHeight - 6} rx={5} fill={fill} stroke={stroke} strokeDasharray={inIsr ? undefined : '4 3'} />
      <text x={(nodeWidth - 16) / 2} y={14} fontSize={11} textAnchor="middle" fill={isLeader ? '#ffffff' : '#0f172a'}>
        {isLeader ? `leader · e${p.leaderEpoch}` : inIsr ? 'in sync' : 'out of sync'}
      </text>
    </g>
  );
}

export function ClusterView({ snapshot, showInternal = false, partitionRowsMax = 60 }: ClusterViewProps) {
  const brokers = snapshot.brokers;
  const columns = Math.max(brokers.length, snapshot.controllers.length, 1);
  const width = labelWidth + columns * (nodeWidth + nodeGap);
  const partitions = snapshot.topics
    .filter((t) => showInternal || !t.internal)
    .flatMap((t) => t.partitions)
    .slice(0, partitionRowsMax);
  const partitionTop = 150;
  const height = partitionTop + 24 + Math.max(1, partitions.length) * rowHeight + 8;
  const columnX = (i: number) => labelWidth + i * (nodeWidth + nodeGap);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label="Cluster view" data-testid="cluster-view" style={{ fontFamily: 'ui-sans-serif, system-ui, sans-serif' }}>
      <text x={0} y={28} fontSize={12} fill="#475569">
        KRaft quorum
      </text>
      <g transform="translate(0,4)">
        {snapshot.controllers.map((c, i) => (
          <ControllerBox key={c.id} c={c} x={columnX(i)} />
        ))}
      </g>
      <text x={0} y={94} fontSize={12} fill="#475569">
        Brokers
      </text>
      <g transform="translate(0,70)">
        {brokers.map((b, i) => (
          <BrokerBox key={b.id} b={b} x={columnX(i)} />
        ))}
      </g>
      <text x={0} y={partitionTop + 12} fontSize={12} fill="#475569">
        Partitions
      </text>
      {partitions.length === 0 ? (
        <text x={labelWidth} y={partitionTop + 12} fontSize={12} fill="#94a3b8">
          No topics yet: try kafka-topics --create
        </text>
      ) : null}
      {partitions.map((p, row) => {
        const health = partitionHealth(p);
        const y = partitionTop + 20 + row * rowHeight;
        return (
          <g key={`${p.topic}-${p.partition}`} transform={`translate(0,${y})`} data-partition={`${p.topic}-${p.partition}`} data-health={health}>
            {health !== 'healthy' ? <rect x={-2} y={0} width={width + 4} height={rowHeight} fill={health === 'offline' ? '#fee2e2' : '#fef3c7'} /> : null}
            <text x={4} y={17} fontSize={12} fill="#0f172a">
              {p.topic}-{p.partition}
              {health === 'offline' ? ' (offline)' : ''}
            </text>
            {brokers.map((b, i) => (
              <ReplicaCell key={b.id} p={p} brokerId={b.id} x={columnX(i)} />
            ))}
          </g>
        );
      })}
    </svg>
  );
}
