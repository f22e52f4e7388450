/**
 * kafka-metadata-quorum describe --status | --replication: the KRaft quorum as Kafka 4.x's
 * MetadataQuorumCommand prints it, from a DescribeQuorum answer of the quorum leader.
 * Voters are the controllers (ids 101..), observers are the brokers, which fetch the
 * metadata log without voting (KIP-595, KIP-631). `--human-readable` prints the fetch
 * times as "<n> ms ago".
 * Deviations: nodes have no directory ids (printed as Kafka prints the zero UUID) and the
 * voter list shows ids only, without endpoints. `--bootstrap-controller`, add-controller
 * and remove-controller are not supported.
 */
import type { QuorumDescription, QuorumReplicaState } from '@kil/engine';
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
    if (opts.has('status') && opts.has('human-readable')) throw new ShellError('The option --human-readable is only supported along with --replication');
    const quorum = await env.wait(env.cluster.admin.describeQuorum());
    if (opts.has('status')) env.out.line(statusLines(env.cluster.snapshot().clusterId, quorum).join('\n'));
    else env.out.line(replicationTable(quorum, opts.has('human-readable') ? env.cluster.nowMs() : null));
    return 0;
  },
});

function leaderOf(quorum: QuorumDescription): QuorumReplicaState {
  const leader = quorum.voters.find((v) => v.replicaId === quorum.leaderId);
  if (!leader) throw new ShellError('Timed out waiting for a node assignment. Call: describeMetadataQuorum', 'the quorum has no leader right now: a majority of controllers must be running and connected (see `controller list`)');
  return leader;
}

export function statusLines(clusterId: string, quorum: QuorumDescription): string[] {
  const leader = leaderOf(quorum);
  const furthest = quorum.voters.reduce((min, v) => (v.logEndOffset < min.logEndOffset ? v : min), leader);
  const lagTimeMs = furthest.replicaId === leader.replicaId ? 0 : Math.max(0, leader.lastCaughtUpTimestamp - furthest.lastCaughtUpTimestamp);
  const ids = (list: readonly QuorumReplicaState[]): string => list.map((r) => `{"id": ${r.replicaId}}`).join(', ');
  return [
    `ClusterId:              ${clusterId}`,
    `LeaderId:               ${quorum.leaderId}`,
    `LeaderEpoch:            ${quorum.leaderEpoch}`,
    `HighWatermark:          ${quorum.highWatermark}`,
    `MaxFollowerLag:         ${leader.logEndOffset - furthest.logEndOffset}`,
    `MaxFollowerLagTimeMs:   ${lagTimeMs}`,
    `CurrentVoters:          [${ids(quorum.voters)}]`,
    `CurrentObservers:       [${ids(quorum.observers)}]`,
  ];
}

/** ToolsUtils.prettyPrintTable: every cell padded to its column's width and followed by a tab. */
export function prettyPrintTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [headers, ...rows].map((row) => row.map((cell, i) => `${cell.padEnd(widths[i] ?? 0)}\t`).join('')).join('\n');
}

/** One row per replica: leader first, then followers, then observers. `nowMs` set: times as "<n> ms ago". */
export function replicationTable(quorum: QuorumDescription, nowMs: number | null): string {
  const leader = leaderOf(quorum);
  const time = (ms: number): string => (nowMs === null || ms < 0 ? String(ms) : `${Math.max(0, nowMs - ms)} ms ago`);
  const row = (r: QuorumReplicaState): string[] => [String(r.replicaId), ZERO_UUID, String(r.logEndOffset), String(Math.max(0, leader.logEndOffset - r.logEndOffset)), time(r.lastFetchTimestamp), time(r.lastCaughtUpTimestamp), r.status];
  const rows = [row(leader), ...quorum.voters.filter((v) => v !== leader).map(row), ...quorum.observers.map(row)];
  return prettyPrintTable(['NodeId', 'DirectoryId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp', 'Status'], rows);
}
