/**
 * kafka-topics: create, list, describe, alter (add partitions) and delete topics.
 * Follows Apache Kafka 4.x's TopicCommand: the same options, the same checks between
 * options, the same output lines (`Created topic orders.`, the tab-separated describe
 * lines including Elr/LastKnownElr from KIP-966) and the same error sentences.
 * Deviations: usage errors print one hint line instead of the whole option table, and
 * `Configs:` lists the topic's own overrides (Kafka also lists non-default broker-level
 * values); a topic's details come from the cluster snapshot rather than a
 * DescribeTopicPartitions request.
 */
import type { ClusterSnapshot, PartitionSnapshot, TopicSnapshot } from '@kil/engine';
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { ShellError, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';
import { closest } from '../suggest';
import { isTopicConfig, TOPIC_CONFIG_NAMES } from '../topic-configs';

const ALTER_CONFIG_NOTE = ' (To alter topic configurations, the kafka-configs tool can be used.)';

const OPTIONS: readonly OptionDef[] = [
  BOOTSTRAP_OPTION,
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', arg: 'required', describedAs: 'command config property file' },
  { name: 'list', description: 'List all available topics.' },
  { name: 'create', description: 'Create a new topic.' },
  { name: 'delete', description: 'Delete a topic.' },
  { name: 'alter', description: `Alter the number of partitions and replica assignment.${ALTER_CONFIG_NOTE}` },
  { name: 'describe', description: 'List details for the given topics.' },
  { name: 'topic', description: 'The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option.', arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'topic-id', description: 'The topic-id to describe.', arg: 'required', describedAs: 'topic-id' },
  { name: 'config', description: `A topic configuration override for the topic being created. It is supported only in combination with --create.${ALTER_CONFIG_NOTE}`, arg: 'required', describedAs: 'name=value', complete: 'config' },
  { name: 'partitions', description: 'The number of partitions for the topic being created or altered. If not supplied with --create, the topic uses the cluster default. (WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected).', arg: 'required', describedAs: '# of partitions', type: 'integer' },
  { name: 'replication-factor', description: 'The replication factor for each partition in the topic being created. If not supplied, the topic uses the cluster default.', arg: 'required', describedAs: 'replication factor', type: 'integer' },
  { name: 'replica-assignment', description: 'A list of manual partition-to-broker assignments for the topic being created or altered.', arg: 'required', describedAs: 'broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...' },
  { name: 'under-replicated-partitions', description: 'If set when describing topics, only show under-replicated partitions.' },
  { name: 'unavailable-partitions', description: 'If set when describing topics, only show partitions whose leader is not available.' },
  { name: 'under-min-isr-partitions', description: 'If set when describing topics, only show partitions whose isr count is less than the configured minimum.' },
  { name: 'at-min-isr-partitions', description: 'If set when describing topics, only show partitions whose isr count is equal to the configured minimum.' },
  { name: 'topics-with-overrides', description: 'If set when describing topics, only show topics that have overridden configs.' },
  { name: 'if-exists', description: 'If set when altering or deleting or describing topics, the action will only execute if the topic exists.' },
  { name: 'if-not-exists', description: 'If set when creating topics, the create request will not fail if the topic already exists, but the request will still be sent.' },
  { name: 'exclude-internal', description: 'Exclude internal topics when listing or describing topics. By default, the internal topics are included.' },
];

const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'] as const;
const REPORTS = ['under-replicated-partitions', 'under-min-isr-partitions', 'at-min-isr-partitions', 'unavailable-partitions'] as const;

export const kafkaTopics = kafkaTool({
  name: 'kafka-topics',
  summary: 'Create, list, describe, alter or delete topics',
  description: 'This tool helps to create, delete, describe, or change a topic.',
  options: OPTIONS,
  errorPrefix: 'Error while executing topic command : ',
  bootstrap: 'must-be-specified',
  check: checkArgs,
  async run(opts, env) {
    if (opts.has('create')) return createTopic(opts, env);
    if (opts.has('list')) return listTopics(opts, env);
    if (opts.has('describe')) return describeTopics(opts, env);
    if (opts.has('alter')) return alterTopic(opts, env);
    return deleteTopics(opts, env);
  },
});

function checkArgs(opts: ParsedOptions): void {
  const actions = ACTIONS.filter((a) => opts.has(a));
  if (actions.length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete', 'for example: kafka-topics --bootstrap-server localhost:9092 --list');
  }
  if (!opts.has('list') && !opts.has('describe') && !opts.has('topic')) {
    throw new UsageError('Missing required argument "[topic]"', 'name the topic with --topic <name>');
  }
  if (opts.has('alter')) {
    if (opts.has('config')) throw new UsageError(`Option combination "[bootstrap-server, config]" can't be used with option "[alter]"${ALTER_CONFIG_NOTE}`, 'kafka-configs --bootstrap-server localhost:9092 --entity-type topics --entity-name <topic> --alter --add-config k=v');
    if (!opts.has('partitions')) throw new UsageError('Missing required argument "[partitions]"', 'say how many partitions the topic should have with --partitions <n>');
  }
  const allowedWith: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['config', ['alter', 'create']],
    ['partitions', ['alter', 'create']],
    ['replication-factor', ['create']],
    ['replica-assignment', ['alter', 'create']],
    ['if-exists', ['alter', 'delete', 'describe']],
    ['if-not-exists', ['create']],
    ['exclude-internal', ['list', 'describe']],
    ...REPORTS.map((r) => [r, ['describe']] as const),
    ['topics-with-overrides', ['describe']],
  ];
  for (const [option, actionsAllowed] of allowedWith) {
    const clash = ACTIONS.find((a) => opts.has(a) && !actionsAllowed.includes(a));
    if (opts.has(option) && clash) throw new UsageError(`Option "[${option}]" can't be used with option "[${clash}]"`);
  }
  if (opts.has('create') && opts.has('replica-assignment')) {
    const clash = ['partitions', 'replication-factor'].find((o) => opts.has(o));
    if (clash) throw new UsageError(`Option "[replica-assignment]" can't be used with option "[${clash}]"`, '--replica-assignment already fixes both the partition count and the replication factor');
  }
  const reports = REPORTS.filter((r) => opts.has(r));
  if (opts.has('topics-with-overrides') && reports.length > 0) throw new UsageError(`Option "[topics-with-overrides]" can't be used with option "[${reports[0]}]"`);
}

