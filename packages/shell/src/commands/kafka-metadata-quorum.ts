/**
 * kafka-metadata-quorum describe --status | --replication: the KRaft quorum as Kafka 4.x's
 * MetadataQuorumCommand prints it. Voters are the controllers (ids 101..), observers are
 * the brokers, which fetch the metadata log without voting (KIP-595, KIP-631).
 * Deviations: the values come from the cluster snapshot as the active controller sees
 * it; nodes have no directory ids (printed as Kafka prints the zero UUID) and the
 * snapshot has no fetch timestamps, so LastFetchTimestamp/LastCaughtUpTimestamp print -1
 * and MaxFollowerLagTimeMs is -1 unless the leader is the furthest behind.
 * `--bootstrap-controller`, add-controller and remove-controller are not supported.
 */
import type { ClusterSnapshot, ControllerSnapshot } from '@kil/engine';
import type { OptionDef } from '../args';
import { ShellError, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  { ...BOOTSTRAP_OPTION, description: 'A comma-separated list of host:port pairs to use for establishing the connection to the Kafka cluster.' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', arg: 'required' },
  { name: 'status', description: 'A short summary of the quorum status and the other provides detailed information about the status of replication.' },
  { name: 'replication', description: 'Detailed information about the status of replication' },
  { name: 'human-readable', description: 'Human-readable output' },
];

/** Kafka prints Uuid.ZERO_UUID in its base64 form. */
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export const kafkaMetadataQuorum = kafkaTool({
  name: 'kafka-metadata-quorum',
  summary: 'Describe the KRaft metadata quorum: describe --status | --replication',
  description: 'This tool describes kraft metadata quorum status.\nUsage: kafka-metadata-quorum --bootstrap-server <server> describe (--status | --replication)',
  options: OPTIONS,
  errorPrefix: '',
  bootstrap: 'missing-required',
  verbs: ['describe'],
  async run(opts, env) {
    const [verb, ...extra] = opts.nonOptions;
    if (verb !== 'describe') {
      throw new UsageError(verb === undefined ? 'kafka-metadata-quorum: error: too few arguments' : `kafka-metadata-quorum: error: argument command: invalid choice: '${verb}' (choose from 'describe')`, 'kafka-metadata-quorum --bootstrap-server localhost:9092 describe --status');
    }
    if (extra.length > 0) throw new UsageError(`kafka-metadata-quorum: error: unrecognized arguments: '${extra.join(' ')}'`);
    if (opts.has('status') && opts.has('replication')) throw new ShellError('Only one of --status or --replication should be specified with describe sub-command');
    if (!opts.has('status') && !opts.has('replication')) throw new ShellError('One of --status or --replication must be specified with describe sub-command', 'add --status for a summary or --replication for every replica');
    const snapshot = env.cluster.snapshot();
    const leader = activeLeader(snapshot);
    if (opts.has('status')) {
      if (opts.has('human-readable')) throw new ShellError('The option --human-readable is only supported along with --replication');
      env.out.line(statusLines(snapshot, leader).join('\n'));
    } else {
      env.out.line(replicationTable(snapshot, leader));
    }
    return 0;
  },
});

function activeLeader(snapshot: ClusterSnapshot): ControllerSnapshot {
  const leader = snapshot.controllers.find((c) => c.id === snapshot.activeControllerId && c.role === 'leader');
  if (!leader) {
    throw new ShellError('Timed out waiting for a node assignment. Call: describeMetadataQuorum', 'the quorum has no leader right now: a majority of controllers must be running and connected (see `controller list`)');
  }
  return leader;
}

export function statusLines(snapshot: ClusterSnapshot, leader: ControllerSnapshot): string[] {
  const furthest = snapshot.controllers.reduce((min, c) => (c.logEndOffset < min.logEndOffset ? c : min), leader);
  const voters = snapshot.controllers.map((c) => `{"id": ${c.id}}`).join(', ');
  const observers = snapshot.brokers.map((b) => `{"id": ${b.id}}`).join(', ');
  return [
    `ClusterId:              ${snapshot.clusterId}`,
    `LeaderId:               ${leader.id}`,
    `LeaderEpoch:            ${leader.epoch}`,
    `HighWatermark:          ${leader.highWatermark}`,
    `MaxFollowerLag:         ${leader.logEndOffset - furthest.logEndOffset}`,
    `MaxFollowerLagTimeMs:   ${furthest === leader ? 0 : -1}`,
    `CurrentVoters:          [${voters}]`,
    `CurrentObservers:       [${observers}]`,
  ];
}

/** ToolsUtils.prettyPrintTable: every cell padded to its column's width and followed by a tab. */
export function prettyPrintTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [headers, ...rows].map((row) => row.map((cell, i) => `${cell.padEnd(widths[i] ?? 0)}\t`).join('')).join('\n');
}

export function replicationTable(snapshot: ClusterSnapshot, leader: ControllerSnapshot): string {
  const row = (id: number, logEndOffset: number, status: string): string[] => [String(id), ZERO_UUID, String(logEndOffset), String(leader.logEndOffset - logEndOffset), '-1', '-1', status];
  const rows = [
    row(leader.id, leader.logEndOffset, 'Leader'),
    ...snapshot.controllers.filter((c) => c.id !== leader.id).map((c) => row(c.id, c.logEndOffset, 'Follower')),
    ...snapshot.brokers.map((b) => row(b.id, b.metadataOffset, 'Observer')),
  ];
  return prettyPrintTable(['NodeId', 'DirectoryId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp', 'Status'], rows);
}
