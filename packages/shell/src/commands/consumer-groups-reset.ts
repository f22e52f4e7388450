/**
 * kafka-consumer-groups --reset-offsets: compute new committed offsets for a group's
 * partitions and print them (--dry-run) or commit them (--execute), as
 * ConsumerGroupCommand does. Scenarios: --to-earliest, --to-latest, --to-current,
 * --to-offset N, --shift-by N, --to-datetime YYYY-MM-DDTHH:mm:SS.sss, --by-duration PnDTnHnMnS.
 * Offsets that fall outside [log start, high watermark] are moved to the nearest end, with
 * Kafka's warning. --from-file takes the new offsets from a lab file of CSV lines
 * (`topic,partition,offset`), and --export prints the plan in that shape instead of the
 * table, so it can be saved with `write` and fed back. --execute needs an inactive group
 * (no members), as in Kafka.
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
  const file = opts.value('from-file');
  const plan = file === undefined ? null : parseResetPlan(env.files.read(file), file, env);
  const descriptions = await env.wait(env.cluster.admin.describeGroups(ids));
  const exported: Array<{ group: string; rows: ReadonlyArray<Target & { offset: number }> }> = [];
  for (const group of descriptions) {
    const active = group.error === null && group.state !== 'Empty' && group.state !== 'Dead';
    if (opts.has('execute') && active) {
      throw new ShellError(`Assignments can only be reset if the group '${group.groupId}' is inactive, but the current state is ${group.state}.`, 'stop its consumers first (`clients stop all`), or preview with --dry-run');
    }
    const rows = plan === null ? await plannedRows(opts, group.groupId, group.error === null, env) : await fromPlan(plan, group.groupId, env);
    if (opts.has('export')) exported.push({ group: group.groupId, rows });
    else env.out.line(resetTable(group.groupId, rows));
    if (opts.has('execute')) {
      const results = await env.wait(env.cluster.admin.alterConsumerGroupOffsets(group.groupId, rows));
      const failed = results.find((r) => r.error !== null);
      if (failed?.error) throw failed.error;
    }
  }
  if (opts.has('export')) env.out.line(exportCsv(exported));
  return 0;
}

/** The new offsets a reset scenario (--to-earliest, --shift-by ...) gives the group's partitions. */
async function plannedRows(opts: ParsedOptions, groupId: string, known: boolean, env: CommandEnv): Promise<Array<Target & { offset: number }>> {
  const committed = known ? await env.wait(env.cluster.admin.listConsumerGroupOffsets(groupId)) : [];
  const targets = await targetsFor(opts, committed, env);
  const rows: Array<Target & { offset: number }> = [];
  for (const t of targets) rows.push({ ...t, offset: await newOffset(opts, t, committed.find((c) => c.topic === t.topic && c.partition === t.partition)?.committedOffset ?? -1, env) });
  return rows;
}

/** One row of a reset plan: `topic,partition,offset`, or `group,topic,partition,offset` for several groups. */
export interface PlanRow extends Target {
  readonly group: string | null;
  readonly offset: number;
}

/**
 * Kafka's reset-plan CSV. Since the lab's `write` takes one line, entries may also be
 * separated by spaces (topic names never contain one). Errors name the file and line.
 */
export function parseResetPlan(text: string, file: string, env: Pick<CommandEnv, 'cluster'>): PlanRow[] {
  const topics = env.cluster.snapshot().topics;
  const rows: PlanRow[] = [];
  text.split('\n').forEach((line, index) => {
    for (const entry of line.trim().split(/\s+/).filter((e) => e !== '')) {
      const where = `${file} line ${index + 1}`;
      const fields = entry.split(',');
      const [group, topic, partition, offset]: Array<string | undefined> = fields.length === 4 ? fields : [undefined, ...fields];
      const whole = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);
      if ((fields.length !== 3 && fields.length !== 4) || !topic || !whole(partition) || !whole(offset)) {
        throw new ShellError(`${where}: '${entry}' is not topic,partition,offset`, 'one entry per line (or separated by spaces), e.g. orders,0,42; `--export` prints a plan in this shape');
      }
      const known = topics.find((t) => t.name === topic);
      if (!known) throw new ShellError(`${where}: topic ${topic} does not exist.`, '`kafka-topics --bootstrap-server localhost:9092 --list` lists the topics');
      if (!known.partitions.some((p) => p.partition === Number(partition))) throw new ShellError(`${where}: topic ${topic} has no partition ${partition} (it has ${known.partitions.length}).`);
      rows.push({ group: group ?? null, topic, partition: Number(partition), offset: Number(offset) });
    }
  });
  if (rows.length === 0) throw new ShellError(`${file} holds no reset plan.`, 'write one entry per partition: topic,partition,offset');
  return rows;
}

/**
 * The rows of a plan that apply to `groupId` (three-column rows apply to every group asked),
 * moved into each partition's range like every other scenario.
 */
async function fromPlan(plan: readonly PlanRow[], groupId: string, env: CommandEnv): Promise<Array<Target & { offset: number }>> {
  const mine = plan.filter((r) => r.group === null || r.group === groupId);
  if (mine.length === 0) throw new ShellError(`No reset plan for group ${groupId} found`, 'a four-column plan names its groups first: group,topic,partition,offset');
  const rows: Array<Target & { offset: number }> = [];
  for (const r of mine) rows.push({ topic: r.topic, partition: r.partition, offset: await clamped(r, r.offset, env) });
  return rows;
}

/** ConsumerGroupCommand's export: `topic,partition,offset` for one group, with the group first for several. */
function exportCsv(groups: ReadonlyArray<{ group: string; rows: ReadonlyArray<Target & { offset: number }> }>): string {
  const many = groups.length > 1;
  return groups.flatMap((g) => g.rows.map((r) => `${many ? `${g.group},` : ''}${r.topic},${r.partition},${r.offset}`)).join('\n');
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

/** `offset` moved into [log start, high watermark], with Kafka's warning when it moves. */
async function clamped(t: Target, offset: number, env: CommandEnv): Promise<number> {
  const earliest = await listOffset(t, -2, env);
  const latest = await listOffset(t, -1, env);
  if (offset < earliest) env.out.line(`WARN: New offset (${offset}) is lower than earliest offset for topic partition ${t.topic}-${t.partition}. Value will be set to ${earliest}`);
  if (offset > latest) env.out.line(`WARN: New offset (${offset}) is higher than latest offset for topic partition ${t.topic}-${t.partition}. Value will be set to ${latest}`);
  return Math.min(latest, Math.max(earliest, offset));
}

async function newOffset(opts: ParsedOptions, t: Target, current: number, env: CommandEnv): Promise<number> {
  const earliest = await listOffset(t, -2, env);
  const latest = await listOffset(t, -1, env);
  if (opts.has('to-earliest')) return earliest;
  if (opts.has('to-latest')) return latest;
  if (opts.has('to-current')) return current >= 0 ? current : latest;
  if (opts.has('to-offset')) return clamped(t, Number(opts.value('to-offset')), env);
  if (opts.has('shift-by')) return clamped(t, (current >= 0 ? current : latest) + Number(opts.value('shift-by')), env);
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
