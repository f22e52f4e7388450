/**
 * Table views: the same data as the pictures, as plain HTML tables with captions and header
 * cells, for screen readers, keyboard users and anyone who prefers numbers to shapes.
 */
import type { ReactNode } from 'react';
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';
import { partitionHealth } from './ClusterView';
import { replicationModelFromSnapshot } from './replication-model';
import { formatMs, type Theme, ViewFrame } from './theme';

const css = `
.kil-table table{border-collapse:collapse;font-size:13px;width:100%;}
.kil-table caption{text-align:left;font-weight:600;margin-bottom:4px;}
.kil-table th,.kil-table td{border:1px solid var(--kil-border);padding:3px 6px;text-align:left;vertical-align:top;}
.kil-table thead th{background:var(--kil-panel);}
.kil-table td[data-num]{text-align:right;font-variant-numeric:tabular-nums;}
.kil-table tr[data-flag="bad"] > *{background:var(--kil-bad-soft);}
.kil-table tr[data-flag="warn"] > *{background:var(--kil-warn-soft);}
`;

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  readonly numeric?: boolean;
}

export interface DataTableProps<T> {
  readonly caption: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  readonly rowFlag?: (row: T) => 'bad' | 'warn' | undefined;
  readonly testId: string;
  readonly empty?: string;
  readonly theme?: Theme | undefined;
}

