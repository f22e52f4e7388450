/**
 * Property files, as Kafka's tools read them (`producer.properties`, `consumer.properties`,
 * topic configs): `key=value` lines parsed the java.util.Properties way, checked against
 * the keys Kafka defines, and mapped onto this client's options. Producer and consumer
 * files become defaults for every `kafka.producer()` and `kafka.consumer()` a program
 * creates (options passed in code win, as a later `props.put` would); topic files become
 * an IncrementalAlterConfigs (SET) on their topic, which the broker validates itself.
 *
 * Deviations: an unknown key is an error here (Kafka only logs "was supplied but isn't a
 * known config"), because a typo that silently does nothing is the worst lesson; keys
 * Kafka knows but this client does not model are accepted and reported as having no
 * effect. Line continuations and unicode escapes of java.util.Properties are supported;
 * other backslash escapes keep the escaped character.
 */
import { builtInAssignors } from './assignors';
import type { ConsumerConfig } from './consumer';
import type { ProducerConfig } from './producer';
import { KafkaClientError } from './protocol';

export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line of the file where the entry starts. */
  readonly line: number;
}

/** What a property file configures. */
export type PropertyFileKind = 'producer' | 'consumer' | 'topic';

export interface PropertyFile {
  /** Name shown to the learner, e.g. "consumer.properties"; errors name it. */
  readonly file: string;
  readonly kind: PropertyFileKind;
  /** For kind "topic": the topic whose configs the file sets. */
  readonly topic?: string;
  readonly text: string;
}

/** Defaults for the producers and consumers a `Kafka` creates. */
export interface ClientDefaults {
  readonly producer?: ProducerConfig;
  readonly consumer?: ConsumerConfig;
}

export const propertyLimits = { fileCharsMax: 16_384, entriesMax: 100, filesMax: 8 } as const;

/** Splits java.util.Properties text into entries; a later duplicate key wins, as in Java. */
export function parseProperties(text: string): PropertyEntry[] {
  if (text.length > propertyLimits.fileCharsMax) throw configError(`A property file may be at most ${propertyLimits.fileCharsMax} characters.`, 'keep only the keys you change');
  const byKey = new Map<string, PropertyEntry>();
  for (const { text: logical, line } of logicalLines(text)) {
    const trimmed = logical.replace(/^[ \t\f]+/, '');
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    const { key, value } = splitEntry(trimmed);
    byKey.delete(key);
    byKey.set(key, { key, value, line });
  }
  if (byKey.size > propertyLimits.entriesMax) throw configError(`A property file may have at most ${propertyLimits.entriesMax} entries.`, 'keep only the keys you change');
  return [...byKey.values()];
}

/** Joins lines that end in an odd number of backslashes with the next one. */
function logicalLines(text: string): { text: string; line: number }[] {
  const physical = text.split(/\r\n|\r|\n/);
  const out: { text: string; line: number }[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let current = physical[i] ?? '';
    while (/(^|[^\\])(\\\\)*\\$/.test(current) && i + 1 < physical.length) {
      current = current.slice(0, -1) + (physical[++i] ?? '').replace(/^[ \t\f]+/, '');
    }
    out.push({ text: current, line: start + 1 });
  }
  return out;
}

/** The key ends at the first unescaped `=`, `:` or whitespace; the separator's padding is dropped. */
function splitEntry(line: string): { key: string; value: string } {
  let i = 0;
  while (i < line.length && !/[=:\s]/.test(line[i]!)) i += line[i] === '\\' ? 2 : 1;
  const key = unescape(line.slice(0, i));
  let rest = line.slice(i).replace(/^[ \t\f]+/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return { key, value: unescape(rest).trimEnd() };
}

function unescape(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[c] ?? c;
  });
}

