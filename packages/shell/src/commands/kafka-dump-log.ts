/**
 * kafka-dump-log: decode a partition's segment (.log), offset index (.index) or time index
 * (.timeindex) files as Kafka's DumpLogSegments prints them:
 *   Dumping orders-0/00000000000000000000.log
 *   Log starting offset: 0
 *   baseOffset: 0 lastOffset: 2 count: 3 baseSequence: -1 lastSequence: -1 producerId: -1 ... isvalid: true
 *   | offset: 0 CreateTime: 1000 keySize: 1 valueSize: 1 sequence: -1 headerKeys: [] key: k payload: v
 * Files are read from a broker's log directory through the cluster's read-only view, like
 * the real tool reads a disk: it works on a stopped or crashed broker too and then shows
 * what survived. `--broker N` (lab extension) picks whose copy to read; by default the
 * partition leader's (or the first replica's when there is no leader).
 * Deviations: records of compressed batches print only when the host lent the terminal a
 * codec (the header always prints); the offsets, transaction-log and metadata decoders are refused because
 * the lab's internal topics do not hold Kafka's binary record formats.
 */
import { controlRecordType, dumpBatches, type CompressionCodecs, type DumpedBatch, type KafkaRecord } from '@kil/engine';
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { ShellError, UsageError } from '../errors';
import { kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  { name: 'files', description: 'REQUIRED: The comma separated list of data and index log files to be dumped, as <topic>-<partition>/<file>.', arg: 'required', describedAs: 'file1, file2, ...' },
  { name: 'print-data-log', description: 'If set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified.' },
  { name: 'deep-iteration', description: 'If set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled.' },
  { name: 'verify-index-only', description: 'If set, just verify the index log without printing its content.' },
  { name: 'index-sanity-check', description: 'If set, just checks the index sanity without printing its content.' },
  { name: 'max-bytes', description: 'Limit the amount of total batches read in bytes avoiding reading the whole .log file(s).', arg: 'required', type: 'integer', defaultValue: '2147483647' },
  { name: 'offsets-decoder', description: 'If set, log data will be parsed as offset data from the __consumer_offsets topic.' },
  { name: 'transaction-log-decoder', description: 'If set, log data will be parsed as transaction metadata from the __transaction_state topic.' },
  { name: 'cluster-metadata-decoder', description: 'If set, log data will be parsed as cluster metadata records.' },
  { name: 'skip-record-metadata', description: 'Whether to skip printing metadata for each record.' },
  { name: 'broker', description: "Which broker's copy of the partition to read (lab extension; default: the leader).", arg: 'required', type: 'integer', complete: 'broker' },
];

const DECODERS = ['offsets-decoder', 'transaction-log-decoder', 'cluster-metadata-decoder'];

function checkArgs(opts: ParsedOptions): void {
  if (!opts.has('files')) throw new UsageError('Missing required argument "[files]"', 'for example: kafka-dump-log --files orders-0/00000000000000000000.log --print-data-log');
}

export const kafkaDumpLog = kafkaTool({
  name: 'kafka-dump-log',
  summary: 'Decode a partition log segment, offset index or time index',
  description: 'This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.',
  options: OPTIONS,
  errorPrefix: '',
  check: checkArgs,
  async run(opts, env) {
    const decoder = DECODERS.find((d) => opts.has(d));
    if (decoder !== undefined) {
      throw new ShellError(`--${decoder} is not available in this lab: its internal topics keep typed records, not Kafka's binary formats.`, 'dump the segment without a decoder, or use kafka-consumer-groups / kafka-transactions to read that state');
    }
    const settings: DumpSettings = {
      printData: opts.has('print-data-log') || opts.has('deep-iteration'),
      skipRecordMetadata: opts.has('skip-record-metadata'),
      maxBytes: opts.int('max-bytes') ?? 2147483647,
      sanityOnly: opts.has('index-sanity-check') || opts.has('verify-index-only'),
    };
    const paths = (opts.value('files') as string).split(',').map((p) => p.trim()).filter((p) => p !== '');
    const broker = opts.int('broker');
    for (const path of paths) env.out.write(dumpFile(path, broker, settings, env));
    return 0;
  },
});

interface DumpSettings {
  readonly printData: boolean;
  readonly skipRecordMetadata: boolean;
  readonly maxBytes: number;
  readonly sanityOnly: boolean;
}

