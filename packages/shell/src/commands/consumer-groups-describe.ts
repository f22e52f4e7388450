/**
 * kafka-consumer-groups --describe: the offsets table (the default), --members [--verbose]
 * and --state, laid out as ConsumerGroupCommand prints them: a blank line, a header, rows
 * padded to the widest value of each column (at least 15 characters for names), "-" where a
 * value is missing, and the notes Kafka prints for empty, rebalancing and unknown groups.
 */
import type { GroupDescription, GroupPartitionOffset } from '@kil/engine';
import type { ParsedOptions } from '../args';
import type { CommandEnv } from '../command';

type Cell = string | number | null | undefined;

const show = (v: Cell): string => (v === null || v === undefined || v === '' ? '-' : String(v));

/** One row per line; each column padded to `widths` (the last one is not padded). */
function table(widths: readonly number[], rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map((c, i) => (i < widths.length ? show(c).padEnd(widths[i] as number) : show(c))).join(' ').trimEnd()).join('\n');
}

const widest = (minimum: number, values: readonly Cell[]): number => Math.max(minimum, ...values.map((v) => show(v).length));

export async function describeGroups(opts: ParsedOptions, ids: readonly string[], env: CommandEnv): Promise<number> {
  const descriptions = await env.wait(env.cluster.admin.describeGroups(ids));
  let failed = false;
  for (const group of descriptions) {
    if (group.error !== null || group.state === 'Dead') {
      env.out.error(`Error: Consumer group '${group.groupId}' does not exist.`);
      env.out.hint('`kafka-consumer-groups --bootstrap-server localhost:9092 --list` shows the groups');
      failed = true;
      continue;
    }
    if (opts.has('state')) env.out.line(stateTable(group, env));
    else if (opts.has('members')) env.out.line(membersTable(group, opts.has('verbose')));
    else env.out.line(await offsetsTable(group, env));
  }
  return failed ? 1 : 0;
}

function notes(group: GroupDescription): string[] {
  if (group.state === 'Empty') return [`Consumer group '${group.groupId}' has no active members.`];
  if (group.state === 'PreparingRebalance' || group.state === 'CompletingRebalance' || group.state === 'Assigning' || group.state === 'Reconciling') {
    return [`Warning: Consumer group '${group.groupId}' is rebalancing.`];
  }
  return [];
}

async function offsetsTable(group: GroupDescription, env: CommandEnv): Promise<string> {
  const offsets = await env.wait(env.cluster.admin.listConsumerGroupOffsets(group.groupId));
  const rows = offsetRows(group, offsets);
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'];
  const widths = [widest(15, rows.map((r) => r[0])), widest(15, rows.map((r) => r[1])), 10, 15, 15, 15, widest(15, rows.map((r) => r[6])), widest(15, rows.map((r) => r[7]))];
  return ['', ...notes(group).flatMap((n) => [n, '']), table(widths, [header, ...rows])].join('\n');
}

/** Committed partitions, plus partitions a member owns without a commit yet, sorted by topic and partition. */
export function offsetRows(group: GroupDescription, offsets: readonly GroupPartitionOffset[]): Cell[][] {
  const rows = offsets.map((o) => [group.groupId, o.topic, o.partition, o.committedOffset < 0 ? null : o.committedOffset, o.logEndOffset, o.lag, o.memberId, o.host, o.clientId] as Cell[]);
  for (const m of group.members) {
    for (const a of m.assignment) {
      if (!offsets.some((o) => o.topic === a.topic && o.partition === a.partition)) rows.push([group.groupId, a.topic, a.partition, null, null, null, m.memberId, m.clientHost, m.clientId]);
    }
  }
  return rows.sort((x, y) => (x[1] === y[1] ? (x[2] as number) - (y[2] as number) : String(x[1]) < String(y[1]) ? -1 : 1));
}

function membersTable(group: GroupDescription, verbose: boolean): string {
  const members = [...group.members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  const assignment = (m: (typeof members)[number]): string => {
    const byTopic = new Map<string, number[]>();
    for (const a of m.assignment) byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), a.partition]);
    return [...byTopic].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, ps]) => `${t}(${ps.sort((x, y) => x - y).join(',')})`).join(',');
  };
  const rows: Cell[][] = members.map((m) => [group.groupId, m.memberId, m.groupInstanceId, m.clientHost, m.clientId, m.assignment.length, ...(verbose ? [assignment(m)] : [])]);
  const header = ['GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', ...(verbose ? ['ASSIGNMENT'] : [])];
  const widths = [widest(15, rows.map((r) => r[0])), widest(15, rows.map((r) => r[1])), widest(17, rows.map((r) => r[2])), widest(15, rows.map((r) => r[3])), widest(15, rows.map((r) => r[4])), ...(verbose ? [15] : [])];
  return ['', ...notes(group).flatMap((n) => [n, '']), table(widths, [header, ...rows])].join('\n');
}

function stateTable(group: GroupDescription, env: CommandEnv): string {
  const broker = env.cluster.snapshot().brokers.find((b) => b.id === group.coordinatorId);
  const coordinator = broker === undefined ? `- (${group.coordinatorId})` : `${broker.host}:${broker.port} (${broker.id})`;
  const row: Cell[] = [group.groupId, coordinator, group.protocol, group.state, group.members.length];
  const widths = [widest(15, [group.groupId]), widest(25, [coordinator]), 20, 15];
  return ['', table(widths, [['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'], row])].join('\n');
}
