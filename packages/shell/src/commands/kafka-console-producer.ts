/**
 * kafka-console-producer: records from text lines, as Kafka 4.x's ConsoleProducer reads
 * them (LineMessageReader: parse.key, key.separator, parse.headers, ignore.error,
 * null.marker for tombstones). Lines come from `--message` (our addition, for runnable
 * lesson snippets: repeatable, no prompt) or interactively from the terminal until
 * Ctrl-D / Ctrl-C, with Kafka's `>` prompt.
 * Producer settings follow Kafka: `--request-required-acks` (default -1, i.e. all),
 * `--compression-codec` (gzip when given without a value), `--producer-property`.
 * With `enable.idempotence=true` or a `transactional.id` the engine's producer client sends
 * (producer id, epoch and sequence numbers; all lines of one command form one transaction,
 * committed at the end, aborted if a record failed). Otherwise each record is a plain
 * produce request, compressed when the host lent the terminal a codec.
 * Deviation: Kafka 3.0+ turns idempotence on implicitly with acks=all (KIP-679); here only
 * an explicit enable.idempotence=true does.
 */
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import type { ProduceRecord, ProduceResponse, ProducerApi } from '@kil/engine';
import { batchPayload, uncompressedNote, type Codec } from '../batches';
import { explain, ShellError, UsageError, type KafkaErrorLike } from '../errors';
import { partitionForKey } from '../partitioner';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';
import { parseLine, parseProperties, type ParsedLine } from '../record-format';

export const PRODUCER_OPTIONS: readonly OptionDef[] = [
  BOOTSTRAP_OPTION,
  { name: 'topic', description: 'REQUIRED: The topic id to produce messages to.', arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'message', description: 'A message to send instead of reading standard input; repeat it for several messages. (Lab extension.)', arg: 'required', describedAs: 'line' },
  { name: 'property', description: 'A mechanism to pass user-defined properties in the form key=value to the message reader: parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, ignore.error, null.marker.', arg: 'required', describedAs: 'prop', complete: ['parse.key=true', 'key.separator=:', 'parse.headers=true', 'ignore.error=true'] },
  { name: 'reader-property', description: 'Same as --property.', arg: 'required', describedAs: 'prop' },
  { name: 'producer-property', description: 'A mechanism to pass user-defined properties in the form key=value to the producer.', arg: 'required', describedAs: 'producer_prop', complete: ['acks=all', 'acks=1', 'acks=0', 'enable.idempotence=true', 'linger.ms=', 'batch.size=', 'compression.type=', 'transactional.id='] },
  { name: 'command-config', description: 'Producer config properties file. Note that [producer-property] takes precedence over this config.', arg: 'required', describedAs: 'config file' },
  { name: 'compression-codec', description: "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without value, then it defaults to 'gzip'", arg: 'optional', describedAs: 'compression-codec', complete: ['none', 'gzip', 'snappy', 'lz4', 'zstd'] },
  { name: 'request-required-acks', description: 'The required `acks` of the producer requests', arg: 'required', describedAs: 'request required acks', defaultValue: '-1', complete: ['-1', 'all', '0', '1'] },
  { name: 'sync', description: 'If set message send requests to the brokers are synchronously, one at a time as they arrive.' },
  { name: 'batch-size', description: 'Number of messages to send in a single batch if they are not being sent synchronously.', arg: 'required', type: 'integer', defaultValue: '16384' },
  { name: 'timeout', description: 'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms.', arg: 'required', type: 'integer', defaultValue: '1000' },
  { name: 'message-send-max-retries', description: 'Number of times the producer retries a failed send.', arg: 'required', type: 'integer', defaultValue: '2147483647' },
  { name: 'retry-backoff-ms', description: 'Before each retry, the producer refreshes the metadata of relevant topics.', arg: 'required', type: 'long', defaultValue: '100' },
  { name: 'request-timeout-ms', description: 'The ack timeout of the producer requests. Value must be non-negative and non-zero.', arg: 'required', type: 'integer', defaultValue: '1500' },
  { name: 'max-block-ms', description: 'The max time that the producer will block for during a send request.', arg: 'required', type: 'long', defaultValue: '60000' },
];

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Shorter than Kafka's 120 s so that a refused write reports back while the learner still waits for it. */
export const DELIVERY_TIMEOUT_MS = 30_000;

export interface ProducerSettings {
  readonly topic: string;
  readonly acks: 'all' | '1' | '0';
  readonly compressionType: string;
  readonly idempotent: boolean;
  readonly transactionalId: string | undefined;
  /** How long retriable errors are retried (delivery.timeout.ms; the lab defaults to 30 s instead of Kafka's 120 s). */
  readonly deliveryTimeoutMs: number;
  readonly readerProps: Readonly<Record<string, string>>;
  readonly producerProps: Readonly<Record<string, string>>;
}

