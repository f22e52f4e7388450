/**
 * kafka-reassign-partitions: generate, execute, verify, cancel and list moves of replicas
 * between brokers (KIP-455), with Kafka 4.x's ReassignPartitionsCommand options and output.
 * Plans are JSON files in the lab's files (`ls`, `cat`, `write`):
 *   --generate --topics-to-move-json-file topics.json --broker-list 1,2,3,4
 *       prints "Current partition replica assignment" and "Proposed partition reassignment
 *       configuration"; `--output-file plan.json` (lab extension) also saves the proposal,
 *       since the lab shell has no `>` redirection.
 *   --execute --reassignment-json-file plan.json [--throttle B/s] [--additional]
 *       prints the current assignment (for rollback), sets the throttles as Kafka does
 *       (leader-side list = current replicas, follower-side list = new replicas, both rates
 *       on every broker taking part) and starts the reassignment.
 *   --verify: one line per partition; once all are done, clears the throttles.
 *   --cancel: cancels the plan's reassignments that are still running.
 *   --list: the reassignments in progress.
 * Deviation: --generate places replicas with Kafka's round-robin algorithm from a fixed
 * start (Kafka picks a random one), so proposals repeat; racks are honoured by alternating
 * racks in the broker order, without Kafka's further per-rack checks.
 */
