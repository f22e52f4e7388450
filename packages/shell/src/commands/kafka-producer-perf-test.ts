/**
 * kafka-producer-perf-test: write N records of a given size at a target rate and report
 * throughput and latency the way Kafka's ProducerPerformance prints them, measured in the
 * lab's virtual time:
 *   50000 records sent, 9998.0 records/sec (9.76 MB/sec), 2.3 ms avg latency, 25.0 ms max latency.
 *   50000 records sent, 9998.000400 records/sec (...), 2.30 ms avg latency, 25.00 ms max latency, 2 ms 50th, 5 ms 95th, 9 ms 99th, 20 ms 99.9th.
 * A window line appears every 5 seconds of virtual time, the summary line at the end.
 * The producer batches as Kafka's does: records without keys fill one partition's batch up
 * to batch.size and then move on (KIP-794's sticky behaviour), with at most
 * max.in.flight.requests.per.connection (5) batches in flight per broker; --throughput
 * paces record creation against the virtual clock (ThroughputThrottler).
 * `--producer-props` takes several k=v words after one flag, as Kafka's argparse does.
 * Deviations: a record's latency runs from the creation of its batch to the broker's
 * acknowledgement, so time waiting for buffer space (buffer.memory) is not counted.
 * --payload-file reads a lab file, splits it at --payload-delimiter (a plain string here;
 * Kafka takes a regular expression) and sends a payload picked at random for each record,
 * from a fixed seed so that runs repeat.
 */
import type { ProduceRecord, ProduceResponse } from '@kil/engine';
import type { OptionDef, ParsedOptions } from '../args';
import { checkBootstrap } from '../bootstrap';
import { batchPayload, uncompressedNote, type Codec } from '../batches';
import type { CommandEnv } from '../command';
import { exceptionName, explain, Interrupted, ShellError, UsageError } from '../errors';
import { kafkaTool } from '../kafka-tool';
import { parseProperties } from '../record-format';
import { ensureTopic } from './kafka-console-producer';

const OPTIONS: readonly OptionDef[] = [
  { name: 'bootstrap-server', description: 'The server(s) to connect to. This config takes precedence over bootstrap.servers specified via --command-config or --producer-props.', arg: 'required', describedAs: 'BOOTSTRAP-SERVERS' },
  { name: 'topic', description: 'Produce messages to this topic.', arg: 'required', describedAs: 'TOPIC', complete: 'topic' },
  { name: 'num-records', description: 'Number of messages to produce.', arg: 'required', describedAs: 'NUM-RECORDS', type: 'long' },
  { name: 'record-size', description: 'Message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.', arg: 'required', describedAs: 'RECORD-SIZE', type: 'integer' },
  { name: 'payload-file', description: 'File to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.', arg: 'required', describedAs: 'PAYLOAD-FILE' },
  { name: 'payload-delimiter', description: 'Provides the delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided.', arg: 'required', describedAs: 'PAYLOAD-DELIMITER', defaultValue: '\\n' },
  { name: 'payload-monotonic', description: 'Payload is monotonically increasing integer.' },
  { name: 'throughput', description: 'Throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.', arg: 'required', describedAs: 'THROUGHPUT', type: 'double' },
  { name: 'producer-props', description: 'Kafka producer related configuration properties like bootstrap.servers,client.id etc. Several PROP-NAME=PROP-VALUE words may follow one flag.', arg: 'required', describedAs: 'PROP-NAME=PROP-VALUE', complete: ['acks=all', 'acks=1', 'acks=0', 'linger.ms=', 'batch.size=', 'compression.type='] },
  { name: 'command-config', description: 'Producer config properties file.', arg: 'required', describedAs: 'CONFIG-FILE' },
  { name: 'print-metrics', description: 'Print out metrics at the end of the test.' },
  { name: 'transactional-id', description: 'The transactional id to use.', arg: 'required', describedAs: 'TRANSACTIONAL-ID' },
  { name: 'transaction-duration-ms', description: 'The max age of each transaction.', arg: 'required', type: 'long' },
];