/** Kafka's producer keys the lab's client does not model: accepted, with no effect. */
const producerKnownOnly = [
  'bootstrap.servers', 'client.id', 'key.serializer', 'value.serializer', 'linger.ms', 'batch.size', 'compression.type', 'retries',
  'retry.backoff.ms', 'delivery.timeout.ms', 'request.timeout.ms', 'max.in.flight.requests.per.connection', 'buffer.memory', 'max.block.ms',
  'max.request.size', 'partitioner.class', 'partitioner.ignore.keys', 'metadata.max.age.ms', 'send.buffer.bytes', 'receive.buffer.bytes', 'security.protocol',
];
/** Kafka's consumer keys the lab's client does not model: accepted, with no effect. */
const consumerKnownOnly = [
  'bootstrap.servers', 'client.id', 'key.deserializer', 'value.deserializer', 'enable.auto.commit', 'auto.commit.interval.ms', 'heartbeat.interval.ms',
  'fetch.min.bytes', 'fetch.max.bytes', 'fetch.max.wait.ms', 'max.partition.fetch.bytes', 'request.timeout.ms', 'default.api.timeout.ms', 'retry.backoff.ms',
  'client.rack', 'check.crcs', 'allow.auto.create.topics', 'exclude.internal.topics', 'metadata.max.age.ms', 'receive.buffer.bytes', 'security.protocol',
];

const producerKeys = ['acks', 'enable.idempotence', 'transactional.id', 'transaction.timeout.ms'] as const;
const consumerKeys = [
  'group.id', 'group.instance.id', 'isolation.level', 'auto.offset.reset', 'partition.assignment.strategy', 'session.timeout.ms', 'max.poll.interval.ms', 'max.poll.records',
] as const;

/** Topic-level configs Kafka defines (the broker decides which it models and validates values). */
export const topicConfigKeys: readonly string[] = [
  'cleanup.policy', 'compression.type', 'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'follower.replication.throttled.replicas',
  'index.interval.bytes', 'leader.replication.throttled.replicas', 'local.retention.bytes', 'local.retention.ms', 'max.compaction.lag.ms', 'max.message.bytes',
  'message.timestamp.type', 'message.timestamp.before.max.ms', 'message.timestamp.after.max.ms', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms',
  'min.insync.replicas', 'preallocate', 'remote.storage.enable', 'retention.bytes', 'retention.ms', 'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms',
  'segment.ms', 'unclean.leader.election.enable',
];

/** Every key a file of `kind` may hold. */
export function validKeys(kind: PropertyFileKind): readonly string[] {
  if (kind === 'producer') return [...producerKeys, ...producerKnownOnly];
  if (kind === 'consumer') return [...consumerKeys, ...consumerKnownOnly];
  return topicConfigKeys;
}

/** Keys of `kind` that this client accepts but does not act on. */
export function keysWithoutEffect(kind: PropertyFileKind): readonly string[] {
  return kind === 'producer' ? producerKnownOnly : kind === 'consumer' ? consumerKnownOnly : [];
}

/**
 * The candidate nearest to `key`: a key whose letters all appear in order in a candidate
 * from its first letter on is taken as an abbreviation (min.isr → min.insync.replicas, the shortest such
 * wins); otherwise the smallest edit distance (a typo). Ties go to the first listed.
 */
export function closestKey(key: string, candidates: readonly string[]): string | null {
  let best: { key: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = isSubsequence(key, candidate) ? candidate.length - key.length - 1_000 : editDistance(key, candidate);
    if (best === null || distance < best.distance) best = { key: candidate, distance };
  }
  return best?.key ?? null;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const c of long) if (c === short[i]) i++;
  return short.length > 0 && i === short.length && short[0] === long[0];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function configError(message: string, suggestion?: string): KafkaClientError {
  return new KafkaClientError(suggestion ? { code: 'INVALID_CONFIG', message, suggestion } : { code: 'INVALID_CONFIG', message });
}

const where = (file: string, entry: PropertyEntry) => `${file} line ${entry.line}`;