import type { PartitionReassignment, TopicSnapshot } from '@kil/engine';
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { ShellError, UsageError } from '../errors';
import { readJsonFile } from '../files';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  { ...BOOTSTRAP_OPTION, description: 'REQUIRED: the server(s) to use for bootstrapping.', describedAs: 'Server(s) to use for bootstrapping' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', arg: 'required', describedAs: 'Admin client property file' },
  { name: 'generate', description: 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it.' },
  { name: 'execute', description: 'Kick off the reassignment as specified by the --reassignment-json-file option.' },
  { name: 'verify', description: 'Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed' },
  { name: 'cancel', description: 'Cancel an active reassignment.' },
  { name: 'list', description: 'List all active partition reassignments.' },
  { name: 'reassignment-json-file', description: 'The JSON file with the partition reassignment configuration', arg: 'required', describedAs: 'manual assignment json file path' },
  { name: 'topics-to-move-json-file', description: 'Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option.', arg: 'required', describedAs: 'topics to reassign json file path' },
  { name: 'broker-list', description: 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This is required if --topics-to-move-json-file is used to generate reassignment configuration', arg: 'required', describedAs: 'brokerlist' },
  { name: 'output-file', description: 'With --generate: also save the proposed configuration to this lab file (lab extension; the lab shell has no redirection).', arg: 'required', describedAs: 'lab file' },
  { name: 'disable-rack-aware', description: 'Disable rack aware replica assignment' },
  { name: 'throttle', description: 'The movement of partitions between brokers will be throttled to this value (bytes/sec).', arg: 'required', describedAs: 'throttle', type: 'long', defaultValue: '-1' },
  { name: 'replica-alter-log-dirs-throttle', description: 'The movement of replicas between log directories on the same broker will be throttled to this value (bytes/sec).', arg: 'required', type: 'long', defaultValue: '-1' },
  { name: 'timeout', description: 'The maximum time in ms to wait for log directory replica assignment to begin.', arg: 'required', type: 'long', defaultValue: '10000' },
  { name: 'additional', description: 'Execute this reassignment in addition to any other ongoing ones.' },
  { name: 'preserve-throttles', description: 'Do not modify broker or topic throttles.' },
];

function checkArgs(opts: ParsedOptions): void {
  const actions = ['generate', 'execute', 'verify', 'cancel', 'list'].filter((a) => opts.has(a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --generate, --execute, --verify, --cancel, or --list');
  if (opts.has('generate') && (!opts.has('topics-to-move-json-file') || !opts.has('broker-list'))) {
    throw new UsageError('Missing required argument "[topics-to-move-json-file]" or "[broker-list]"');
  }
  if ((opts.has('execute') || opts.has('verify') || opts.has('cancel')) && !opts.has('reassignment-json-file')) {
    throw new UsageError('Missing required argument "[reassignment-json-file]"');
  }
  if (opts.has('output-file') && !opts.has('generate')) throw new UsageError('Option "[output-file]" can be used only with "[generate]"');
}

export const kafkaReassignPartitions = kafkaTool({
  name: 'kafka-reassign-partitions',
  summary: 'Generate, execute or verify a partition reassignment',
  description: 'This tool helps to move topic partitions between replicas.',
  options: OPTIONS,
  errorPrefix: 'Error: ',
  bootstrap: 'missing-required',
  check: checkArgs,
  async run(opts, env) {
    if (opts.has('generate')) return generate(opts, env);
    if (opts.has('execute')) return execute(opts, env);
    if (opts.has('verify')) return verify(opts, env);
    if (opts.has('cancel')) return cancel(opts, env);
    return list(env);
  },
});

// ---- plans -----------------------------------------------------------------------------------

export interface PlanEntry {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
}

/** Kafka's plan JSON, compact, with "log_dirs" of "any" for every replica. */
export function planJson(entries: readonly PlanEntry[]): string {
  const partitions = entries.map((e) => ({ topic: e.topic, partition: e.partition, replicas: e.replicas, log_dirs: e.replicas.map(() => 'any') }));
  return JSON.stringify({ version: 1, partitions });
}

export function parsePlan(path: string, env: CommandEnv): PlanEntry[] {
  const json = readJsonFile(env.files, path) as { version?: unknown; partitions?: unknown };
  if (!Array.isArray(json?.partitions)) throw new ShellError(`Invalid reassignment JSON in ${path}: expected {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2,3]}]}`);
  if (json.partitions.length === 0) throw new ShellError('Partition reassignment list cannot be empty.');
  const seen = new Set<string>();
  return json.partitions.map((raw: unknown) => {
    const e = raw as { topic?: unknown; partition?: unknown; replicas?: unknown };
    if (typeof e?.topic !== 'string' || !Number.isInteger(e.partition) || !Array.isArray(e.replicas) || !e.replicas.every((r) => Number.isInteger(r))) {
      throw new ShellError(`Invalid entry in ${path}: ${JSON.stringify(raw)}`, 'each entry needs "topic", "partition" and "replicas" (broker ids)');
    }
    const key = `${e.topic}-${e.partition as number}`;
    if (seen.has(key)) throw new ShellError(`Cannot reassign partition ${key} more than once in the same plan.`);
    seen.add(key);
    const replicas = e.replicas as number[];
    if (new Set(replicas).size !== replicas.length) throw new ShellError(`Partition replica lists may not contain duplicate entries: ${key} has ${replicas.join(',')}`);
    if (replicas.length === 0) throw new ShellError(`Partition ${key} has an empty replica list.`);
    return { topic: e.topic, partition: e.partition as number, replicas };
  });
}

function currentAssignment(topics: readonly TopicSnapshot[], wanted: (topic: string, partition: number) => boolean): PlanEntry[] {
  return topics
    .flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition, replicas: p.replicas })))
    .filter((e) => wanted(e.topic, e.partition))
    .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

const partitionName = (e: { topic: string; partition: number }): string => `${e.topic}-${e.partition}`;

// ---- generate --------------------------------------------------------------------------------

async function generate(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const path = opts.value('topics-to-move-json-file') as string;
  const json = readJsonFile(env.files, path) as { topics?: unknown };
  if (!Array.isArray(json?.topics) || !json.topics.every((t: unknown) => typeof (t as { topic?: unknown })?.topic === 'string')) {
    throw new ShellError(`Invalid topics JSON in ${path}: expected {"version":1,"topics":[{"topic":"orders"}]}`);
  }
  const names = [...new Set((json.topics as { topic: string }[]).map((t) => t.topic))];
  const snapshot = env.cluster.snapshot();
  const brokers = parseBrokerList(opts.value('broker-list') as string, snapshot.brokers.map((b) => b.id));
  const missing = names.filter((n) => !snapshot.topics.some((t) => t.name === n));
  if (missing.length > 0) throw new ShellError(`Topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found`, '`kafka-topics --bootstrap-server localhost:9092 --list` lists the topics');
  const current = currentAssignment(snapshot.topics, (t) => names.includes(t));
  const racks = new Map(snapshot.brokers.map((b) => [b.id, b.rack]));
  const ordered = opts.has('disable-rack-aware') ? brokers : rackAlternated(brokers, racks);
  const proposed = names.sort().flatMap((name) => {
    const topic = snapshot.topics.find((t) => t.name === name) as TopicSnapshot;
    const rf = topic.partitions[0]?.replicas.length ?? 1;
    if (rf > ordered.length) throw new ShellError(`Replication factor: ${rf} larger than available brokers: ${ordered.length}.`, 'list at least as many brokers as the topic has replicas');
    return roundRobin(ordered, topic.partitions.length, rf).map((replicas, partition) => ({ topic: name, partition, replicas }));
  });
  env.out.line(`Current partition replica assignment\n${planJson(current)}\n\nProposed partition reassignment configuration\n${planJson(proposed)}`);
  const output = opts.value('output-file');
  if (output !== undefined) {
    env.files.write(output, `${planJson(proposed)}\n`);
    env.out.hint(`saved the proposal to ${output}; run it with --execute --reassignment-json-file ${output}`);
  }
  return 0;
}

function parseBrokerList(text: string, known: readonly number[]): number[] {
  const ids = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0 || !ids.every((s) => /^\d+$/.test(s))) throw new ShellError(`Invalid broker list '${text}'`, 'write broker ids separated by commas, e.g. 1,2,3,4');
  const brokers = ids.map(Number);
  if (new Set(brokers).size !== brokers.length) throw new ShellError(`Duplicate brokers in the broker list: ${text}`);
  const unknown = brokers.filter((b) => !known.includes(b));
  if (unknown.length > 0) throw new ShellError(`Unknown broker${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, `brokers in this lab: ${known.join(', ')}`);
  return brokers;
}

/** Kafka's rack-alternated broker order: one broker of each rack in turn (only when every broker has a rack). */
function rackAlternated(brokers: readonly number[], racks: ReadonlyMap<number, string | null>): number[] {
  if (brokers.some((b) => (racks.get(b) ?? null) === null)) return [...brokers].sort((a, b) => a - b);
  const byRack = new Map<string, number[]>();
  for (const b of [...brokers].sort((x, y) => x - y)) byRack.set(racks.get(b) as string, [...(byRack.get(racks.get(b) as string) ?? []), b]);
  const queues = [...byRack.keys()].sort().map((r) => byRack.get(r) as number[]);
  const out: number[] = [];
  for (let i = 0; out.length < brokers.length; i++) for (const q of queues) if (q[i] !== undefined) out.push(q[i] as number);
  return out;
}

/** Kafka's classic assignment: first replicas round-robin, followers shifted so they spread evenly. */
export function roundRobin(brokers: readonly number[], partitions: number, replicationFactor: number): number[][] {
  const n = brokers.length;
  const out: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    const first = p % n;
    const shift = Math.floor(p / n) % Math.max(1, n - 1);
    const replicas = [brokers[first] as number];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n] as number);
    out.push(replicas);
  }
  return out;
}

// ---- execute, verify, cancel, list -------------------------------------------------------------

async function execute(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const plan = parsePlan(opts.value('reassignment-json-file') as string, env);
  const snapshot = env.cluster.snapshot();
  checkPlanAgainstCluster(plan, snapshot.topics, snapshot.brokers.map((b) => b.id));
  const running = await env.wait(env.cluster.admin.listPartitionReassignments(null));
  if (running.length > 0 && !opts.has('additional')) {
    throw new ShellError('Cannot execute because there is an existing partition assignment. Use --additional to override this and create a new partition assignment in addition to the existing one.', '`kafka-reassign-partitions --bootstrap-server localhost:9092 --list` shows it');
  }
  const current = currentAssignment(snapshot.topics, (t, p) => plan.some((e) => e.topic === t && e.partition === p));
  env.out.line(`Current partition replica assignment\n\n${planJson(current)}\n\nSave this to use as the --reassignment-json-file option during rollback`);
  const throttle = Number(opts.value('throttle') ?? -1);
  if (throttle >= 0 && !opts.has('preserve-throttles')) {
    await setThrottles(plan, current, throttle, env);
    env.out.line('Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.');
    env.out.line(`The inter-broker throttle limit was set to ${throttle} B/s`);
  }
  const results = await env.wait(env.cluster.admin.alterPartitionReassignments(plan.map((e) => ({ topic: e.topic, partition: e.partition, replicas: e.replicas }))));
  const failed = results.filter((r) => r.error !== null);
  const started = plan.filter((e) => !failed.some((f) => f.topic === e.topic && f.partition === e.partition));
  if (started.length > 0) env.out.line(`Successfully started partition reassignment${started.length === 1 ? '' : 's'} for ${started.map(partitionName).join(',')}`);
  for (const f of failed) env.out.error(`Error reassigning partition(s):\n${partitionName(f)}: ${f.error?.errorName}: ${f.error?.message}`);
  return failed.length > 0 ? 1 : 0;
}

function checkPlanAgainstCluster(plan: readonly PlanEntry[], topics: readonly TopicSnapshot[], brokers: readonly number[]): void {
  for (const e of plan) {
    const topic = topics.find((t) => t.name === e.topic);
    if (!topic?.partitions.some((p) => p.partition === e.partition)) throw new ShellError(`Topic ${e.topic} partition ${e.partition} not found`, 'check the plan with `cat`; `kafka-topics --describe` lists the partitions');
    const unknown = e.replicas.filter((r) => !brokers.includes(r));
    if (unknown.length > 0) throw new ShellError(`Unknown broker id(s) ${unknown.join(',')} in the plan for ${partitionName(e)}`, `brokers in this lab: ${brokers.join(', ')}`);
  }
}

/**
 * KIP-73 throttles as the tool sets them: for each moving partition, its current replicas
 * go into leader.replication.throttled.replicas and its new replicas into
 * follower.replication.throttled.replicas; every broker taking part gets both rates.
 */
async function setThrottles(plan: readonly PlanEntry[], current: readonly PlanEntry[], rate: number, env: CommandEnv): Promise<void> {
  const byTopic = new Map<string, { leader: string[]; follower: string[] }>();
  const brokers = new Set<number>();
  for (const e of plan) {
    const before = current.find((c) => c.topic === e.topic && c.partition === e.partition)?.replicas ?? [];
    const adding = e.replicas.filter((r) => !before.includes(r));
    if (adding.length === 0 && before.every((r) => e.replicas.includes(r))) continue;
    const lists = byTopic.get(e.topic) ?? { leader: [], follower: [] };
    lists.leader.push(...before.map((b) => `${e.partition}:${b}`));
    lists.follower.push(...adding.map((b) => `${e.partition}:${b}`));
    byTopic.set(e.topic, lists);
    for (const b of [...before, ...e.replicas]) brokers.add(b);
  }
  for (const [topic, lists] of byTopic) {
    const ops = [{ name: 'leader.replication.throttled.replicas', value: lists.leader.join(',') }];
    if (lists.follower.length > 0) ops.push({ name: 'follower.replication.throttled.replicas', value: lists.follower.join(',') });
    await env.wait(env.cluster.admin.incrementalAlterConfigs({ type: 'topic', name: topic }, ops));
  }
  for (const b of [...brokers].sort((x, y) => x - y)) {
    await env.wait(env.cluster.admin.incrementalAlterConfigs({ type: 'broker', name: String(b) }, [
      { name: 'leader.replication.throttled.rate', value: String(rate) },
      { name: 'follower.replication.throttled.rate', value: String(rate) },
    ]));
  }
}

async function verify(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const plan = parsePlan(opts.value('reassignment-json-file') as string, env);
  const running = await env.wait(env.cluster.admin.listPartitionReassignments(plan.map((e) => ({ topic: e.topic, partition: e.partition }))));
  const topics = env.cluster.snapshot().topics;
  env.out.line('Status of partition reassignment:');
  let done = true;
  for (const e of plan) {
    const inFlight = running.some((r) => r.topic === e.topic && r.partition === e.partition);
    const replicas = topics.find((t) => t.name === e.topic)?.partitions.find((p) => p.partition === e.partition)?.replicas ?? [];
    if (inFlight) {
      done = false;
      env.out.line(`Reassignment of partition ${partitionName(e)} is still in progress.`);
    } else if (replicas.join(',') === e.replicas.join(',')) {
      env.out.line(`Reassignment of partition ${partitionName(e)} is completed.`);
    } else {
      env.out.line(`There is no active reassignment of partition ${partitionName(e)}, but replica set is ${replicas.join(',')} rather than ${e.replicas.join(',')}.`);
    }
  }
  if (done && !opts.has('preserve-throttles')) await clearThrottles(plan, env);
  return 0;
}

/** Removes the throttles --execute set: rates on every broker, replica lists on each topic of the plan. */
async function clearThrottles(plan: readonly PlanEntry[], env: CommandEnv): Promise<void> {
  const brokers = env.cluster.snapshot().brokers.map((b) => b.id);
  env.out.line('');
  env.out.line(`Clearing broker-level throttles on broker${brokers.length === 1 ? '' : 's'} ${brokers.join(',')}`);
  for (const b of brokers) {
    const current = await env.wait(env.cluster.admin.describeConfigs({ type: 'broker', name: String(b) }));
    const ops = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'].filter((n) => current.some((e) => e.name === n && e.source === 'DYNAMIC_BROKER_CONFIG')).map((name) => ({ name, value: null }));
    if (ops.length > 0) await env.wait(env.cluster.admin.incrementalAlterConfigs({ type: 'broker', name: String(b) }, ops));
  }
  const topics = [...new Set(plan.map((e) => e.topic))].sort();
  env.out.line(`Clearing topic-level throttles on topic${topics.length === 1 ? '' : 's'} ${topics.join(',')}`);
  for (const topic of topics) {
    const current = await env.wait(env.cluster.admin.describeConfigs({ type: 'topic', name: topic }));
    const ops = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'].filter((n) => current.some((e) => e.name === n && e.source === 'DYNAMIC_TOPIC_CONFIG')).map((name) => ({ name, value: null }));
    if (ops.length > 0) await env.wait(env.cluster.admin.incrementalAlterConfigs({ type: 'topic', name: topic }, ops));
  }
}

async function cancel(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const plan = parsePlan(opts.value('reassignment-json-file') as string, env);
  const running = await env.wait(env.cluster.admin.listPartitionReassignments(plan.map((e) => ({ topic: e.topic, partition: e.partition }))));
  if (running.length === 0) {
    env.out.line('None of the specified partition reassignments are active.');
    return 0;
  }
  const results = await env.wait(env.cluster.admin.alterPartitionReassignments(running.map((r) => ({ topic: r.topic, partition: r.partition, replicas: null }))));
  const cancelled = results.filter((r) => r.error === null);
  if (cancelled.length > 0) env.out.line(`Successfully cancelled partition reassignment${cancelled.length === 1 ? '' : 's'} for: ${cancelled.map(partitionName).join(',')}`);
  for (const f of results.filter((r) => r.error !== null)) env.out.error(`Error cancelling partition reassignment for ${partitionName(f)}: ${f.error?.errorName}: ${f.error?.message}`);
  if (!opts.has('preserve-throttles')) await clearThrottles(plan, env);
  return cancelled.length === results.length ? 0 : 1;
}

async function list(env: CommandEnv): Promise<number> {
  const running = await env.wait(env.cluster.admin.listPartitionReassignments(null));
  if (running.length === 0) {
    env.out.line('No partition reassignments found.');
    return 0;
  }
  env.out.line('Current partition reassignments:');
  const sorted = [...running].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  for (const r of sorted) env.out.line(listLine(r));
  return 0;
}

function listLine(r: PartitionReassignment): string {
  return `${partitionName(r)}: replicas: ${r.replicas.join(',')}. adding: ${r.addingReplicas.join(',')}. removing: ${r.removingReplicas.join(',')}.`;
}
