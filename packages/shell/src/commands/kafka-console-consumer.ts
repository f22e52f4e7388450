/**
 * kafka-console-consumer: prints records of a topic until Ctrl-C (or --max-messages /
 * --timeout-ms), then Kafka's "Processed a total of N messages". Options and their
 * checks follow Kafka 4.x's ConsoleConsumerOptions; output follows
 * DefaultMessageFormatter (see record-format.ts).
 * Without --group it reads every partition (or --partition) directly, as Kafka's console
 * consumer does with an assigned partition. With --group it joins the group through the
 * engine's group consumer (FindCoordinator, JoinGroup, SyncGroup, heartbeats), starts
 * from the group's committed offsets (else auto.offset.reset: earliest with
 * --from-beginning, latest otherwise), and commits the offsets of what it printed every
 * 5 seconds and when it stops, then leaves the group.
 * Compressed batches are decoded when the host lent the terminal a codec; otherwise they are
 * skipped, with a note.
 */
import { BatchIterator, decodeRecordBatch, type CompressionCodecs, type ErrorName, type FetchedRecord, type FetchResponse, type GroupConsumerApi } from '@kil/engine';
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { explain, Interrupted, ShellError, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';
import { formatRecord, parseProperties } from '../record-format';

const OPTIONS: readonly OptionDef[] = [
  BOOTSTRAP_OPTION,
  { name: 'topic', description: 'The topic to consume on.', arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'include', description: 'Regular expression specifying list of topics to include for consumption.', arg: 'required', describedAs: 'Java regex (String)' },
  { name: 'partition', description: 'The partition to consume from. Consumption starts from the end of the partition unless \'--offset\' is specified.', arg: 'required', describedAs: 'partition', type: 'integer' },
  { name: 'offset', description: "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end", arg: 'required', describedAs: 'consume offset', defaultValue: 'latest', complete: ['earliest', 'latest'] },
  { name: 'from-beginning', description: 'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.' },
  { name: 'group', description: 'The consumer group id of the consumer.', arg: 'required', describedAs: 'consumer group id', complete: 'group' },
  { name: 'max-messages', description: 'The maximum number of messages to consume before exiting. If not set, consumption is continual.', arg: 'required', describedAs: 'num_messages', type: 'integer' },
  { name: 'timeout-ms', description: 'If specified, exit if no message is available for consumption for the specified interval.', arg: 'required', describedAs: 'timeout_ms', type: 'integer' },
  { name: 'isolation-level', description: 'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.', arg: 'required', defaultValue: 'read_uncommitted', complete: ['read_committed', 'read_uncommitted'] },
  { name: 'property', description: 'The properties to initialize the message formatter: print.timestamp, print.key, print.offset, print.partition, print.headers, print.value, key.separator, line.separator, headers.separator, null.literal.', arg: 'required', describedAs: 'prop', complete: ['print.key=true', 'print.offset=true', 'print.partition=true', 'print.timestamp=true', 'print.headers=true', 'key.separator='] },
  { name: 'formatter-config', description: 'Config properties file to initialize the message formatter. Note that [property] takes precedence over this config.', arg: 'required', describedAs: 'config file' },
  { name: 'consumer-property', description: 'A mechanism to pass user-defined properties in the form key=value to the consumer.', arg: 'required', describedAs: 'consumer_prop' },
  { name: 'command-config', description: 'Consumer config properties file. Note that [consumer-property] takes precedence over this config.', arg: 'required', describedAs: 'config file' },
  { name: 'skip-message-on-error', description: 'If there is an error when processing a message, skip it instead of halt.' },
];

export type StartOffset = { readonly kind: 'earliest' | 'latest' } | { readonly kind: 'offset'; readonly offset: number };

export interface ConsumerSettings {
  /** The --topic, or undefined with --include. */
  readonly topic: string | undefined;
  /** The --include regular expression. */
  readonly include: string | undefined;
  readonly partition: number | undefined;
  readonly group: string | undefined;
  readonly start: StartOffset;
  readonly maxMessages: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly readCommitted: boolean;
  readonly formatProps: Readonly<Record<string, string>>;
}

export function consumerSettings(opts: ParsedOptions): ConsumerSettings {
  if (opts.has('topic') === opts.has('include')) throw new UsageError('Exactly one of --include/--topic is required. ', 'add --topic <name>');
  if (opts.has('partition') && !opts.has('topic')) throw new UsageError('The topic is required when partition is specified.');
  if (opts.has('offset') && !opts.has('partition')) throw new UsageError('The partition is required when offset is specified.', 'add --partition <n>');
  if (opts.has('from-beginning') && opts.has('offset')) throw new UsageError('Options from-beginning and offset cannot be specified together.');
  if (opts.has('group') && opts.has('partition')) throw new UsageError('Options group and partition cannot be specified together.', 'a group assigns partitions itself; drop --partition or --group');
  const consumerProps = parseProperties(opts.values('consumer-property'), 'consumer-property');
  const isolation = consumerProps['isolation.level'] ?? opts.value('isolation-level') ?? 'read_uncommitted';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw new ShellError(`Invalid value ${isolation} for configuration isolation.level: String must be one of: read_committed, read_uncommitted`);
  }
  return {
    topic: opts.value('topic'),
    include: opts.value('include'),
    partition: opts.int('partition'),
    group: opts.value('group') ?? consumerProps['group.id'],
    start: startOffset(opts),
    maxMessages: opts.int('max-messages'),
    timeoutMs: opts.int('timeout-ms'),
    readCommitted: isolation === 'read_committed',
    formatProps: parseProperties(opts.values('property')),
  };
}