/** Every entry's key must be one Kafka defines for `kind`; the error names the nearest. */
export function checkKeys(file: string, kind: PropertyFileKind, entries: readonly PropertyEntry[]): void {
  const valid = validKeys(kind);
  for (const entry of entries) {
    if (valid.includes(entry.key)) continue;
    const nearest = closestKey(entry.key, valid);
    throw configError(`${where(file, entry)}: ${entry.key} is not a ${kind} config.${nearest ? ` Did you mean ${nearest}?` : ''}`, nearest ? `write ${nearest}=${entry.value}` : undefined);
  }
}

/** Kafka's ConfigException wording for a value outside a config's range. */
function invalid(file: string, entry: PropertyEntry, why: string): KafkaClientError {
  return configError(`${where(file, entry)}: Invalid value ${entry.value} for configuration ${entry.key}: ${why}`);
}

function oneOf(file: string, entry: PropertyEntry, allowed: readonly string[]): string {
  if (allowed.includes(entry.value)) return entry.value;
  throw invalid(file, entry, `String must be one of: ${allowed.join(', ')}`);
}

function bool(file: string, entry: PropertyEntry): boolean {
  const value = entry.value.toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalid(file, entry, 'Expected value to be either true or false');
}

function int(file: string, entry: PropertyEntry, min: number, max = 2_147_483_647): number {
  if (!/^-?\d+$/.test(entry.value)) throw invalid(file, entry, 'Not a number of type INT');
  const value = Number(entry.value);
  if (value < min || value > max) throw invalid(file, entry, `Value must be at least ${min}${max < 2_147_483_647 ? ` and at most ${max}` : ''}`);
  return value;
}

function nonEmpty(file: string, entry: PropertyEntry): string {
  if (entry.value.trim() === '') throw invalid(file, entry, 'Value must not be empty');
  return entry.value;
}

const entryOf = (entries: readonly PropertyEntry[], key: string) => entries.find((e) => e.key === key);

/** Producer options from `producer.properties`, with Kafka's cross-checks (KIP-679, KIP-98). */
export function producerConfigFromProperties(entries: readonly PropertyEntry[], file = 'producer.properties'): ProducerConfig {
  checkKeys(file, 'producer', entries);
  const config: { -readonly [K in keyof ProducerConfig]: ProducerConfig[K] } = {};
  const acks = entryOf(entries, 'acks');
  if (acks) {
    const value = oneOf(file, acks, ['all', '-1', '0', '1']);
    config.acks = value === 'all' || value === '-1' ? 'all' : value === '1' ? 1 : 0;
  }
  const idempotence = entryOf(entries, 'enable.idempotence');
  if (idempotence) config.enableIdempotence = bool(file, idempotence);
  const transactionalId = entryOf(entries, 'transactional.id');
  if (transactionalId) config.transactionalId = nonEmpty(file, transactionalId);
  const timeout = entryOf(entries, 'transaction.timeout.ms');
  if (timeout) config.transactionTimeoutMs = int(file, timeout, 1);
  // Kafka refuses these combinations when the producer is built, not when it first sends.
  if (idempotence && config.enableIdempotence && (config.acks ?? 'all') !== 'all') {
    throw configError(`${file}: Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.`, 'set acks=all, or enable.idempotence=false');
  }
  if (config.transactionalId && config.enableIdempotence === false) {
    throw configError(`${file}: Cannot set a transactional.id without also enabling idempotence.`, 'remove enable.idempotence=false');
  }
  return config;
}

/** Kafka's assignor class names, and the short names this client also accepts. */
const assignorClasses: Readonly<Record<string, string>> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'roundrobin',
  'org.apache.kafka.clients.consumer.StickyAssignor': 'sticky',
  'org.apache.kafka.clients.consumer.CooperativeStickyAssignor': 'cooperative-sticky',
};