export function producerSettings(opts: ParsedOptions): ProducerSettings {
  const topic = opts.value('topic');
  if (topic === undefined) throw new UsageError('Missing required argument "[topic]"', 'add --topic <name>');
  const producerProps = parseProperties(opts.values('producer-property'), 'producer-property');
  const rawAcks = producerProps['acks'] ?? opts.value('request-required-acks') ?? '-1';
  if (!['all', '-1', '0', '1'].includes(rawAcks)) throw new ShellError(`Invalid value ${rawAcks} for configuration acks: String must be one of: all, -1, 0, 1`, 'acks=all waits for the whole ISR, acks=1 for the leader, acks=0 for nobody');
  const codec = opts.has('compression-codec') ? (opts.value('compression-codec') ?? 'gzip') || 'gzip' : (producerProps['compression.type'] ?? 'none');
  if (!CODECS.includes(codec)) throw new ShellError(`Invalid value ${codec} for configuration compression.type: String must be one of: ${CODECS.join(', ')}`);
  const transactionalId = producerProps['transactional.id'];
  const acks = rawAcks === '-1' ? 'all' : (rawAcks as 'all' | '1' | '0');
  const idempotenceProp = producerProps['enable.idempotence'];
  // Kafka 3.0+ enables idempotence by default unless acks is not all (KIP-679).
  const idempotent = idempotenceProp === undefined ? acks === 'all' : idempotenceProp === 'true';
  if (transactionalId !== undefined && !idempotent) throw new ShellError('Cannot set a transactional.id without also enabling idempotence.', 'remove enable.idempotence=false or use acks=all');
  if (idempotenceProp === 'true' && acks !== 'all') throw new ShellError('Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.', 'add --producer-property acks=all');
  return {
    topic,
    acks,
    compressionType: codec,
    idempotent,
    transactionalId,
    deliveryTimeoutMs: Number(producerProps['delivery.timeout.ms'] ?? DELIVERY_TIMEOUT_MS) || DELIVERY_TIMEOUT_MS,
    readerProps: { ...parseProperties(opts.values('reader-property'), 'reader-property'), ...parseProperties(opts.values('property')) },
    producerProps,
  };
}

/** Hands each parsed line to `send`; stops at the end of input or on Ctrl-C. Returns how many were sent. */
export async function readRecords(opts: ParsedOptions, settings: ProducerSettings, env: CommandEnv, send: (record: ParsedLine) => Promise<void>): Promise<number> {
  let lineNumber = 0;
  let sent = 0;
  const messages = opts.values('message');
  if (messages.length > 0 || !env.io.readLine) {
    if (messages.length === 0) throw new UsageError('This terminal has no interactive input here; pass the records with --message', `kafka-console-producer --bootstrap-server localhost:9092 --topic ${settings.topic} --message hello`);
    for (const message of messages) {
      await send(parseLine(message, ++lineNumber, settings.readerProps));
      sent++;
    }
    return sent;
  }
  for (;;) {
    env.out.write('>');
    const line = await Promise.race([env.io.readLine(), abortedAsNull(env.io.signal)]);
    if (line === null) break;
    await send(parseLine(line, ++lineNumber, settings.readerProps));
    sent++;
  }
  env.out.line();
  return sent;
}

function abortedAsNull(signal: AbortSignal): Promise<null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(null), { once: true }));
}

export const kafkaConsoleProducer = kafkaTool({
  name: 'kafka-console-producer',
  summary: 'Write records to a topic from --message or typed lines',
  description: 'This tool helps to read data from standard input and publish it to Kafka.',
  options: PRODUCER_OPTIONS,
  errorPrefix: '',
  bootstrap: 'missing-required',
  check: (opts) => void producerSettings(opts),
  async run(opts, env) {
    const settings = producerSettings(opts);
    const producer = inLabProducer(settings, env);
    const codec = settings.compressionType as Codec;
    if (codec !== 'none' && (producer !== null || env.codecs?.[codec] === undefined)) {
      env.out.hint(producer !== null ? `compression.type=${codec} is not applied: the lab's idempotent producer sends uncompressed batches` : uncompressedNote(codec));
    }
    if (producer?.transactionalId != null) {
      await env.wait(producer.init());
      producer.beginTransaction();
    }
    let partitions: number | undefined;
    let sticky: number | undefined;
    let failed = 0;
    await readRecords(opts, settings, env, async (record) => {
      // Like Kafka's producer, look the topic up at the first send, after the line parsed.
      partitions ??= await ensureTopic(settings.topic, env);
      const partition = record.key !== null ? partitionForKey(record.key, partitions) : (sticky ??= leastLoadedPartition(settings.topic, env));
      const records = [{ key: record.key, value: record.value, headers: record.headers.map(([key, value]) => ({ key, value })), timestamp: env.cluster.nowMs() }];
      const response = await env.wait(producer !== null ? producer.send({ topic: settings.topic, partition, records }) : plainSend(settings, partition, records, env));
      if (response.error) {
        failed++;
        reportSendError(settings.topic, record, response.error, env);
      }
    });
    if (producer?.transactionalId != null) await endTransaction(producer, failed, env);
    producer?.close();
    return failed > 0 ? 1 : 0;
  },
});

