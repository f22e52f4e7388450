/**
 * kafka-consumer-groups --reset-offsets: compute new committed offsets for a group's
 * partitions and print them (--dry-run) or commit them (--execute), as
 * ConsumerGroupCommand does. Scenarios: --to-earliest, --to-latest, --to-current,
 * --to-offset N, --shift-by N, --to-datetime YYYY-MM-DDTHH:mm:SS.sss, --by-duration PnDTnHnMnS.
 * Offsets that fall outside [log start, high watermark] are moved to the nearest end, with
 * Kafka's warning. --execute needs an inactive group (no members), as in Kafka.
 * Lab note: the lab clock starts at the epoch, so datetimes are virtual (1970-01-01T00:00:05.000
 * is five seconds after the lab started).
 */
import type { ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { ShellError } from '../errors';

export const RESET_SCENARIOS = ['to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'shift-by', 'from-file', 'to-current', 'to-offset'] as const;

interface Target {
  readonly topic: string;
  readonly partition: number;
}

export async function resetOffsets(opts: ParsedOptions, ids: readonly string[], env: CommandEnv): Promise<number> {
  if (opts.has('from-file')) throw new ShellError('--from-file is not available in this lab: use one of the other reset scenarios.');
  const descriptions = await env.wait(env.cluster.admin.describeGroups(ids));
  for (const group of descriptions) {
    const active = group.error === null && group.state !== 'Empty' && group.state !== 'Dead';
    if (opts.has('execute') && active) {
      throw new ShellError(`Assignments can only be reset if the group '${group.groupId}' is inactive, but the current state is ${group.state}.`, 'stop its consumers first (`clients stop all`), or preview with --dry-run');
    }
    const committed = group.error === null ? await env.wait(env.cluster.admin.listConsumerGroupOffsets(group.groupId)) : [];
    const targets = await targetsFor(opts, committed, env);
    const rows: Array<Target & { offset: number }> = [];
    for (const t of targets) rows.push({ ...t, offset: await newOffset(opts, t, committed.find((c) => c.topic === t.topic && c.partition === t.partition)?.committedOffset ?? -1, env) });
    env.out.line(resetTable(group.groupId, rows));
    if (opts.has('execute')) {
      const results = await env.wait(env.cluster.admin.alterConsumerGroupOffsets(group.groupId, rows));
      const failed = results.find((r) => r.error !== null);
      if (failed?.error) throw failed.error;
    }
  }
  return 0;
}

/** `--topic orders` (every partition), `--topic orders:0,2`, or --all-topics (what the group has committed). */
async function targetsFor(opts: ParsedOptions, committed: readonly Target[], env: CommandEnv): Promise<Target[]> {
  if (opts.has('all-topics')) return committed.map((c) => ({ topic: c.topic, partition: c.partition }));
  const topics = env.cluster.snapshot().topics;
  return opts.values('topic').flatMap((spec) => {
    const [name = '', list] = spec.split(':');
    const topic = topics.find((t) => t.name === name);
    if (!topic) throw new ShellError(`Topic ${name} does not exist.`, '`kafka-topics --bootstrap-server localhost:9092 --list` lists the topics');
    const partitions = list === undefined ? topic.partitions.map((p) => p.partition) : list.split(',').map(Number);
    return partitions.sort((a, b) => a - b).map((partition) => ({ topic: name, partition }));
  });
}

async function listOffset(t: Target, timestamp: number, env: CommandEnv): Promise<number> {
  const answer = await env.wait(env.cluster.client.listOffsets({ topic: t.topic, partition: t.partition, timestamp }));
  if (answer.error) throw answer.error;
  return answer.offset;
}

async function newOffset(opts: ParsedOptions, t: Target, current: number, env: CommandEnv): Promise<number> {
  const earliest = await listOffset(t, -2, env);
  const latest = await listOffset(t, -1, env);
  const clamp = (offset: number): number => {
    if (offset < earliest) env.out.line(`WARN: New offset (${offset}) is lower than earliest offset for topic partition ${t.topic}-${t.partition}. Value will be set to ${earliest}`);
    if (offset > latest) env.out.line(`WARN: New offset (${offset}) is higher than latest offset for topic partition ${t.topic}-${t.partition}. Value will be set to ${latest}`);
    return Math.min(latest, Math.max(earliest, offset));
  };
  if (opts.has('to-earliest')) return earliest;
  if (opts.has('to-latest')) return latest;
  if (opts.has('to-current')) return current >= 0 ? current : latest;
  if (opts.has('to-offset')) return clamp(Number(opts.value('to-offset')));
  if (opts.has('shift-by')) return clamp((current >= 0 ? current : latest) + Number(opts.value('shift-by')));
  const timestamp = opts.has('to-datetime') ? parseDatetime(opts.value('to-datetime') as string) : env.cluster.nowMs() - parseDuration(opts.value('by-duration') as string);
  const found = await listOffset(t, Math.max(0, timestamp), env);
  return found < 0 ? latest : found;
}

/** 'YYYY-MM-DDTHH:mm:SS.sss', optionally with a zone (Z or ±hh:mm); UTC when none. */
export function parseDatetime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) throw new ShellError(`Error parsing timestamp. It does not follow the format 'YYYY-MM-DDTHH:mm:SS.sss': ${text}`, 'for example --to-datetime 1970-01-01T00:00:05.000 (the lab clock starts at the epoch)');
  const zone = m[8] === undefined || m[8] === 'Z' ? 'Z' : m[8].includes(':') ? m[8] : `${m[8].slice(0, 3)}:${m[8].slice(3)}`;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '0').padEnd(3, '0')}${zone}`);
}

/** ISO-8601 durations as Java's Duration.parse takes them: PnDTnHnMn.nS. */
export function parseDuration(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) throw new ShellError(`Error parsing duration: ${text}`, 'for example --by-duration PT5M (five minutes) or P1DT2H');
  const [, d = '0', h = '0', min = '0', sec = '0'] = m;
  return Math.round(((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(sec) * 1000);
}

/** Kafka's fixed-width reset table: "%-30s %-30s %-10s %-15s" after a blank line. */
function resetTable(group: string, rows: ReadonlyArray<Target & { offset: number }>): string {
  const line = (g: string, t: string, p: string, o: string): string => `${g.padEnd(30)} ${t.padEnd(30)} ${p.padEnd(10)} ${o}`.trimEnd();
  return ['', line('GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'), ...rows.map((r) => line(group, r.topic, String(r.partition), String(r.offset)))].join('\n');
}