interface SegmentFile {
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  readonly name: string;
  readonly baseOffset: number;
  readonly kind: 'log' | 'index' | 'timeindex';
}

/** `orders-0/00000000000000000000.log`, also with a leading data-directory path. */
export function parseSegmentPath(path: string): SegmentFile {
  const parts = path.split('/').filter((p) => p !== '');
  const [dir, name] = parts.slice(-2);
  const dirMatch = dir === undefined ? null : /^(.+)-(\d+)$/.exec(dir);
  const nameMatch = name === undefined ? null : /^(\d{20})\.(log|index|timeindex)$/.exec(name);
  if (!dirMatch || !nameMatch || dir === undefined || name === undefined) {
    throw new ShellError(`${path}: not a segment file this tool can dump`, 'name it <topic>-<partition>/<20-digit base offset>.log (or .index, .timeindex), e.g. orders-0/00000000000000000000.log');
  }
  return { dir, topic: dirMatch[1] as string, partition: Number(dirMatch[2]), name, baseOffset: Number(nameMatch[1]), kind: nameMatch[2] as SegmentFile['kind'] };
}

function dumpFile(path: string, brokerOption: number | undefined, settings: DumpSettings, env: CommandEnv): string {
  const file = parseSegmentPath(path);
  const brokerId = brokerOption ?? defaultBroker(file, env);
  const known = env.cluster.snapshot().brokers.map((b) => b.id);
  if (!known.includes(brokerId)) throw new ShellError(`There is no broker ${brokerId} in this lab.`, `broker ids: ${known.join(', ')}`);
  const logDir = env.cluster.logDir(brokerId);
  const bytes = logDir.read(file.dir, file.name);
  if (bytes === null) {
    const here = logDir.list(file.dir).filter((n) => /\.(log|index|timeindex)$/.test(n));
    const hint = here.length > 0 ? `broker ${brokerId} has ${here.map((n) => `${file.dir}/${n}`).join(', ')}` : `broker ${brokerId} holds no replica of ${file.topic}-${file.partition}; \`kafka-topics --describe --topic ${file.topic}\` shows where its replicas live (pick one with --broker)`;
    throw new ShellError(`${path} (No such file or directory)`, hint);
  }
  const shownPath = `${file.dir}/${file.name}`;
  if (file.kind === 'index') return dumpOffsetIndex(shownPath, file.baseOffset, bytes, settings);
  if (file.kind === 'timeindex') return dumpTimeIndex(shownPath, file.baseOffset, bytes, settings);
  return dumpLogSegment(shownPath, file.baseOffset, bytes, settings, env.codecs);
}

/** The leader's copy, as a learner most often means; the first replica when there is no leader. */
function defaultBroker(file: SegmentFile, env: CommandEnv): number {
  const topic = env.cluster.snapshot().topics.find((t) => t.name === file.topic);
  const partition = topic?.partitions.find((p) => p.partition === file.partition);
  if (partition === undefined) {
    throw new ShellError(`${file.dir}/${file.name} (No such file or directory)`, topic === undefined ? `there is no topic ${file.topic}; \`kafka-topics --bootstrap-server localhost:9092 --list\` lists them` : `${file.topic} has partitions 0..${topic.partitions.length - 1}`);
  }
  return partition.leader >= 0 ? partition.leader : (partition.replicas[0] ?? 1);
}

function dumpLogSegment(path: string, baseOffset: number, bytes: Uint8Array, settings: DumpSettings, codecs: CompressionCodecs | undefined): string {
  const lines = [`Dumping ${path}`, `Log starting offset: ${baseOffset}`];
  const batches = dumpBatches(limitBytes(bytes, settings.maxBytes), { printDataLog: settings.printData, ...(codecs ? { codecs } : {}) });
  for (const batch of batches) {
    lines.push(batchLine(batch));
    const noCodec = settings.printData && batch.isValid && batch.compression !== 'none' && batch.records === undefined && codecs?.[batch.compression] === undefined;
    if (noCodec) lines.push(`| (records of this ${batch.compression} batch are not shown: this terminal has no ${batch.compression} codec)`);
    else if (batch.error !== undefined) lines.push(`| error: ${batch.error}`);
    if (settings.printData) for (const record of batch.records ?? []) lines.push(recordLine(record, batch, settings.skipRecordMetadata));
  }
  return lines.join('\n') + '\n';
}