/**
 * The engine's producer client when the learner asks for idempotence explicitly or gives a
 * transactional.id; otherwise plain produce requests (which is also what lets a terminal
 * codec compress the batch).
 */
function inLabProducer(settings: ProducerSettings, env: CommandEnv): ProducerApi | null {
  const explicit = settings.producerProps['enable.idempotence'] === 'true';
  if (settings.transactionalId === undefined && !explicit) return null;
  const acks = settings.acks === 'all' ? 'all' : Number(settings.acks) as 0 | 1;
  return env.cluster.client.createProducer({ clientId: 'console-producer', acks, idempotent: true, deliveryTimeoutMs: settings.deliveryTimeoutMs, ...(settings.transactionalId !== undefined ? { transactionalId: settings.transactionalId } : {}) });
}

function plainSend(settings: ProducerSettings, partition: number, records: readonly ProduceRecord[], env: CommandEnv): Promise<ProduceResponse> {
  const { request } = batchPayload(records, settings.compressionType as Codec, env.codecs, env.cluster.nowMs());
  const acks = settings.acks === 'all' ? 'all' : settings.acks === '1' ? 1 : 0;
  return env.cluster.client.produce({ topic: settings.topic, partition, ...request, acks, deliveryTimeoutMs: settings.deliveryTimeoutMs });
}

/** Every line of one command is one transaction: committed when all were sent, aborted otherwise. */
async function endTransaction(producer: ProducerApi, failed: number, env: CommandEnv): Promise<void> {
  if (failed > 0) {
    await env.wait(producer.abortTransaction());
    env.out.hint(`transaction of ${producer.transactionalId} aborted because ${failed} record(s) failed; read_committed consumers will skip what was written`);
    return;
  }
  await env.wait(producer.commitTransaction());
}

const bytes = (text: string | null): string => (text === null ? 'null' : `${new TextEncoder().encode(text).length} bytes`);

function reportSendError(topic: string, record: ParsedLine, error: KafkaErrorLike, env: CommandEnv): void {
  env.out.error(`ERROR Error when sending message to topic ${topic} with key: ${bytes(record.key)}, value: ${bytes(record.value)} with error: ${error.message}`);
  const why = error.suggestion ?? explain(error.errorName);
  env.out.hint(`${error.errorName} (error code ${error.code})${why ? `: ${why}` : ''}`);
}

/** The partition with the shortest log: where a record without a key goes for this whole command. */
function leastLoadedPartition(topic: string, env: CommandEnv): number {
  const partitions = env.cluster.snapshot().topics.find((t) => t.name === topic)?.partitions ?? [];
  const best = [...partitions].sort((a, b) => a.logEndOffset - b.logEndOffset || a.partition - b.partition)[0];
  return best?.partition ?? 0;
}

/**
 * The topic's partition count. A missing topic is created by the broker when
 * auto.create.topics.enable is true, as Kafka's producer triggers it through a Metadata
 * request; we then wait until the topic is visible.
 */
export async function ensureTopic(topic: string, env: CommandEnv): Promise<number> {
  const count = (): number => env.cluster.snapshot().topics.find((t) => t.name === topic)?.partitions.length ?? 0;
  if (count() > 0) return count();
  const broker = env.cluster.snapshot().brokers.find((b) => b.state === 'running');
  if (!broker) throw new ShellError('No broker is running, so the topic cannot be found or created.', '`broker start <id>`');
  await env.wait(env.cluster.broker(broker.id).metadata([topic], { autoCreate: true }));
  for (let attempt = 0; attempt < 50 && count() === 0; attempt++) await env.wait(env.cluster.admin.listTopics());
  if (count() === 0) {
    throw new ShellError(`Topic ${topic} not present in metadata after 60000 ms.`, `create it first: kafka-topics --bootstrap-server localhost:9092 --create --topic ${topic}`);
  }
  env.out.hint(`topic ${topic} did not exist; the broker created it because auto.create.topics.enable=true`);
  return count();
}
