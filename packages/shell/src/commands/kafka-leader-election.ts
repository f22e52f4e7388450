/**
 * kafka-leader-election: preferred or unclean leader election for chosen partitions,
 * with Kafka 4.x's LeaderElectionCommand options and checks (KIP-460).
 */
import type { OptionDef, ParsedOptions } from '../args';
import { notAvailable, UsageError } from '../errors';
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
  async run() {
    throw notAvailable('Leader elections');
  },
});