function assignors(file: string, entry: PropertyEntry): string[] {
  const names = entry.value.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw invalid(file, entry, 'Value must not be empty');
  return names.map((name) => {
    const short = assignorClasses[name] ?? (name in builtInAssignors ? name : null);
    if (short !== null) return short;
    const nearest = closestKey(name, [...Object.keys(builtInAssignors), ...Object.keys(assignorClasses)]);
    throw invalid(file, entry, `Class ${name} cannot be found.${nearest ? ` Did you mean ${nearest}?` : ''} (Your own assignor goes in code: partitionAssignmentStrategy: [myAssignor].)`);
  });
}

/** Consumer options from `consumer.properties`. */
export function consumerConfigFromProperties(entries: readonly PropertyEntry[], file = 'consumer.properties'): ConsumerConfig {
  checkKeys(file, 'consumer', entries);
  const config: { -readonly [K in keyof ConsumerConfig]: ConsumerConfig[K] } = {};
  for (const entry of entries) {
    switch (entry.key) {
      case 'group.id': config.groupId = nonEmpty(file, entry); break;
      case 'group.instance.id': config.groupInstanceId = nonEmpty(file, entry); break;
      case 'isolation.level': config.isolationLevel = oneOf(file, entry, ['read_committed', 'read_uncommitted']) as 'read_committed' | 'read_uncommitted'; break;
      case 'auto.offset.reset': config.autoOffsetReset = autoOffsetReset(file, entry); break;
      case 'partition.assignment.strategy': config.partitionAssignmentStrategy = assignors(file, entry); break;
      case 'session.timeout.ms': config.sessionTimeoutMs = int(file, entry, 1); break;
      case 'max.poll.interval.ms': config.maxPollIntervalMs = int(file, entry, 1); break;
      case 'max.poll.records': config.maxPollRecords = int(file, entry, 1); break;
    }
  }
  return config;
}

function autoOffsetReset(file: string, entry: PropertyEntry): 'earliest' | 'latest' {
  const value = oneOf(file, entry, ['latest', 'earliest', 'none']);
  if (value === 'none') throw configError(`${where(file, entry)}: auto.offset.reset=none is valid in Kafka but the lab's client does not support it.`, 'use earliest or latest');
  return value as 'earliest' | 'latest';
}

/** Topic configs from a topic's property file, for IncrementalAlterConfigs; values are the broker's to judge. */
export function topicConfigsFromProperties(entries: readonly PropertyEntry[], file = 'topic.properties'): Record<string, string> {
  checkKeys(file, 'topic', entries);
  return Object.fromEntries(entries.map((e) => [e.key, e.value]));
}

/** Keys in the file that Kafka defines but this client ignores, for a note to the learner. */
export function ignoredKeys(file: PropertyFile): string[] {
  const without = keysWithoutEffect(file.kind);
  return parseProperties(file.text).filter((e) => without.includes(e.key)).map((e) => e.key);
}

/** Producer and consumer defaults from a set of files; topic files are left to `applyTopicProperties`. */
export function clientDefaultsFrom(files: readonly PropertyFile[]): ClientDefaults {
  if (files.length > propertyLimits.filesMax) throw configError(`At most ${propertyLimits.filesMax} property files.`);
  let defaults: ClientDefaults = {};
  for (const f of files) {
    if (f.kind === 'producer') defaults = { ...defaults, producer: { ...defaults.producer, ...producerConfigFromProperties(parseProperties(f.text), f.file) } };
    if (f.kind === 'consumer') defaults = { ...defaults, consumer: { ...defaults.consumer, ...consumerConfigFromProperties(parseProperties(f.text), f.file) } };
  }
  return defaults;
}

/** Each topic file's (key-checked) configs, by topic. Throws before anything is applied. */
export function topicConfigsFrom(files: readonly PropertyFile[]): { topic: string; file: string; configs: Record<string, string> }[] {
  return files
    .filter((f) => f.kind === 'topic')
    .map((f) => {
      if (!f.topic) throw configError(`${f.file}: a topic property file must name its topic.`);
      return { topic: f.topic, file: f.file, configs: topicConfigsFromProperties(parseProperties(f.text), f.file) };
    });
}