/** A captioned table whose first column heads each row. */
export function DataTable<T>({ caption, columns, rows, rowKey, rowFlag, testId, empty = 'Nothing to show yet.', theme }: DataTableProps<T>) {
  return (
    <ViewFrame testId={testId} label={caption} theme={theme} styleId="table" css={css} className="kil-table">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          ) : null}
          {rows.map((row) => (
            <tr key={rowKey(row)} data-row={rowKey(row)} data-flag={rowFlag?.(row)}>
              {columns.map((c, i) =>
                i === 0 ? (
                  <th key={c.header} scope="row">
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} data-num={c.numeric ? '' : undefined}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </ViewFrame>
  );
}

const list = (xs: readonly number[]) => (xs.length > 0 ? xs.join(', ') : '—');

export interface SnapshotTableProps {
  readonly snapshot: ClusterSnapshot;
  readonly theme?: Theme;
}

export function BrokersTable({ snapshot, theme }: SnapshotTableProps) {
  const partitions = snapshot.topics.flatMap((t) => t.partitions);
  return (
    <DataTable
      testId="table-brokers"
      caption="Brokers"
      theme={theme}
      rows={snapshot.brokers}
      rowKey={(b) => `broker-${b.id}`}
      rowFlag={(b) => (b.state === 'running' ? undefined : b.state === 'fenced' || b.state === 'starting' ? 'warn' : 'bad')}
      columns={[
        { header: 'Broker', cell: (b) => b.id },
        { header: 'State', cell: (b) => b.state },
        { header: 'Rack', cell: (b) => b.rack ?? '—' },
        { header: 'Listener', cell: (b) => `${b.host}:${b.port}` },
        { header: 'Broker epoch', cell: (b) => b.brokerEpoch, numeric: true },
        { header: 'Metadata offset', cell: (b) => b.metadataOffset, numeric: true },
        { header: 'Leader of', cell: (b) => partitions.filter((p) => p.leader === b.id).length, numeric: true },
        { header: 'Replicas', cell: (b) => partitions.filter((p) => p.replicas.includes(b.id)).length, numeric: true },
      ]}
    />
  );
}

export function ControllersTable({ snapshot, theme }: SnapshotTableProps) {
  return (
    <DataTable
      testId="table-controllers"
      caption="KRaft controllers"
      theme={theme}
      rows={snapshot.controllers}
      rowKey={(c) => `controller-${c.id}`}
      rowFlag={(c) => (c.state === 'running' ? undefined : 'bad')}
      columns={[
        { header: 'Controller', cell: (c) => c.id },
        { header: 'State', cell: (c) => c.state },
        { header: 'Role', cell: (c) => c.role },
        { header: 'Epoch', cell: (c) => c.epoch, numeric: true },
        { header: 'Leader', cell: (c) => c.leaderId ?? '—' },
        { header: 'Voted for', cell: (c) => c.votedFor ?? '—' },
        { header: 'Log end offset', cell: (c) => c.logEndOffset, numeric: true },
        { header: 'High watermark', cell: (c) => c.highWatermark, numeric: true },
      ]}
    />
  );
}

export interface PartitionsTableProps extends SnapshotTableProps {
  readonly topic?: string;
  readonly showInternal?: boolean;
}

export function PartitionsTable({ snapshot, topic, showInternal = false, theme }: PartitionsTableProps) {
  const rows = snapshot.topics.filter((t) => (topic ? t.name === topic : showInternal || !t.internal)).flatMap((t) => t.partitions);
  return (
    <DataTable
      testId="table-partitions"
      caption={topic ? `Partitions of ${topic}` : 'Partitions'}
      theme={theme}
      rows={rows}
      empty="No topics yet: create one with kafka-topics --create."
      rowKey={(p) => `${p.topic}-${p.partition}`}
      rowFlag={(p) => ({ offline: 'bad' as const, 'under-replicated': 'warn' as const, healthy: undefined })[partitionHealth(p)]}
      columns={[
        { header: 'Partition', cell: (p) => `${p.topic}-${p.partition}` },
        { header: 'Leader', cell: (p) => (p.leader < 0 ? 'none' : p.leader) },
        { header: 'Leader epoch', cell: (p) => p.leaderEpoch, numeric: true },
        { header: 'Replicas', cell: (p) => list(p.replicas) },
        { header: 'ISR', cell: (p) => list(p.isr) },
        { header: 'Health', cell: (p) => partitionHealth(p) },
        { header: 'Log start', cell: (p) => p.logStartOffset, numeric: true },
        { header: 'HW', cell: (p) => p.highWatermark, numeric: true },
        { header: 'LSO', cell: (p) => p.lastStableOffset, numeric: true },
        { header: 'LEO', cell: (p) => p.logEndOffset, numeric: true },
        { header: 'Reassigning', cell: (p) => (p.addingReplicas.length + p.removingReplicas.length > 0 ? `+[${list(p.addingReplicas)}] −[${list(p.removingReplicas)}]` : '—') },
      ]}
    />
  );
}

export interface ReplicasTableProps extends SnapshotTableProps {
  readonly topic: string;
  readonly partition: number;
  readonly events?: readonly TraceEvent[];
}

/** The table twin of ReplicationView, built from the same model. */
export function ReplicasTable({ snapshot, topic, partition, events, theme }: ReplicasTableProps) {
  const model = replicationModelFromSnapshot(snapshot, topic, partition, events ? { events } : {});
  const leaderLeo = model?.replicas.find((r) => r.role === 'leader')?.logEndOffset ?? 0;
  return (
    <DataTable
      testId="table-replicas"
      caption={`Replicas of ${topic}-${partition}`}
      theme={theme}
      rows={model?.replicas ?? []}
      empty={`Partition ${topic}-${partition} does not exist yet.`}
      rowKey={(r) => `${topic}-${partition}@${r.brokerId}`}
      rowFlag={(r) => (r.role === 'out-of-sync' ? 'bad' : undefined)}
      columns={[
        { header: 'Broker', cell: (r) => r.brokerId },
        { header: 'Role', cell: (r) => (r.role === 'leader' ? `leader (epoch ${model?.leaderEpoch ?? '?'})` : r.role === 'isr' ? 'follower, in ISR' : 'follower, out of sync') },
        { header: 'Online', cell: (r) => (r.online ? 'yes' : 'no') },
        { header: 'Log start', cell: (r) => (r.logKnown ? r.logStartOffset : '—'), numeric: true },
        { header: 'HW', cell: (r) => (r.logKnown ? r.highWatermark : '—'), numeric: true },
        { header: 'LSO', cell: (r) => r.lastStableOffset ?? '—', numeric: true },
        { header: 'LEO', cell: (r) => (r.logKnown ? r.logEndOffset : '—'), numeric: true },
        { header: 'Behind leader', cell: (r) => (r.logKnown ? Math.max(0, leaderLeo - r.logEndOffset) : '—'), numeric: true },
        { header: 'Last caught up', cell: (r) => (r.lastCaughtUpTimeMs === null || !model ? '—' : `${formatMs(model.nowMs - r.lastCaughtUpTimeMs)} ago`) },
        { header: 'Notes', cell: (r) => r.lagReason ?? '' },
      ]}
    />
  );
}
