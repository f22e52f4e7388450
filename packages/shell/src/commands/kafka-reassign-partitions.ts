/**
 * kafka-reassign-partitions: generate, execute, verify (and throttle) a move of replicas
 * between brokers (KIP-455), with Kafka 4.x's ReassignPartitionsCommand options.
 */
import type { OptionDef, ParsedOptions } from '../args';
import { notAvailable, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  { ...BOOTSTRAP_OPTION, description: 'REQUIRED: the server(s) to use for bootstrapping.', describedAs: 'Server(s) to use for bootstrapping' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client.', arg: 'required', describedAs: 'Admin client property file' },
  { name: 'generate', description: 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it.' },
  { name: 'execute', description: 'Kick off the reassignment as specified by the --reassignment-json-file option.' },
  { name: 'verify', description: 'Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed' },
  { name: 'cancel', description: 'Cancel an active reassignment.' },
  { name: 'list', description: 'List all active partition reassignments.' },
  { name: 'reassignment-json-file', description: 'The JSON file with the partition reassignment configuration', arg: 'required', describedAs: 'manual assignment json file path' },
  { name: 'topics-to-move-json-file', description: 'Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option.', arg: 'required', describedAs: 'topics to reassign json file path' },
  { name: 'broker-list', description: 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This is required if --topics-to-move-json-file is used to generate reassignment configuration', arg: 'required', describedAs: 'brokerlist' },
  { name: 'disable-rack-aware', description: 'Disable rack aware replica assignment' },
  { name: 'throttle', description: 'The movement of partitions between brokers will be throttled to this value (bytes/sec).', arg: 'required', describedAs: 'throttle', type: 'long', defaultValue: '-1' },
  { name: 'timeout', description: 'The maximum time in ms to wait for log directory replica assignment to begin.', arg: 'required', type: 'long', defaultValue: '10000' },
  { name: 'additional', description: 'Execute this reassignment in addition to any other ongoing ones.' },
  { name: 'preserve-throttles', description: 'Do not modify broker or topic throttles.' },
];

function checkArgs(opts: ParsedOptions): void {
  const actions = ['generate', 'execute', 'verify', 'cancel', 'list'].filter((a) => opts.has(a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --generate, --execute, --verify, --cancel, or --list');
  if (opts.has('generate') && (!opts.has('topics-to-move-json-file') || !opts.has('broker-list'))) {
    throw new UsageError('Missing required argument "[topics-to-move-json-file]" or "[broker-list]"');
  }
  if ((opts.has('execute') || opts.has('verify') || opts.has('cancel')) && !opts.has('reassignment-json-file')) {
    throw new UsageError('Missing required argument "[reassignment-json-file]"');
  }
}

export const kafkaReassignPartitions = kafkaTool({
  name: 'kafka-reassign-partitions',
  summary: 'Generate, execute or verify a partition reassignment',
  description: 'This tool helps to move topic partitions between replicas.',
  options: OPTIONS,
  errorPrefix: 'Error: ',
  bootstrap: 'missing-required',
  check: checkArgs,
  async run() {
    throw notAvailable('Partition reassignment');
  },
});