/** Kafka's reporting interval for the window lines. */
const REPORTING_INTERVAL_MS = 5_000;
const MAX_IN_FLIGHT_PER_BROKER = 5;
/** A lab is small: a perf test may write at most this many records. */
export const MAX_PERF_RECORDS = 1_000_000;

function checkArgs(opts: ParsedOptions): void {
  for (const required of ['topic', 'num-records', 'throughput']) {
    if (!opts.has(required)) throw new UsageError(`argument --${required} is required`, 'for example: kafka-producer-perf-test --topic orders --num-records 1000 --record-size 100 --throughput 100 --producer-props acks=all');
  }
  const sources = ['record-size', 'payload-file', 'payload-monotonic'].filter((o) => opts.has(o));
  if (sources.length === 0) throw new UsageError('one of the following arguments is required: --record-size, --payload-file, --payload-monotonic');
  if (sources.length > 1) throw new UsageError(`argument --${sources[1]}: not allowed with argument --${sources[0]}`);
}

/** `\n`, `\t` and `\\` as typed on the command line mean the characters themselves. */
function unescapeDelimiter(text: string): string {
  return text.replace(/\\(n|t|r|\\)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\'));
}

/**
 * --payload-file: the lab file split at the delimiter, as ProducerPerformance reads it (its
 * String.split drops trailing empty pieces, so a final newline adds no empty payload).
 */
export function readPayloads(text: string, delimiter: string): Uint8Array[] {
  const pieces = text.split(delimiter);
  while (pieces.length > 0 && pieces.at(-1) === '') pieces.pop();
  const encoder = new TextEncoder();
  return pieces.map((p) => encoder.encode(p));
}

function loadPayloads(opts: ParsedOptions, env: CommandEnv): Uint8Array[] | null {
  const file = opts.value('payload-file');
  if (file === undefined) return null;
  env.out.line(`Reading payloads from: ${file}`);
  const text = env.files.has(file) ? env.files.read(file) : '';
  const payloads = text === '' ? [] : readPayloads(text, unescapeDelimiter(opts.value('payload-delimiter') ?? '\\n'));
  if (payloads.length === 0) {
    const names = env.files.list().map((f) => f.name);
    throw new ShellError('File does not exist or empty file provided.', names.length > 0 ? `files in this lab: ${names.join(', ')} (\`ls\`); \`write ${file} '...'\` creates one` : `\`write ${file} '<payload>'\` creates one`);
  }
  env.out.line(`Number of messages read: ${payloads.length}`);
  return payloads;
}

interface PerfSettings {
  readonly topic: string;
  readonly numRecords: number;
  readonly recordSize: number | null;
  /** --payload-file's payloads; one is picked at random for each record. */
  readonly payloads: readonly Uint8Array[] | null;
  readonly throughput: number;
  readonly acks: -1 | 0 | 1;
  readonly batchSizeBytes: number;
  readonly codec: Codec;
  /** With a transactional id, batches go through the engine's transactional producer. */
  readonly transactionalId: string | undefined;
  /** --transaction-duration-ms: commit after a transaction has been open this long. */
  readonly transactionDurationMs: number;
}

function perfSettings(opts: ParsedOptions, payloads: readonly Uint8Array[] | null): PerfSettings {
  // argparse's nargs='+': every key=value word that follows belongs to --producer-props.
  const props = parseProperties([...opts.values('producer-props'), ...opts.nonOptions.filter((w) => w.includes('='))], 'producer-props');
  const stray = opts.nonOptions.filter((w) => !w.includes('='));
  if (stray.length > 0) throw new UsageError(`unrecognized arguments: '${stray.join(' ')}'`);
  const bootstrap = opts.value('bootstrap-server') ?? props['bootstrap.servers'];
  if (bootstrap === undefined) throw new UsageError('Either --bootstrap-server or bootstrap.servers in --producer-props must be specified', 'add --bootstrap-server localhost:9092');
  const transactionalId = opts.value('transactional-id') ?? props['transactional.id'];
  const numRecords = Number(opts.value('num-records'));
  if (numRecords < 1 || numRecords > MAX_PERF_RECORDS) throw new ShellError(`--num-records must be between 1 and ${MAX_PERF_RECORDS} in this lab`);
  const acksText = props['acks'] ?? 'all';
  if (!['all', '-1', '0', '1'].includes(acksText)) throw new ShellError(`Invalid value ${acksText} for configuration acks: String must be one of: all, -1, 0, 1`);
  const codec = (props['compression.type'] ?? 'none') as Codec;
  if (!['none', 'gzip', 'snappy', 'lz4', 'zstd'].includes(codec)) throw new ShellError(`Invalid value ${codec} for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd`);
  const recordSize = opts.has('record-size') ? Number(opts.value('record-size')) : null;
  if (recordSize !== null && (recordSize < 1 || recordSize > 1_000_000)) throw new ShellError('--record-size must be between 1 and 1000000 bytes in this lab');
  return {
    topic: opts.value('topic') as string,
    numRecords,
    recordSize,
    payloads,
    throughput: Number(opts.value('throughput')),
    acks: acksText === '0' ? 0 : acksText === '1' ? 1 : -1,
    batchSizeBytes: Math.max(1, Number(props['batch.size'] ?? 16_384) || 16_384),
    codec,
    transactionalId,
    transactionDurationMs: Math.max(1, Number(opts.value('transaction-duration-ms') ?? 3_000)),
  };
}

export const kafkaProducerPerfTest = kafkaTool({
  name: 'kafka-producer-perf-test',
  summary: 'Measure producer throughput and latency',
  description: 'This tool is used to verify the producer performance.',
  options: OPTIONS,
  errorPrefix: '',
  check: checkArgs,
  async run(opts, env) {
    const settings = perfSettings(opts, loadPayloads(opts, env));
    checkBootstrap(opts.value('bootstrap-server') ?? 'localhost:9092', env.cluster.snapshot());
    const partitions = await ensureTopic(settings.topic, env);
    if (settings.codec !== 'none' && env.codecs?.[settings.codec] === undefined) env.out.hint(uncompressedNote(settings.codec));
    const stats = new PerfStats(env.cluster.nowMs(), settings.numRecords, (line) => env.out.line(line));
    try {
      await produceAll(settings, partitions, stats, env);
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
    }
    if (stats.failed > MAX_PRINTED_FAILURES) env.out.hint(`${stats.failed} records failed in all; only the first ${MAX_PRINTED_FAILURES} are printed`);
    env.out.line(stats.summary(env.cluster.nowMs()));
    return stats.failed > 0 ? 1 : 0;
  },
});

/** The command's seeded randomness: a linear congruential generator, so that runs repeat. */
function seededRandom(): () => number {
  let seed = 0x2545f491;
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
}

/** Kafka fills its payload once with random capital letters; a fixed seed keeps runs repeatable. */
function payloadOf(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const random = seededRandom();
  for (let i = 0; i < size; i++) bytes[i] = 65 + (random() % 26);
  return bytes;
}

/** The value of record `index`: a payload from the file picked at random, the fixed payload, or the index itself. */
function valueSource(settings: PerfSettings): (index: number) => Uint8Array {
  const payloads = settings.payloads;
  if (payloads !== null) {
    const random = seededRandom();
    return () => payloads[random() % payloads.length] as Uint8Array;
  }
  const fixed = settings.recordSize === null ? null : payloadOf(settings.recordSize);
  return (index) => fixed ?? new TextEncoder().encode(String(index));
}

/** A typical record's size, for filling batches; null for --payload-monotonic. */
function typicalSize(settings: PerfSettings): number | null {
  if (settings.payloads !== null) return Math.max(1, Math.round(settings.payloads.reduce((n, p) => n + p.length, 0) / settings.payloads.length));
  return settings.recordSize;
}

async function produceAll(settings: PerfSettings, partitions: number, stats: PerfStats, env: CommandEnv): Promise<void> {
  if (settings.transactionalId !== undefined) return produceTransactional(settings, settings.transactionalId, partitions, stats, env);
  const valueOf = valueSource(settings);
  const size = typicalSize(settings);
  const perBatch = size === null ? Math.max(1, Math.floor(settings.batchSizeBytes / 16)) : Math.max(1, Math.floor(settings.batchSizeBytes / (size + 20)));
  const brokers = Math.max(1, env.cluster.snapshot().brokers.filter((b) => b.state === 'running').length);
  const inFlight = new Set<Promise<void>>();
  const startMs = env.cluster.nowMs();
  let next = 0;
  let partition = 0;
  const errors = { reported: 0 };
  while (next < settings.numRecords) {
    let count = Math.min(perBatch, settings.numRecords - next);
    if (settings.throughput > 0) {
      // ThroughputThrottler: never get ahead of `throughput` records per second of virtual time.
      const dueMs = startMs + (next * 1000) / settings.throughput;
      if (env.cluster.nowMs() < dueMs) await env.wait(env.cluster.sleep(Math.ceil(dueMs - env.cluster.nowMs())));
      const dueNow = Math.floor(((env.cluster.nowMs() - startMs) * settings.throughput) / 1000) + 1 - next;
      count = Math.max(1, Math.min(count, dueNow));
    }
    while (inFlight.size >= MAX_IN_FLIGHT_PER_BROKER * brokers) await env.wait(Promise.race(inFlight));
    const createdMs = env.cluster.nowMs();
    const records: ProduceRecord[] = [];
    for (let i = 0; i < count; i++) records.push({ value: valueOf(next + i), timestamp: createdMs });
    const bytes = records.reduce((n, r) => n + (r.value as Uint8Array).length, 0);
    const { request } = batchPayload(records, settings.codec, env.codecs, createdMs);
    const send = env.cluster.client
      .produce({ topic: settings.topic, partition, ...request, acks: settings.acks, deliveryTimeoutMs: 120_000 })
      .then((response) => onAck(response, count, bytes, createdMs, stats, errors, env));
    const tracked: Promise<void> = send.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    next += count;
    partition = (partition + 1) % partitions;
  }
  await env.wait(Promise.all(inFlight));
}

/**
 * The transactional run: one batch at a time through the engine's transactional producer
 * (which keeps one request in flight), committing whenever the open transaction is
 * --transaction-duration-ms old, and at the end.
 */
async function produceTransactional(settings: PerfSettings, transactionalId: string, partitions: number, stats: PerfStats, env: CommandEnv): Promise<void> {
  const valueOf = valueSource(settings);
  const perBatch = Math.max(1, Math.floor(settings.batchSizeBytes / ((typicalSize(settings) ?? 8) + 20)));
  const producer = env.cluster.client.createProducer({ clientId: 'perf-producer', transactionalId, acks: 'all' });
  const errors = { reported: 0 };
  await env.wait(producer.init());
  producer.beginTransaction();
  let openedMs = env.cluster.nowMs();
  const startMs = env.cluster.nowMs();
  try {
    for (let next = 0, partition = 0; next < settings.numRecords; partition = (partition + 1) % partitions) {
      if (settings.throughput > 0) {
        const dueMs = startMs + (next * 1000) / settings.throughput;
        if (env.cluster.nowMs() < dueMs) await env.wait(env.cluster.sleep(Math.ceil(dueMs - env.cluster.nowMs())));
      }
      const count = Math.min(perBatch, settings.numRecords - next, settings.throughput > 0 ? Math.max(1, Math.floor(((env.cluster.nowMs() - startMs) * settings.throughput) / 1000) + 1 - next) : perBatch);
      const createdMs = env.cluster.nowMs();
      const records = Array.from({ length: count }, (_, i) => ({ value: valueOf(next + i), timestamp: createdMs }));
      const response = await env.wait(producer.send({ topic: settings.topic, partition, records }));
      onAck(response, count, records.reduce((n, r) => n + r.value.length, 0), createdMs, stats, errors, env);
      next += count;
      if (env.cluster.nowMs() - openedMs >= settings.transactionDurationMs) {
        await env.wait(producer.commitTransaction());
        producer.beginTransaction();
        openedMs = env.cluster.nowMs();
      }
    }
    await env.wait(producer.commitTransaction());
  } finally {
    producer.close();
  }
}

/** Failed records print one exception line each, as Kafka's callback does, up to a limit; then they are only counted. */
const MAX_PRINTED_FAILURES = 10;

function onAck(response: ProduceResponse, count: number, bytes: number, createdMs: number, stats: PerfStats, errors: { reported: number }, env: CommandEnv): void {
  const error = response.error;
  if (error === null) {
    stats.record(count, bytes, env.cluster.nowMs() - createdMs, env.cluster.nowMs());
    return;
  }
  stats.failed += count;
  for (let i = 0; i < count && errors.reported < MAX_PRINTED_FAILURES; i++, errors.reported++) {
    env.out.error(`org.apache.kafka.common.errors.${exceptionName(error.errorName)}: ${error.message}`);
    if (errors.reported === 0) env.out.hint(`${error.errorName} (error code ${error.code})${explain(error.errorName) ? `: ${explain(error.errorName)}` : ''}`);
  }
}

/** Kafka's ProducerPerformance.Stats: totals, a reporting window, and latency samples. */
export class PerfStats {
  count = 0;
  failed = 0;
  private bytes = 0;
  private maxLatencyMs = 0;
  private totalLatencyMs = 0;
  private readonly latencies: number[] = [];
  private window = { startMs: 0, count: 0, bytes: 0, maxLatencyMs: 0, totalLatencyMs: 0 };

  constructor(
    private readonly startMs: number,
    expected: number,
    private readonly print: (line: string) => void,
  ) {
    this.window.startMs = startMs;
    this.sampleEvery = Math.max(1, Math.floor(expected / 500_000));
  }

  private readonly sampleEvery: number;

  record(records: number, bytes: number, latencyMs: number, nowMs: number): void {
    for (let i = 0; i < records; i++) if ((this.count + i) % this.sampleEvery === 0) this.latencies.push(latencyMs);
    this.count += records;
    this.bytes += bytes;
    this.totalLatencyMs += latencyMs * records;
    this.maxLatencyMs = Math.max(this.maxLatencyMs, latencyMs);
    const w = this.window;
    w.count += records;
    w.bytes += bytes;
    w.totalLatencyMs += latencyMs * records;
    w.maxLatencyMs = Math.max(w.maxLatencyMs, latencyMs);
    if (nowMs - w.startMs >= REPORTING_INTERVAL_MS) {
      this.print(windowLine(w.count, w.bytes, nowMs - w.startMs, w.totalLatencyMs, w.maxLatencyMs));
      this.window = { startMs: nowMs, count: 0, bytes: 0, maxLatencyMs: 0, totalLatencyMs: 0 };
    }
  }

  summary(nowMs: number): string {
    const elapsedMs = Math.max(1, nowMs - this.startMs);
    const perSec = (1000 * this.count) / elapsedMs;
    const mbPerSec = (1000 * this.bytes) / elapsedMs / (1024 * 1024);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
    const avg = this.count === 0 ? 0 : this.totalLatencyMs / this.count;
    return (
      `${this.count} records sent, ${perSec.toFixed(6)} records/sec (${mbPerSec.toFixed(2)} MB/sec), ${avg.toFixed(2)} ms avg latency, ${this.maxLatencyMs.toFixed(2)} ms max latency, ` +
      `${pct(0.5)} ms 50th, ${pct(0.95)} ms 95th, ${pct(0.99)} ms 99th, ${pct(0.999)} ms 99.9th.`
    );
  }
}

function windowLine(count: number, bytes: number, elapsedMs: number, totalLatencyMs: number, maxLatencyMs: number): string {
  const perSec = (1000 * count) / elapsedMs;
  const mbPerSec = (1000 * bytes) / elapsedMs / (1024 * 1024);
  return `${count} records sent, ${perSec.toFixed(1)} records/sec (${mbPerSec.toFixed(2)} MB/sec), ${(totalLatencyMs / Math.max(1, count)).toFixed(1)} ms avg latency, ${maxLatencyMs.toFixed(1)} ms max latency.`;
}