function startOffset(opts: ParsedOptions): StartOffset {
  if (opts.has('from-beginning')) return { kind: 'earliest' };
  const text = opts.value('offset') ?? 'latest';
  if (text === 'earliest' || text === 'latest') return { kind: text };
  if (!/^\d+$/.test(text)) throw new ShellError("The provided offset value is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.");
  return { kind: 'offset', offset: Number(text) };
}

export function processedLine(count: number): string {
  return `Processed a total of ${count} messages`;
}

export const kafkaConsoleConsumer = kafkaTool({
  name: 'kafka-console-consumer',
  summary: 'Print the records of a topic until Ctrl-C',
  description: 'This tool helps to read data from Kafka topics and outputs it to standard output.',
  options: OPTIONS,
  errorPrefix: '',
  bootstrap: 'missing-required',
  check: (opts) => void consumerSettings(opts),
  async run(opts, env) {
    const settings = consumerSettings(opts);
    const partitions = partitionsToRead(settings, env);
    const topics = [...new Set(partitions.map((p) => p.topic))];
    // The count lives outside consume() so that Ctrl-C, which interrupts it mid-fetch, still reports it.
    const progress = { count: 0, skippedCompressed: false };
    try {
      if (settings.group !== undefined) {
        await consumeInGroup(settings, settings.group, topics, progress, env);
      } else {
        const positions = await startPositions(settings, partitions, env);
        await consume(settings, positions, progress, env);
      }
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
    }
    if (progress.skippedCompressed) env.out.hint('some batches were compressed and this terminal has no codec for them, so their records were skipped');
    env.out.line(processedLine(progress.count));
    return 0;
  },
});

interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** --topic [--partition], or every partition of the non-internal topics matching --include. */
function partitionsToRead(settings: ConsumerSettings, env: CommandEnv): TopicPartition[] {
  const topics = env.cluster.snapshot().topics;
  if (settings.include !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${settings.include})$`);
    } catch {
      throw new ShellError(`Invalid --include pattern: ${settings.include}`, 'it is a regular expression, e.g. --include "orders.*"');
    }
    const matched = topics.filter((t) => !t.internal && pattern.test(t.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (matched.length === 0) throw new ShellError(`No topic matches --include ${settings.include}.`, '`kafka-topics --bootstrap-server localhost:9092 --list` lists the topics');
    return matched.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })).sort((a, b) => a.partition - b.partition));
  }
  const name = settings.topic as string;
  const topic = topics.find((t) => t.name === name);
  if (!topic) throw new ShellError(`Topic ${name} does not exist.`, `create it first: kafka-topics --bootstrap-server localhost:9092 --create --topic ${name}`);
  const all = topic.partitions.map((p) => p.partition).sort((a, b) => a - b);
  if (settings.partition === undefined) return all.map((partition) => ({ topic: name, partition }));
  if (!all.includes(settings.partition)) throw new ShellError(`Partition ${settings.partition} of topic ${name} does not exist; it has partitions ${all.join(', ')}.`);
  return [{ topic: name, partition: settings.partition }];
}

interface Position extends TopicPartition {
  offset: number;
}

async function startPositions(settings: ConsumerSettings, partitions: readonly TopicPartition[], env: CommandEnv): Promise<Map<string, Position>> {
  const positions = new Map<string, Position>();
  for (const { topic, partition } of partitions) {
    if (settings.start.kind === 'offset') {
      positions.set(keyOf(topic, partition), { topic, partition, offset: settings.start.offset });
      continue;
    }
    const timestamp = settings.start.kind === 'earliest' ? -2 : -1;
    const answer = await env.wait(env.cluster.client.listOffsets({ topic, partition, timestamp }));
    if (answer.error) throw answer.error;
    positions.set(keyOf(topic, partition), { topic, partition, offset: answer.offset });
  }
  return positions;
}

const decoder = new TextDecoder();
const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : decoder.decode(bytes));

interface Progress {
  count: number;
  skippedCompressed: boolean;
}

/** Fetches every partition in parallel (long polls of 500 ms) and prints records until a stop condition. */
async function consume(settings: ConsumerSettings, positions: Map<string, Position>, progress: Progress, env: CommandEnv): Promise<void> {
  let lastRecordMs = env.cluster.nowMs();
  let failedRounds = 0;
  for (;;) {
    const responses = await env.wait(
      Promise.all([...positions.values()].map((p) => env.cluster.client.fetch({ topic: p.topic, partition: p.partition, fetchOffset: p.offset, maxWaitMs: 500, isolationLevel: settings.readCommitted ? 'read_committed' : 'read_uncommitted' }))),
    );
    failedRounds = responses.some((r) => r.error) ? failedRounds + 1 : 0;
    if (failedRounds >= 20) throw responses.find((r) => r.error)?.error ?? new ShellError('Fetching kept failing.');
    for (const response of responses) {
      const position = positions.get(keyOf(response.topic, response.partition));
      if (position === undefined) continue;
      for (const record of recordsOf(response, env.codecs, progress)) {
        if (record.offset < position.offset) continue;
        env.out.write(formatRecord({ partition: response.partition, offset: record.offset, timestampMs: record.timestamp, key: text(record.key), value: text(record.value), headers: record.headers.map((h) => [h.key, text(h.value)] as const) }, settings.formatProps));
        position.offset = record.offset + 1;
        lastRecordMs = env.cluster.nowMs();
        if (++progress.count === settings.maxMessages) return;
      }
    }
    if (settings.timeoutMs !== undefined && env.cluster.nowMs() - lastRecordMs >= settings.timeoutMs) {
      env.out.error('ERROR Error processing message, terminating consumer process:  org.apache.kafka.common.errors.TimeoutException');
      return;
    }
  }
}

/**
 * The fetched records, plus those of compressed batches when a codec is at hand (the broker
 * decodes only uncompressed batches). Compressed transactional batches are left to the
 * broker's filtering and stay skipped.
 */
export function recordsOf(response: FetchResponse, codecs: CompressionCodecs | undefined, progress: Progress): readonly FetchedRecord[] {
  const extra: FetchedRecord[] = [];
  const it = new BatchIterator(response.batches);
  while (it.next()) {
    if ((it.attributes & 0x07) === 0 || it.isControl) continue;
    if (codecs === undefined || it.isTransactional) {
      progress.skippedCompressed = true;
      continue;
    }
    try {
      const batch = decodeRecordBatch(response.batches, codecs, it.position);
      for (const r of batch.records) extra.push({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers, leaderEpoch: batch.partitionLeaderEpoch });
    } catch {
      progress.skippedCompressed = true;
    }
  }
  if (extra.length === 0) return response.records;
  return [...response.records, ...extra].sort((a, b) => a.offset - b.offset);
}

/** How often the group consumer commits what it printed (Kafka's auto.commit.interval.ms). */
const COMMIT_INTERVAL_MS = 5_000;

async function consumeInGroup(settings: ConsumerSettings, groupId: string, topics: readonly string[], progress: Progress, env: CommandEnv): Promise<void> {
  const consumer = env.cluster.client.createConsumer({
    groupId,
    topics,
    clientId: 'console-consumer',
    isolationLevel: settings.readCommitted ? 'read_committed' : 'read_uncommitted',
    autoOffsetReset: settings.start.kind === 'earliest' ? 'earliest' : 'latest',
    autoCommit: false,
  });
  consumer.start();
  const printed = new Map<string, Position>();
  let lastCommitMs = env.cluster.nowMs();
  let lastRecordMs = env.cluster.nowMs();
  const startedMs = env.cluster.nowMs();
  let warned = false;
  try {
    for (;;) {
      const records = await env.wait(consumer.poll(500));
      if (!warned && consumer.coordinatorError !== null && env.cluster.nowMs() - startedMs >= COORDINATOR_WARNING_MS) {
        warned = true;
        warnNoCoordinator(consumer, env);
      }
      for (const record of records) {
        env.out.write(formatRecord({ partition: record.partition, offset: record.offset, timestampMs: record.timestamp, key: text(record.key), value: text(record.value), headers: record.headers.map((h) => [h.key, text(h.value)] as const) }, settings.formatProps));
        printed.set(keyOf(record.topic, record.partition), { topic: record.topic, partition: record.partition, offset: record.offset + 1 });
        lastRecordMs = env.cluster.nowMs();
        if (++progress.count === settings.maxMessages) return await finish(consumer, printed, env);
      }
      if (env.cluster.nowMs() - lastCommitMs >= COMMIT_INTERVAL_MS && printed.size > 0) {
        await env.wait(consumer.commit(offsetsOf(printed)));
        lastCommitMs = env.cluster.nowMs();
      }
      if (settings.timeoutMs !== undefined && env.cluster.nowMs() - lastRecordMs >= settings.timeoutMs) {
        env.out.error('ERROR Error processing message, terminating consumer process:  org.apache.kafka.common.errors.TimeoutException');
        return await finish(consumer, printed, env);
      }
    }
  } catch (error) {
    // Ctrl-C: the lab keeps running, so the final commit and LeaveGroup complete on their own.
    if (error instanceof Interrupted) void finishQuietly(consumer, printed).catch(() => undefined);
    throw error;
  }
}

/** How long the group consumer looks for its coordinator before it says why it is waiting. */
const COORDINATOR_WARNING_MS = 3_000;

/** Kafka's client logs this and keeps retrying; the lab adds the reason. */
function warnNoCoordinator(consumer: GroupConsumerApi, env: CommandEnv): void {
  const error = consumer.coordinatorError ?? 'COORDINATOR_NOT_AVAILABLE';
  env.out.error(`WARN [Consumer clientId=${consumer.clientId}, groupId=${consumer.groupId}] Group coordinator is unavailable (${error}); still retrying FindCoordinator.`);
  const why = explain(error as ErrorName);
  env.out.hint(`${why ?? error}. \`kafka-topics --bootstrap-server localhost:9092 --describe --topic __consumer_offsets\` shows whether it exists; \`lab status\` shows which brokers run. Ctrl-C stops the consumer.`);
}

const offsetsOf = (printed: ReadonlyMap<string, Position>): Position[] => [...printed.values()];

async function finish(consumer: GroupConsumerApi, printed: ReadonlyMap<string, Position>, env: CommandEnv): Promise<void> {
  if (printed.size > 0) await env.wait(consumer.commit(offsetsOf(printed)));
  await env.wait(consumer.close());
}

async function finishQuietly(consumer: GroupConsumerApi, printed: ReadonlyMap<string, Position>): Promise<void> {
  try {
    if (printed.size > 0) await consumer.commit(offsetsOf(printed));
  } finally {
    await consumer.close().catch(() => undefined);
  }
}
