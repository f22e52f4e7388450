/**
 * kafka-leader-election: preferred or unclean leader election for chosen partitions,
 * with Kafka 4.x's LeaderElectionCommand options, checks and output (KIP-460):
 *   Successfully completed leader election (PREFERRED) for partitions orders-0, orders-1
 *   Valid replica already elected for partitions orders-2
 *   Error completing leader election (UNCLEAN) for partition: payments-0: <why>
 * Partitions come from --topic/--partition, every partition (--all-topic-partitions) or a
 * lab file (--path-to-json-file, Kafka's {"partitions":[{"topic":"t","partition":0}]}).
 */
import type { ElectionResult } from '@kil/engine';
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { explain, ShellError, UsageError } from '../errors';
import { readJsonFile } from '../files';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  { ...BOOTSTRAP_OPTION, description: 'A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED.', describedAs: 'host:port' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', arg: 'required', describedAs: 'config file' },
  { name: 'election-type', description: 'Type of election to attempt. Possible values are "preferred" for preferred leader election or "unclean" for unclean leader election. If preferred election is selection, the election is only performed if the current leader is not the preferred leader for the topic partition. If unclean election is selected, the election is only performed if there are no leader for the topic partition. REQUIRED.', arg: 'required', describedAs: 'election type', complete: ['preferred', 'unclean'] },
  { name: 'topic', description: 'Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.', arg: 'required', describedAs: 'topic name', complete: 'topic' },
  { name: 'partition', description: 'Partition id for which to perform an election. REQUIRED if --topic is specified.', arg: 'required', describedAs: 'partition id', type: 'integer' },
  { name: 'all-topic-partitions', description: 'Perform election on all of the eligible topic partitions based on the type of election (see the --election-type flag). Not allowed if --topic or --path-to-json-file is specified.' },
  { name: 'path-to-json-file', description: 'The JSON file with the list of partition for which leader elections should be performed.', arg: 'required', describedAs: 'Path to JSON file' },
];

function checkArgs(opts: ParsedOptions): void {
  const type = opts.value('election-type');
  if (type === undefined) throw new UsageError('Missing required option(s): election-type', 'add --election-type preferred or --election-type unclean');
  if (type !== 'preferred' && type !== 'unclean') throw new UsageError(`Invalid election type ${type}; possible values are preferred and unclean`);
  const sources = ['topic', 'all-topic-partitions', 'path-to-json-file'].filter((o) => opts.has(o));
  if (sources.length !== 1) throw new UsageError('One and only one of the following options is required: all-topic-partitions, topic, path-to-json-file', 'for example --topic orders --partition 0, or --all-topic-partitions');
  if (opts.has('topic') && !opts.has('partition')) throw new UsageError('Missing required option(s): partition');
}

export const kafkaLeaderElection = kafkaTool({
  name: 'kafka-leader-election',
  summary: 'Run a preferred or unclean leader election',
  description: 'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.',
  options: OPTIONS,
  errorPrefix: 'Error completing leader election: ',
  bootstrap: 'missing-required',
  check: checkArgs,
  async run(opts, env) {
    const type = opts.value('election-type') as 'preferred' | 'unclean';
    const partitions = opts.has('all-topic-partitions') ? null : opts.has('topic') ? [{ topic: opts.value('topic') as string, partition: opts.int('partition') as number }] : partitionsFromFile(opts.value('path-to-json-file') as string, env);
    const results = await env.wait(env.cluster.admin.electLeaders(type, partitions));
    return report(type.toUpperCase(), results, env);
  },
});

const name = (r: ElectionResult): string => `${r.topic}-${r.partition}`;
const byPartition = (a: ElectionResult, b: ElectionResult): number => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1);

function report(type: string, results: readonly ElectionResult[], env: CommandEnv): number {
  const sorted = [...results].sort(byPartition);
  const succeeded = sorted.filter((r) => r.error === null);
  const noop = sorted.filter((r) => r.error?.errorName === 'ELECTION_NOT_NEEDED');
  const failed = sorted.filter((r) => r.error !== null && r.error.errorName !== 'ELECTION_NOT_NEEDED');
  if (succeeded.length > 0) env.out.line(`Successfully completed leader election (${type}) for partitions ${succeeded.map(name).join(', ')}`);
  if (noop.length > 0) env.out.line(`Valid replica already elected for partitions ${noop.map(name).join(', ')}`);
  if (results.length === 0) env.out.line(`No partition needed a ${type.toLowerCase()} leader election: every partition is led by ${type === 'PREFERRED' ? 'its preferred replica' : 'a replica already'}.`);
  for (const r of failed) {
    const error = r.error!;
    env.out.error(`Error completing leader election (${type}) for partition: ${name(r)}: ${error.message}`);
    const why = explain(error.errorName);
    env.out.hint(`${error.errorName} (error code ${error.code})${why ? `: ${why}` : ''}`);
  }
  if (failed.length > 0) throw new ShellError(`${failed.length} replica(s) could not be elected`);
  return 0;
}

/** Kafka's election file: {"partitions": [{"topic": "orders", "partition": 0}, ...]}. */
function partitionsFromFile(path: string, env: CommandEnv): { topic: string; partition: number }[] {
  const json = readJsonFile(env.files, path) as { partitions?: unknown };
  const list = json?.partitions;
  if (!Array.isArray(list)) throw new ShellError(`Invalid JSON in ${path}: expected {"partitions": [{"topic": "<name>", "partition": <id>}, ...]}`);
  const seen = new Set<string>();
  return list.map((entry: unknown) => {
    const e = entry as { topic?: unknown; partition?: unknown };
    if (typeof e?.topic !== 'string' || !Number.isInteger(e.partition)) throw new ShellError(`Invalid entry in ${path}: ${JSON.stringify(entry)}`, 'each entry needs "topic" (a string) and "partition" (a number)');
    const key = `${e.topic}-${e.partition as number}`;
    if (seen.has(key)) throw new ShellError(`Replica election data contains duplicate partitions: ${key}`);
    seen.add(key);
    return { topic: e.topic, partition: e.partition as number };
  });
}