async function createTopic(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const name = opts.value('topic') as string;
  const replicationFactor = opts.int('replication-factor');
  const partitions = opts.int('partitions');
  if (replicationFactor !== undefined && (replicationFactor < 1 || replicationFactor > 32767)) {
    throw new ShellError('The replication factor must be between 1 and 32767 inclusive', `with ${env.cluster.snapshot().brokers.length} brokers, use at most --replication-factor ${env.cluster.snapshot().brokers.length}`);
  }
  if (partitions !== undefined && partitions < 1) throw new ShellError('The partitions must be greater than 0');
  const configs = parseConfigs(opts.values('config'));
  const assignment = opts.has('replica-assignment') ? parseReplicaAssignment(opts.value('replica-assignment') as string) : undefined;
  if (/[._]/.test(name)) {
    env.out.line("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.");
  }
  const [result] = await env.wait(
    env.cluster.admin.createTopics([
      assignment
        ? { name, replicaAssignment: assignment, configs }
        : { name, numPartitions: partitions ?? -1, replicationFactor: replicationFactor ?? -1, configs },
    ]),
  );
  if (result?.error) {
    if (result.error.errorName === 'TOPIC_ALREADY_EXISTS' && opts.has('if-not-exists')) return 0;
    throw result.error;
  }
  env.out.line(`Created topic ${name}.`);
  return 0;
}

/** `--config k=v` values, split the way TopicCommand splits them, with config names checked. */
export function parseConfigs(values: readonly string[]): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const entry of values) {
    const parts = entry.split(/\s*=\s*/);
    if (parts.length !== 2) {
      throw new ShellError('requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".', 'for example --config min.insync.replicas=2');
    }
    const key = (parts[0] as string).trim();
    if (!isTopicConfig(key)) {
      const guess = closest(key, TOPIC_CONFIG_NAMES);
      throw new ShellError(`Error while executing topic command : Unknown topic config name: ${key}`, guess ? `Did you mean ${guess}?` : 'topic config names look like retention.ms or min.insync.replicas');
    }
    configs[key] = (parts[1] as string).trim();
  }
  return configs;
}

