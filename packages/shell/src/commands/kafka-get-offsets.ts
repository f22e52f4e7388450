/**
 * kafka-get-offsets: one `topic:partition:offset` line per partition, as Kafka 4.x's
 * GetOffsetShell prints them (sorted by the `topic-partition` string, so orders-10 comes
 * before orders-2). Each offset comes from a ListOffsets request to the partition leader:
 * `--time -1`/latest answers the high watermark (read_uncommitted), `--time -2`/earliest
 * the log start offset, `--time -3`/max-timestamp the cluster's max-timestamp answer, and
 * a timestamp the first offset whose timestamp is at or after it (-1 when there is none).
 * Deviation: -4 earliest-local, -5 latest-tiered and -6 earliest-pending-upload (KIP-1005,
 * KIP-1023) are refused, because the lab cluster's ListOffsets does not answer them.
 */
import type { PartitionSnapshot } from '@kil/engine';
import type { OptionDef } from '../args';
import type { CommandEnv } from '../command';
import { ShellError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';
import { topicFilter } from './kafka-topics';

const OPTIONS: readonly OptionDef[] = [
  { ...BOOTSTRAP_OPTION, description: 'REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.', describedAs: 'HOST1:PORT1,...,HOST3:PORT3' },
  { name: 'topic-partitions', description: "Comma separated list of topic-partition patterns to get the offsets for, with the format of 'topic:partition'. The topic part is an optional regular expression; the partition part may be a number, a range NUMBER-NUMBER (upper exclusive), NUMBER- or -NUMBER, or omitted for all partitions.", arg: 'required', describedAs: 'topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3', complete: 'topic' },
  { name: 'topic', description: 'The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present.', arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'partitions', description: 'Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present.', arg: 'required', describedAs: 'partition ids' },
  { name: 'time', description: 'timestamp of the offsets before that.', arg: 'required', describedAs: '<timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered / -6 or earliest-pending-upload', defaultValue: 'latest', complete: ['-1', '-2', 'latest', 'earliest'] },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', arg: 'required', describedAs: 'config file' },
  { name: 'exclude-internal-topics', description: 'By default, internal topics are included. If specified, internal topics are excluded.' },
];

/** The ListOffsets timestamp: -1 latest, -2 earliest, -3 max timestamp, or a time in ms. */
type Spec = number;
type PartitionFilter = (topic: string, partition: number) => boolean;

export const kafkaGetOffsets = kafkaTool({
  name: 'kafka-get-offsets',
  summary: 'Print the earliest or latest offset of each partition',
  description: 'An interactive shell for getting topic-partition offsets.',
  options: OPTIONS,
  errorPrefix: 'Error occurred: ',
  bootstrap: 'missing-required',
  async run(opts, env) {
    if (opts.has('topic-partitions') && (opts.has('topic') || opts.has('partitions'))) {
      throw new ShellError('Error occurred: --topic-partitions cannot be used with --topic or --partitions');
    }
    const spec = parseOffsetSpec(opts.value('time') ?? 'latest');
    const filter = opts.has('topic-partitions') ? patternListFilter(opts.value('topic-partitions') as string) : topicAndPartitionsFilter(opts.value('topic'), opts.value('partitions'));
    const names = await env.wait(env.cluster.admin.listTopics({ includeInternal: !opts.has('exclude-internal-topics') }));
    const partitions = partitionsOf(names, env).filter((p) => filter(p.topic, p.partition));
    if (partitions.length === 0) throw new ShellError('Error occurred: Could not match any topic-partitions with the specified filters', 'list the topics with `kafka-topics --bootstrap-server localhost:9092 --list`');
    for (const p of [...partitions].sort((a, b) => compareStrings(`${a.topic}-${a.partition}`, `${b.topic}-${b.partition}`))) {
      if (p.leader < 0) {
        env.out.error(`Skip getting offsets for topic-partition ${p.topic}-${p.partition} due to error: org.apache.kafka.common.errors.LeaderNotAvailableException: There is no leader for this topic-partition as we are in the middle of a leadership election.`);
        continue;
      }
      const answer = await env.wait(env.cluster.client.listOffsets({ topic: p.topic, partition: p.partition, timestamp: spec }));
      if (answer.error !== null) {
        env.out.error(`Skip getting offsets for topic-partition ${p.topic}-${p.partition} due to error: ${answer.error.errorName}: ${answer.error.message}`);
        continue;
      }
      env.out.line(`${p.topic}:${p.partition}:${answer.offset}`);
    }
    return 0;
  },
});

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function partitionsOf(names: readonly string[], env: CommandEnv): PartitionSnapshot[] {
  const wanted = new Set(names);
  return env.cluster
    .snapshot()
    .topics.filter((t) => wanted.has(t.name))
    .flatMap((t) => t.partitions);
}

export function parseOffsetSpec(text: string): Spec {
  if (text === 'latest' || text === '-1') return -1;
  if (text === 'earliest' || text === '-2') return -2;
  if (text === 'max-timestamp' || text === '-3') return -3;
  if (['earliest-local', 'latest-tiered', 'earliest-pending-upload', '-4', '-5', '-6'].includes(text)) {
    throw new ShellError(`Error occurred: --time ${text} is not available in this lab: the cluster's ListOffsets answers -1, -2, -3 and timestamps, not the tiered-storage specs.`, 'use --time -2 for the log start offset or --time -1 for the high watermark');
  }
  if (/^\d+$/.test(text)) return Number(text);
  throw new ShellError(
    `Error occurred: Malformed time argument ${text}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered / -6 or earliest-pending-upload, or a specified long format timestamp`,
  );
}

function topicAndPartitionsFilter(topic: string | undefined, partitions: string | undefined): PartitionFilter {
  const topics = topicFilter(topic ?? '.*');
  let ids: Set<number> | undefined;
  if (partitions !== undefined && partitions !== '') {
    const parts = partitions.split(',');
    if (!parts.every((p) => /^-?\d+$/.test(p))) throw new ShellError(`Error occurred: --partitions expects a comma separated list of numeric partition ids, but received: ${partitions}`);
    ids = new Set(parts.map(Number));
  }
  return (t, p) => topics.test(t) && (ids === undefined || ids.has(p));
}

function patternListFilter(text: string): PartitionFilter {
  const rules = text.split(',').map((spec): PartitionFilter => {
    const match = /^([^:,]*)(?::(?:(\d+)|(\d*)-(\d*)))?$/.exec(spec);
    if (!match) throw new ShellError(`Error occurred: Invalid rule specification: ${spec}`, 'for example orders:0-2,payments');
    const [, topicPart, exact, low, high] = match;
    const topics = topicFilter(topicPart ? topicPart : '.*');
    if (exact !== undefined) return (t, p) => topics.test(t) && p === Number(exact);
    const lower = low ? Number(low) : 0;
    const upper = high ? Number(high) : Number.MAX_SAFE_INTEGER;
    return (t, p) => topics.test(t) && p >= lower && p < upper;
  });
  return (t, p) => rules.some((rule) => rule(t, p));
}
