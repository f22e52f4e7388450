/**
 * kafka-consumer-perf-test: read N records as fast as possible and print Kafka's
 * ConsumerPerformance lines, measured in the lab's virtual time:
 *   start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
 *   1970-01-01 00:00:05:000, 1970-01-01 00:00:05:120, 9.5367, 79.4725, 50000, 416666.6667, 0, 120, 79.4725, 416666.6667
 * Times are virtual (the lab clock starts at the epoch). Every partition is fetched in
 * parallel from the earliest offset (--from-latest: the end) with fetch-size bytes per
 * request until --messages records arrived or --timeout passed without records.
 * Deviation: the consumer reads without joining --group (rebalance.time.ms is 0).
 */
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { Interrupted, ShellError, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  BOOTSTRAP_OPTION,
  { name: 'topic', description: 'REQUIRED: The topic to consume from.', arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'messages', description: 'REQUIRED: The number of messages to consume.', arg: 'required', describedAs: 'count', type: 'long' },
  { name: 'group', description: 'The group id to consume on.', arg: 'required', describedAs: 'gid', defaultValue: 'perf-consumer-<n>' },
  { name: 'fetch-size', description: 'The amount of data to fetch in a single request.', arg: 'required', describedAs: 'size', type: 'integer', defaultValue: '1048576' },
  { name: 'from-latest', description: 'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.' },
  { name: 'reporting-interval', description: 'Interval in milliseconds at which to print progress info.', arg: 'required', describedAs: 'interval_ms', type: 'long', defaultValue: '5000' },
  { name: 'show-detailed-stats', description: 'If set, stats are reported for each reporting interval as configured by reporting-interval' },
  { name: 'timeout', description: 'The maximum allowed time in milliseconds between returned records.', arg: 'required', type: 'long', defaultValue: '10000' },
  { name: 'hide-header', description: 'If set, skips printing the header for the stats' },
  { name: 'command-config', description: 'Config properties file.', arg: 'required', describedAs: 'config file' },
];

function checkArgs(opts: ParsedOptions): void {
  for (const required of ['topic', 'messages']) if (!opts.has(required)) throw new UsageError(`Missing required argument "[${required}]"`);
}

export const kafkaConsumerPerfTest = kafkaTool({
  name: 'kafka-consumer-perf-test',
  summary: 'Measure consumer throughput',
  description: 'This tool is used to verify the consumer performance.',
  options: OPTIONS,
  errorPrefix: '',
  bootstrap: 'missing-required',
  check: checkArgs,
  async run(opts, env) {
    const topic = opts.value('topic') as string;
    const snapshotTopic = env.cluster.snapshot().topics.find((t) => t.name === topic);
    if (!snapshotTopic) throw new ShellError(`Topic ${topic} does not exist.`, `create it and write to it first, e.g. kafka-producer-perf-test --bootstrap-server localhost:9092 --topic ${topic} --num-records 1000 --record-size 100 --throughput -1`);
    const run: PerfRun = {
      topic,
      messages: Number(opts.value('messages')),
      fetchBytes: opts.int('fetch-size') ?? 1_048_576,
      timeoutMs: Number(opts.value('timeout') ?? 10_000),
      reportingIntervalMs: Number(opts.value('reporting-interval') ?? 5_000),
      detailed: opts.has('show-detailed-stats'),
    };
    if (!opts.has('hide-header')) env.out.line(run.detailed ? DETAILED_HEADER : HEADER);
    const totals = { records: 0, bytes: 0, startMs: env.cluster.nowMs(), lastRecordMs: env.cluster.nowMs() };
    try {
      const positions = await startPositions(run.topic, snapshotTopic.partitions.map((p) => p.partition), opts.has('from-latest'), env);
      await consumeAll(run, positions, totals, env);
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
    }
    if (totals.records < run.messages && env.cluster.nowMs() - totals.lastRecordMs >= run.timeoutMs) {
      env.out.line(`WARN: Exiting before consuming the expected number of messages: timeout (${run.timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`);
    }
    if (!run.detailed) env.out.line(summaryRow(totals.startMs, env.cluster.nowMs(), totals.records, totals.bytes));
    return 0;
  },
});

const HEADER = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
const DETAILED_HEADER = 'time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

interface PerfRun {
  readonly topic: string;
  readonly messages: number;
  readonly fetchBytes: number;
  readonly timeoutMs: number;
  readonly reportingIntervalMs: number;
  readonly detailed: boolean;
}

/** Kafka's "yyyy-MM-dd HH:mm:ss:SSS", of virtual time. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}:${iso.slice(20, 23)}`;
}

const MB = 1024 * 1024;

export function summaryRow(startMs: number, endMs: number, records: number, bytes: number): string {
  const seconds = Math.max(1, endMs - startMs) / 1000;
  const mb = bytes / MB;
  const cells = [formatTime(startMs), formatTime(endMs), mb.toFixed(4), (mb / seconds).toFixed(4), String(records), (records / seconds).toFixed(4), '0', String(endMs - startMs), (mb / seconds).toFixed(4), (records / seconds).toFixed(4)];
  return cells.join(', ');
}

async function startPositions(topic: string, partitions: readonly number[], fromLatest: boolean, env: CommandEnv): Promise<Map<number, number>> {
  const positions = new Map<number, number>();
  for (const partition of partitions) {
    const answer = await env.wait(env.cluster.client.listOffsets({ topic, partition, timestamp: fromLatest ? -1 : -2 }));
    if (answer.error) throw answer.error;
    positions.set(partition, answer.offset);
  }
  return positions;
}

async function consumeAll(run: PerfRun, positions: Map<number, number>, totals: { records: number; bytes: number; startMs: number; lastRecordMs: number }, env: CommandEnv): Promise<void> {
  let window = { startMs: totals.startMs, records: 0, bytes: 0 };
  while (totals.records < run.messages && env.cluster.nowMs() - totals.lastRecordMs < run.timeoutMs) {
    const responses = await env.wait(Promise.all([...positions].map(([partition, fetchOffset]) => env.cluster.client.fetch({ topic: run.topic, partition, fetchOffset, maxWaitMs: 500, maxBytes: run.fetchBytes }))));
    for (const response of responses) {
      for (const record of response.records) {
        if (record.offset < (positions.get(response.partition) ?? 0) || totals.records >= run.messages) continue;
        const size = (record.key?.length ?? 0) + (record.value?.length ?? 0);
        totals.records++;
        totals.bytes += size;
        window.records++;
        window.bytes += size;
        positions.set(response.partition, record.offset + 1);
        totals.lastRecordMs = env.cluster.nowMs();
      }
    }
    if (run.detailed && env.cluster.nowMs() - window.startMs >= run.reportingIntervalMs) {
      env.out.line(detailedRow(window, env.cluster.nowMs(), totals));
      window = { startMs: env.cluster.nowMs(), records: 0, bytes: 0 };
    }
  }
  if (run.detailed && window.records > 0) env.out.line(detailedRow(window, env.cluster.nowMs(), totals));
}

function detailedRow(window: { startMs: number; records: number; bytes: number }, nowMs: number, totals: { records: number; bytes: number }): string {
  const seconds = Math.max(1, nowMs - window.startMs) / 1000;
  const mb = window.bytes / MB;
  return [formatTime(nowMs), '0', (totals.bytes / MB).toFixed(4), (mb / seconds).toFixed(4), String(totals.records), (window.records / seconds).toFixed(4), '0', String(nowMs - window.startMs), (mb / seconds).toFixed(4), (window.records / seconds).toFixed(4)].join(', ');
}
