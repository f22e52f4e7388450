/**
 * kafka-console-consumer: prints records of a topic until Ctrl-C (or --max-messages /
 * --timeout-ms), then Kafka's "Processed a total of N messages". Options and their
 * checks follow Kafka 4.x's ConsoleConsumerOptions; output follows
 * DefaultMessageFormatter (see record-format.ts).
 */
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { Interrupted, notAvailable, ShellError, UsageError } from '../errors';
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
  readonly topic: string;
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
  if (opts.has('include')) throw notAvailable('Consuming by --include pattern');
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
    topic: opts.value('topic') as string,
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
    if (settings.group !== undefined) env.out.hint(`consumer groups are not available in this lab yet: reading every partition without committing offsets for group ${settings.group}`);
    // The count lives outside consume() so that Ctrl-C, which interrupts it mid-fetch, still reports it.
    const progress = { count: 0 };
    try {
      const positions = await startPositions(settings, partitions, env);
      await consume(settings, positions, progress, env);
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
    }
    env.out.line(processedLine(progress.count));
    return 0;
  },
});

function partitionsToRead(settings: ConsumerSettings, env: CommandEnv): number[] {
  const topic = env.cluster.snapshot().topics.find((t) => t.name === settings.topic);
  if (!topic) throw new ShellError(`Topic ${settings.topic} does not exist.`, `create it first: kafka-topics --bootstrap-server localhost:9092 --create --topic ${settings.topic}`);
  const all = topic.partitions.map((p) => p.partition).sort((a, b) => a - b);
  if (settings.partition === undefined) return all;
  if (!all.includes(settings.partition)) throw new ShellError(`Partition ${settings.partition} of topic ${settings.topic} does not exist; it has partitions ${all.join(', ')}.`);
  return [settings.partition];
}

async function startPositions(settings: ConsumerSettings, partitions: readonly number[], env: CommandEnv): Promise<Map<number, number>> {
  const positions = new Map<number, number>();
  for (const partition of partitions) {
    if (settings.start.kind === 'offset') {
      positions.set(partition, settings.start.offset);
      continue;
    }
    const timestamp = settings.start.kind === 'earliest' ? -2 : -1;
    const answer = await env.wait(env.cluster.client.listOffsets({ topic: settings.topic, partition, timestamp }));
    if (answer.error) throw answer.error;
    positions.set(partition, answer.offset);
  }
  return positions;
}

const decoder = new TextDecoder();
const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : decoder.decode(bytes));

/** Fetches every partition in parallel (long polls of 500 ms) and prints records until a stop condition. */
async function consume(settings: ConsumerSettings, positions: Map<number, number>, progress: { count: number }, env: CommandEnv): Promise<void> {
  let lastRecordMs = env.cluster.nowMs();
  let failedRounds = 0;
  for (;;) {
    const responses = await env.wait(
      Promise.all([...positions].map(([partition, fetchOffset]) => env.cluster.client.fetch({ topic: settings.topic, partition, fetchOffset, maxWaitMs: 500, isolationLevel: settings.readCommitted ? 'read_committed' : 'read_uncommitted' }))),
    );
    failedRounds = responses.some((r) => r.error) ? failedRounds + 1 : 0;
    if (failedRounds >= 20) throw responses.find((r) => r.error)?.error ?? new ShellError('Fetching kept failing.');
    for (const response of responses) {
      for (const record of response.records) {
        if (record.offset < (positions.get(response.partition) ?? 0)) continue;
        env.out.write(formatRecord({ partition: response.partition, offset: record.offset, timestampMs: record.timestamp, key: text(record.key), value: text(record.value), headers: record.headers.map((h) => [h.key, text(h.value)] as const) }, settings.formatProps));
        positions.set(response.partition, record.offset + 1);
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