/** Whole batches within the first `maxBytes` bytes, as --max-bytes limits the read. */
function limitBytes(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.length <= maxBytes) return bytes;
  let end = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (end + 12 <= bytes.length) {
    const next = end + 12 + view.getInt32(end + 8);
    if (next > maxBytes) break;
    end = next;
  }
  return bytes.subarray(0, end);
}

export function batchLine(b: DumpedBatch): string {
  const lastSequence = b.baseSequence < 0 ? -1 : b.baseSequence + b.lastOffsetDelta;
  const horizon = b.hasDeleteHorizon ? `OptionalLong[${b.baseTimestamp}]` : 'OptionalLong.empty';
  return (
    `baseOffset: ${b.baseOffset} lastOffset: ${b.lastOffset} count: ${b.recordsCount} baseSequence: ${b.baseSequence} lastSequence: ${lastSequence} ` +
    `producerId: ${b.producerId} producerEpoch: ${b.producerEpoch} partitionLeaderEpoch: ${b.partitionLeaderEpoch} isTransactional: ${b.isTransactional} ` +
    `isControl: ${b.isControl} deleteHorizonMs: ${horizon} position: ${b.position} ${b.timestampType}: ${b.maxTimestamp} size: ${b.sizeBytes} ` +
    `magic: ${b.magic} compresscodec: ${b.compression} crc: ${b.crc >>> 0} isvalid: ${b.isValid}`
  );
}

const text = new TextDecoder();

/** Kafka prints the key only when the record has one, then the payload (or an end-transaction marker). */
export function recordLine(r: KafkaRecord, b: DumpedBatch, skipMetadata: boolean): string {
  const sequence = b.baseSequence < 0 ? -1 : b.baseSequence + (r.offset - b.baseOffset);
  const meta = `| offset: ${r.offset} ${b.timestampType}: ${r.timestamp} keySize: ${r.key?.length ?? -1} valueSize: ${r.value?.length ?? -1} sequence: ${sequence} headerKeys: [${r.headers.map((h) => h.key).join(',')}]`;
  let content: string;
  if (b.isControl) {
    const type = controlRecordType(r.key) ?? 'UNKNOWN';
    const epoch = r.value !== null && r.value.length >= 6 ? new DataView(r.value.buffer, r.value.byteOffset, r.value.byteLength).getInt32(2) : -1;
    content = `endTxnMarker: ${type} coordinatorEpoch: ${epoch}`;
  } else {
    content = `${r.key !== null ? `key: ${text.decode(r.key)} ` : ''}payload: ${r.value === null ? 'null' : text.decode(r.value)}`;
  }
  return skipMetadata ? `| ${content}` : `${meta} ${content}`;
}

function dumpOffsetIndex(path: string, baseOffset: number, bytes: Uint8Array, settings: DumpSettings): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: Array<{ offset: number; position: number }> = [];
  for (let at = 0; at + 8 <= bytes.length; at += 8) entries.push({ offset: baseOffset + view.getInt32(at), position: view.getInt32(at + 4) });
  if (settings.sanityOnly) return sanity(path, entries.map((e) => e.offset));
  return [`Dumping ${path}`, ...entries.map((e) => `offset: ${e.offset} position: ${e.position}`)].join('\n') + '\n';
}

function dumpTimeIndex(path: string, baseOffset: number, bytes: Uint8Array, settings: DumpSettings): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: Array<{ timestamp: number; offset: number }> = [];
  for (let at = 0; at + 12 <= bytes.length; at += 12) entries.push({ timestamp: Number(view.getBigInt64(at)), offset: baseOffset + view.getInt32(at + 8) });
  if (settings.sanityOnly) return sanity(path, entries.map((e) => e.offset));
  return [`Dumping ${path}`, ...entries.map((e) => `timestamp: ${e.timestamp} offset: ${e.offset}`)].join('\n') + '\n';
}

/** Kafka's index sanity check: entries must strictly increase. */
function sanity(path: string, offsets: readonly number[]): string {
  const bad = offsets.findIndex((o, i) => i > 0 && o <= (offsets[i - 1] as number));
  return bad < 0 ? `${path} passed sanity check.\n` : `${path} failed sanity check: entry ${bad} (offset ${offsets[bad]}) does not follow offset ${offsets[bad - 1]}.\n`;
}