/** "1:2:3,2:3:1" → [[1,2,3],[2,3,1]] with TopicCommand's checks. */
export function parseReplicaAssignment(text: string): number[][] {
  const partitions = text.split(',').map((part, index) => {
    const brokers = part.split(':').map((s) => {
      const trimmed = s.trim();
      if (!/^-?\d+$/.test(trimmed)) throw new ShellError(`Error while executing topic command : For input string: "${trimmed}"`, 'write broker ids separated by ":" and partitions by ",", e.g. 1:2,2:3,3:1');
      return Number(trimmed);
    });
    const duplicates = brokers.filter((b, i) => brokers.indexOf(b) !== i);
    if (duplicates.length > 0) throw new ShellError(`Error while executing topic command : Partition replica lists may not contain duplicate entries: ${[...new Set(duplicates)].join(',')}`);
    return { index, brokers };
  });
  const width = partitions[0]?.brokers.length ?? 0;
  for (const { index, brokers } of partitions) {
    if (brokers.length !== width) throw new ShellError(`Error while executing topic command : Partition ${index} has different replication factor: [${brokers.join(', ')}]`);
  }
  return partitions.map((p) => p.brokers);
}

/** TopicCommand's IncludeList: commas mean "or", quotes and spaces are dropped, the whole name must match. */
export function topicFilter(pattern: string): RegExp {
  const cleaned = pattern.trim().replace(/,/g, '|').replace(/ /g, '').replace(/^["']+/, '').replace(/["']+$/, '');
  try {
    return new RegExp(`^(?:${cleaned})$`);
  } catch {
    throw new ShellError(`Error while executing topic command : Invalid regular expression: ${cleaned}`, 'the --topic value is a regular expression; escape special characters with a backslash');
  }
}

async function matchingTopics(opts: ParsedOptions, env: CommandEnv): Promise<string[]> {
  const exclude = opts.has('exclude-internal');
  const names = await env.wait(env.cluster.admin.listTopics({ includeInternal: !exclude }));
  const pattern = opts.value('topic');
  const filter = pattern === undefined ? undefined : topicFilter(pattern);
  return [...names].filter((n) => !filter || filter.test(n)).sort();
}

/** `--describe --topic-id <id>`: the one topic with that id (Kafka prints ids in base64 as the describe line does). */
function topicById(id: string, env: CommandEnv): string[] {
  const topic = env.cluster.snapshot().topics.find((t) => t.topicId === id);
  if (!topic) throw new ShellError(`Topic id '${id}' does not exist as expected`, '`kafka-topics --bootstrap-server localhost:9092 --describe` prints each topic with its TopicId');
  return [topic.name];
}

function ensureTopicExists(found: readonly string[], opts: ParsedOptions, env: CommandEnv): void {
  const requested = opts.value('topic');
  if (requested === undefined || requested === '' || opts.has('if-exists') || found.length > 0) return;
  const guess = closest(requested, env.cluster.snapshot().topics.map((t) => t.name));
  throw new ShellError(`Topic '${requested}' does not exist as expected`, guess ? `Did you mean ${guess}?` : 'list the topics with `kafka-topics --bootstrap-server localhost:9092 --list`');
}

async function listTopics(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const names = await matchingTopics(opts, env);
  env.out.line(names.join('\n'));
  return 0;
}

async function deleteTopics(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const names = await matchingTopics(opts, env);
  ensureTopicExists(names, opts, env);
  if (names.length === 0) return 0;
  const results = await env.wait(env.cluster.admin.deleteTopics(names));
  const failed = results.find((r) => r.error !== null);
  if (failed?.error) throw failed.error;
  return 0;
}

/**
 * Adds partitions (KIP-195 CreatePartitions). Like Kafka's tool it prints nothing on
 * success; a count that is not an increase comes back from the controller as INVALID_PARTITIONS.
 * With --replica-assignment, the entries past the current partition count place the new ones.
 */
async function alterTopic(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const names = await matchingTopics(opts, env);
  ensureTopicExists(names, opts, env);
  const totalCount = opts.int('partitions') as number;
  const assignment = opts.has('replica-assignment') ? parseReplicaAssignment(opts.value('replica-assignment') as string) : undefined;
  const snapshot = env.cluster.snapshot();
  const requests = names.map((topic) => {
    const current = snapshot.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
    return assignment === undefined ? { topic, totalCount } : { topic, totalCount, assignments: assignment.slice(current) };
  });
  const results = await env.wait(env.cluster.admin.createPartitions(requests));
  const failed = results.find((r) => r.error !== null);
  if (failed?.error) throw failed.error;
  return 0;
}

async function describeTopics(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const names = opts.has('topic-id') ? topicById(opts.value('topic-id') as string, env) : await matchingTopics(opts, env);
  ensureTopicExists(names, opts, env);
  const snapshot = env.cluster.snapshot();
  const lines: string[] = [];
  for (const name of names) {
    const topic = snapshot.topics.find((t) => t.name === name);
    if (topic && topic.partitions.length > 0) lines.push(...describeTopic(topic, opts, snapshot));
  }
  if (lines.length > 0) env.out.line(lines.join('\n'));
  return 0;
}

function describeTopic(topic: TopicSnapshot, opts: ParsedOptions, snapshot: ClusterSnapshot): string[] {
  const reports = REPORTS.filter((r) => opts.has(r));
  const overridesOnly = opts.has('topics-with-overrides');
  const configs = Object.entries(topic.configs).sort(([a], [b]) => a.localeCompare(b));
  const partitions = [...topic.partitions].sort((a, b) => a.partition - b.partition);
  const lines: string[] = [];
  if (reports.length === 0 && (!overridesOnly || configs.length > 0)) {
    const first = partitions[0] as PartitionSnapshot;
    lines.push(
      `Topic: ${topic.name}\tTopicId: ${topic.topicId}\tPartitionCount: ${partitions.length}\tReplicationFactor: ${replicationFactor(first)}\tConfigs: ${configs.map(([k, v]) => `${k}=${v}`).join(',')}`,
    );
  }
  if (overridesOnly) return lines;
  const live = new Set(snapshot.brokers.filter((b) => b.state === 'running').map((b) => b.id));
  const minIsr = Number(topic.configs['min.insync.replicas'] ?? '1');
  for (const p of partitions) {
    if (reports.length === 0 || reports.some((r) => matchesReport(r, p, minIsr, live))) lines.push(partitionLine(topic.name, p));
  }
  return lines;
}

function replicationFactor(p: PartitionSnapshot): number {
  const reassigning = p.addingReplicas.length > 0 || p.removingReplicas.length > 0;
  return reassigning ? p.replicas.length - p.addingReplicas.length : p.replicas.length;
}

function matchesReport(report: (typeof REPORTS)[number], p: PartitionSnapshot, minIsr: number, live: ReadonlySet<number>): boolean {
  const hasLeader = p.leader >= 0;
  switch (report) {
    case 'under-replicated-partitions':
      return replicationFactor(p) - p.isr.length > 0;
    case 'under-min-isr-partitions':
      return !hasLeader || p.isr.length < minIsr;
    case 'at-min-isr-partitions':
      return p.isr.length === minIsr;
    case 'unavailable-partitions':
      return !hasLeader || !live.has(p.leader);
  }
}

function partitionLine(topic: string, p: PartitionSnapshot): string {
  const reassigning = p.addingReplicas.length > 0 || p.removingReplicas.length > 0;
  const elr = (p as { elr?: readonly number[] }).elr ?? [];
  const lastKnownElr = (p as { lastKnownElr?: readonly number[] }).lastKnownElr ?? [];
  return [
    '',
    `Topic: ${topic}`,
    `Partition: ${p.partition}`,
    `Leader: ${p.leader >= 0 ? p.leader : 'none'}`,
    `Replicas: ${p.replicas.join(',')}`,
    `Isr: ${p.isr.join(',')}`,
    ...(reassigning ? [`Adding Replicas: ${p.addingReplicas.join(',')}`, `Removing Replicas: ${p.removingReplicas.join(',')}`] : []),
    `Elr: ${elr.join(',')}`,
    `LastKnownElr: ${lastKnownElr.join(',')}`,
  ].join('\t');
}
