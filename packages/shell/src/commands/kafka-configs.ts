/**
 * kafka-configs: describe and alter dynamic configs of topics and brokers, with Kafka
 * 4.x's ConfigCommand options and output:
 *   Dynamic configs for topic orders are:
 *     min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}
 * Entity types: topics and brokers (with the shortcuts --topic, --broker, --broker-defaults).
 * `--add-config` takes `k1=v1,k2=[a,b]` (square brackets group a list value),
 * `--delete-config` takes `k1,k2`; both are sent as one IncrementalAlterConfigs request.
 * Deviation: the engine reports one source per entry, so the synonym chain is rebuilt here
 * from the broker's own configs and Kafka's topic-to-broker config names.
 */
import { serverDefaults, topicDefaults, type AlterConfigOp, type ConfigEntry, type ConfigResource } from '@kil/engine';
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { ShellError, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  { ...BOOTSTRAP_OPTION, description: 'The Kafka servers to connect to.' },
  { name: 'bootstrap-controller', description: 'The Kafka controllers to connect to.', arg: 'required', describedAs: 'controller to connect to' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', arg: 'required', describedAs: 'command config property file' },
  { name: 'entity-type', description: 'Type of entity (topics/clients/users/brokers/broker-loggers/client-metrics/groups)', arg: 'required', describedAs: 'entity-type', complete: ['topics', 'brokers'] },
  { name: 'entity-name', description: 'Name of entity (topic name/client id/user principal name/broker id/group id)', arg: 'required', describedAs: 'entity-name', complete: 'topic' },
  { name: 'entity-default', description: 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type)' },
  { name: 'topic', description: "The topic's name. Equivalent to --entity-type topics --entity-name <topic>.", arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'broker', description: "The broker's ID. Equivalent to --entity-type brokers --entity-name <broker>.", arg: 'required', describedAs: 'broker-id', complete: 'broker' },
  { name: 'broker-defaults', description: 'The config defaults for all brokers. Equivalent to --entity-type brokers --entity-default.' },
  { name: 'describe', description: 'List configs for the given entity.' },
  { name: 'alter', description: 'Alter the configuration for the entity.' },
  { name: 'all', description: 'List all configs for the given entity, including static configs if available.' },
  { name: 'add-config', description: "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'.", arg: 'required', describedAs: 'config', complete: 'config' },
  { name: 'add-config-file', description: 'Path to a properties file with configs to add.', arg: 'required' },
  { name: 'delete-config', description: 'config keys to remove: \'k1,k2\'', arg: 'required', describedAs: 'config' },
  { name: 'force', description: 'Suppress console prompts' },
];

const ENTITY_TYPES = ['topics', 'brokers', 'clients', 'users', 'broker-loggers', 'client-metrics', 'groups', 'ips'];

/** Which broker setting backs a topic config (Kafka's ServerTopicConfigSynonyms). */
const BROKER_SYNONYM: Readonly<Record<string, string>> = {
  'cleanup.policy': 'log.cleanup.policy',
  'compression.type': 'compression.type',
  'delete.retention.ms': 'log.cleaner.delete.retention.ms',
  'file.delete.delay.ms': 'log.segment.delete.delay.ms',
  'flush.messages': 'log.flush.interval.messages',
  'flush.ms': 'log.flush.interval.ms',
  'index.interval.bytes': 'log.index.interval.bytes',
  'local.retention.bytes': 'log.local.retention.bytes',
  'local.retention.ms': 'log.local.retention.ms',
  'max.compaction.lag.ms': 'log.cleaner.max.compaction.lag.ms',
  'max.message.bytes': 'message.max.bytes',
  'message.timestamp.type': 'log.message.timestamp.type',
  'min.cleanable.dirty.ratio': 'log.cleaner.min.cleanable.ratio',
  'min.compaction.lag.ms': 'log.cleaner.min.compaction.lag.ms',
  'min.insync.replicas': 'min.insync.replicas',
  preallocate: 'log.preallocate',
  'retention.bytes': 'log.retention.bytes',
  'retention.ms': 'log.retention.ms',
  'segment.bytes': 'log.segment.bytes',
  'segment.index.bytes': 'log.index.size.max.bytes',
  'segment.jitter.ms': 'log.roll.jitter.ms',
  'segment.ms': 'log.roll.ms',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
};

interface Entity {
  readonly type: 'topics' | 'brokers';
  /** Topic name, broker id, '' for the cluster-wide broker default, or undefined for all. */
  readonly name: string | undefined;
}

function entityOf(opts: ParsedOptions): Entity {
  if (opts.has('topic')) return { type: 'topics', name: opts.value('topic') };
  if (opts.has('broker')) return { type: 'brokers', name: opts.value('broker') };
  if (opts.has('broker-defaults')) return { type: 'brokers', name: '' };
  const type = opts.value('entity-type');
  if (type === undefined) throw new UsageError('At least one entity type must be specified', 'add --entity-type topics or --entity-type brokers');
  if (type !== 'topics' && type !== 'brokers') {
    throw new ShellError(`Configs of ${type} are not available in this lab: the cluster has no quotas, users, loggers, client metrics or group configs.`, 'use --entity-type topics or --entity-type brokers');
  }
  return { type, name: opts.has('entity-default') ? '' : opts.value('entity-name') };
}

function checkArgs(opts: ParsedOptions): void {
  const actions = ['describe', 'alter'].filter((a) => opts.has(a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --describe, --alter', 'for example: kafka-configs --bootstrap-server localhost:9092 --entity-type topics --entity-name orders --describe');
  const type = opts.value('entity-type');
  if (type !== undefined && !ENTITY_TYPES.includes(type)) {
    throw new UsageError(`Invalid entity type ${type}, the entity type must be one of topics, clients, users, brokers, broker-loggers, ips, client-metrics, groups`);
  }
  if (opts.has('alter') && !opts.has('add-config') && !opts.has('delete-config') && !opts.has('add-config-file')) {
    throw new UsageError('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
  }
  if (opts.has('entity-name') && opts.has('entity-default')) throw new UsageError('--entity-name and --entity-default cannot be used together');
  if (opts.has('all') && !opts.has('describe')) throw new UsageError('--all can only be used with --describe');
  const entity = entityOfIfGiven(opts);
  if (entity?.type === 'brokers' && entity.name !== undefined && entity.name !== '' && !/^\d+$/.test(entity.name)) {
    throw new UsageError(`The entity name for brokers must be a valid integer broker id, but it is: ${entity.name}`, 'for example --entity-name 1');
  }
  if (opts.has('alter') && entity !== undefined && entity.name === undefined) {
    throw new UsageError(`an entity name must be specified with --alter of ${entity.type}`, entity.type === 'topics' ? 'add --entity-name <topic>' : 'add --entity-name <broker id> or --entity-default');
  }
}

function entityOfIfGiven(opts: ParsedOptions): Entity | undefined {
  try {
    return entityOf(opts);
  } catch {
    return undefined;
  }
}

export const kafkaConfigs = kafkaTool({
  name: 'kafka-configs',
  summary: 'Describe or alter topic and broker configs',
  description: 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group',
  options: OPTIONS,
  errorPrefix: 'Error while executing config command: ',
  bootstrap: 'missing-required',
  check: checkArgs,
  async run(opts, env) {
    const entity = entityOf(opts);
    if (opts.has('add-config-file')) throw new ShellError('--add-config-file is not available in this lab: the terminal has no properties files.', 'pass the settings inline: --add-config k1=v1,k2=v2');
    if (opts.has('alter')) return alter(entity, opts, env);
    return describe(entity, opts.has('all'), env);
  },
});

// ---- describe ------------------------------------------------------------------------------

async function describe(entity: Entity, all: boolean, env: CommandEnv): Promise<number> {
  const names = entity.name !== undefined ? [entity.name] : await entityNames(entity.type, env);
  const blocks: string[] = [];
  const brokerLevel = await brokerLevelConfigs(env);
  for (const name of names) {
    const resource: ConfigResource = { type: entity.type === 'topics' ? 'topic' : 'broker', name };
    const entries = await env.wait(env.cluster.admin.describeConfigs(resource));
    const shown = all ? entries : entries.filter((e) => isDynamicFor(e, resource));
    blocks.push(header(resource, all), ...shown.map((e) => `  ${e.name}=${e.value ?? 'null'} sensitive=false synonyms={${synonyms(e, resource, brokerLevel).join(', ')}}`));
  }
  if (blocks.length > 0) env.out.line(blocks.join('\n'));
  return 0;
}

async function entityNames(type: Entity['type'], env: CommandEnv): Promise<string[]> {
  if (type === 'topics') return (await env.wait(env.cluster.admin.listTopics())).sort();
  return env.cluster.snapshot().brokers.map((b) => String(b.id));
}

function header(resource: ConfigResource, all: boolean): string {
  if (resource.type === 'broker' && resource.name === '') return 'Default configs for brokers in the cluster are:';
  return `${all ? 'All' : 'Dynamic'} configs for ${resource.type} ${resource.name} are:`;
}

function isDynamicFor(entry: ConfigEntry, resource: ConfigResource): boolean {
  if (resource.type === 'topic') return entry.source === 'DYNAMIC_TOPIC_CONFIG';
  return entry.source === (resource.name === '' ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG');
}

/** The broker settings that stand behind topic configs and per-broker overrides: the cluster default and one running broker's. */
interface BrokerLevel {
  readonly clusterDefault: ReadonlyMap<string, ConfigEntry>;
  readonly broker: ReadonlyMap<string, ConfigEntry>;
}

async function brokerLevelConfigs(env: CommandEnv): Promise<BrokerLevel> {
  const running = env.cluster.snapshot().brokers.find((b) => b.state === 'running');
  const byName = (entries: readonly ConfigEntry[]): Map<string, ConfigEntry> => new Map(entries.map((e) => [e.name, e]));
  const clusterDefault = byName(await env.wait(env.cluster.admin.describeConfigs({ type: 'broker', name: '' })));
  const broker = running === undefined ? clusterDefault : byName(await env.wait(env.cluster.admin.describeConfigs({ type: 'broker', name: String(running.id) })));
  return { clusterDefault, broker };
}

/** Kafka's synonym list: the most specific source first, down to the built-in default. */
export function synonyms(entry: ConfigEntry, resource: ConfigResource, level: BrokerLevel): string[] {
  const out: string[] = [];
  const push = (source: string, name: string, value: string | null | undefined): void => {
    if (value !== undefined && value !== null) out.push(`${source}:${name}=${value}`);
  };
  if (resource.type === 'topic') {
    if (entry.source === 'DYNAMIC_TOPIC_CONFIG') push('DYNAMIC_TOPIC_CONFIG', entry.name, entry.value);
    const brokerName = BROKER_SYNONYM[entry.name] ?? entry.name;
    brokerChain(brokerName, level, push, true);
    const fallback = serverDefaults[brokerName] ?? topicDefaults[entry.name];
    if (!out.some((s) => s.startsWith('DEFAULT_CONFIG:'))) push('DEFAULT_CONFIG', brokerName, fallback);
    return out;
  }
  if (entry.source === 'DYNAMIC_BROKER_CONFIG' || entry.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG') push(entry.source, entry.name, entry.value);
  brokerChain(entry.name, level, push, resource.name !== '');
  if (!out.some((s) => s.startsWith('DEFAULT_CONFIG:'))) push('DEFAULT_CONFIG', entry.name, serverDefaults[entry.name]);
  return out;
}

function brokerChain(name: string, level: BrokerLevel, push: (source: string, name: string, value: string | null | undefined) => void, includeDefaultDynamic: boolean): void {
  const dynamicDefault = level.clusterDefault.get(name);
  if (includeDefaultDynamic && dynamicDefault?.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG') push('DYNAMIC_DEFAULT_BROKER_CONFIG', name, dynamicDefault.value);
  const own = level.broker.get(name);
  if (own?.source === 'STATIC_BROKER_CONFIG') push('STATIC_BROKER_CONFIG', name, own.value);
  if (serverDefaults[name] !== undefined) push('DEFAULT_CONFIG', name, serverDefaults[name]);
}

// ---- alter ---------------------------------------------------------------------------------

async function alter(entity: Entity, opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const name = entity.name as string;
  const resource: ConfigResource = { type: entity.type === 'topics' ? 'topic' : 'broker', name };
  const toAdd = opts.values('add-config').flatMap((text) => parseConfigsToAdd(text));
  const toDelete = opts.values('delete-config').flatMap((text) => text.split(',').map((k) => k.trim()).filter((k) => k !== ''));
  const both = toAdd.filter(([k]) => toDelete.includes(k)).map(([k]) => k);
  if (both.length > 0) throw new UsageError(`Invalid config(s): ${both.join(',')} cannot be both added and deleted in one command`);
  const current = await env.wait(env.cluster.admin.describeConfigs(resource));
  const missing = toDelete.filter((k) => !current.some((e) => e.name === k && isDynamicFor(e, resource)));
  if (missing.length > 0 && resource.type === 'topic') {
    throw new ShellError(`Invalid config(s): ${missing.join(',')}`, `only overrides can be deleted; \`kafka-configs --bootstrap-server localhost:9092 --entity-type topics --entity-name ${name} --describe\` lists them`);
  }
  const ops: AlterConfigOp[] = [...toAdd.map(([k, v]) => ({ name: k, value: v })), ...toDelete.map((k) => ({ name: k, value: null }))];
  await env.wait(env.cluster.admin.incrementalAlterConfigs(resource, ops));
  await untilBrokersSee(resource, ops, env);
  if (resource.type === 'broker' && name === '') env.out.line('Completed updating default config for brokers in the cluster.');
  else env.out.line(`Completed updating config for ${resource.type} ${name}.`);
  return 0;
}

/**
 * The controller answers once the change is committed; brokers apply it at their next
 * metadata fetch. Waiting (at most two seconds of virtual time) until the bootstrap broker
 * shows it means the learner's next `--describe` sees what they just changed.
 */
async function untilBrokersSee(resource: ConfigResource, ops: readonly AlterConfigOp[], env: CommandEnv): Promise<void> {
  for (let waitedMs = 0; waitedMs < 2_000; waitedMs += 20) {
    const entries = await env.wait(env.cluster.admin.describeConfigs(resource));
    const applied = ops.every((op) => {
      const entry = entries.find((e) => e.name === op.name);
      if (entry === undefined) return true;
      return op.value === null ? !isDynamicFor(entry, resource) : isDynamicFor(entry, resource) && entry.value === op.value;
    });
    if (applied) return;
    await env.wait(env.cluster.sleep(20));
  }
}

/**
 * `k1=v1,k2=[a,b],k3=v3` into pairs, as ConfigCommand reads --add-config: commas inside
 * square brackets belong to the value, and the brackets are dropped.
 */
export function parseConfigsToAdd(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let depth = 0;
  let start = 0;
  const items: string[] = [];
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if ((c === ',' && depth === 0) || c === undefined) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw badConfig(text);
  for (const item of items.filter((s) => s.trim() !== '')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw badConfig(item);
    const key = item.slice(0, eq).trim();
    let value = item.slice(eq + 1).trim();
    if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
    pairs.push([key, value]);
  }
  return pairs;
}

function badConfig(text: string): UsageError {
  return new UsageError(`Invalid entity config: all configs to be added must be in the format "key=val" or "key=[val1,val2]" (got '${text}').`, "for example --add-config retention.ms=60000,cleanup.policy=[compact,delete]");
}
