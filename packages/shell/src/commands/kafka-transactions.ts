/**
 * kafka-transactions: list, describe, find-hanging and abort transactions (KIP-664),
 * with Kafka 4.x's TransactionsCommand subcommands.
 */
import type { OptionDef, ParsedOptions } from '../args';
import { notAvailable, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const SUBCOMMANDS = ['list', 'describe', 'describe-producers', 'abort', 'find-hanging'];

const OPTIONS: readonly OptionDef[] = [
  { ...BOOTSTRAP_OPTION, description: 'hostname and port for the broker to connect to, in the form `host:port` (multiple comma-separated entries can be given)' },
  { name: 'command-config', description: 'property file containing configs to be passed to admin client', arg: 'required' },
  { name: 'transactional-id', description: 'transactional id', arg: 'required' },
  { name: 'topic', description: 'topic name', arg: 'required', complete: 'topic' },
  { name: 'partition', description: 'partition number', arg: 'required', type: 'integer' },
  { name: 'broker-id', description: 'broker id to search for hanging transactions', arg: 'required', type: 'integer', complete: 'broker' },
  { name: 'max-transaction-timeout', description: 'maximum transaction timeout in minutes to limit the scope of the search', arg: 'required', type: 'integer', defaultValue: '15' },
  { name: 'start-offset', description: 'start offset of the transaction to abort', arg: 'required', type: 'long' },
  { name: 'producer-id', description: 'producer id', arg: 'required', type: 'long' },
  { name: 'producer-epoch', description: 'producer epoch', arg: 'required', type: 'integer' },
  { name: 'coordinator-epoch', description: 'coordinator epoch', arg: 'required', type: 'integer' },
];

function checkArgs(opts: ParsedOptions): void {
  const [command] = opts.nonOptions;
  if (command === undefined) throw new UsageError('kafka-transactions: error: too few arguments', `one of: ${SUBCOMMANDS.join(', ')}`);
  if (!SUBCOMMANDS.includes(command)) throw new UsageError(`kafka-transactions: error: argument command: invalid choice: '${command}' (choose from ${SUBCOMMANDS.map((s) => `'${s}'`).join(', ')})`);
  if (command === 'describe' && !opts.has('transactional-id')) throw new UsageError('kafka-transactions: error: argument --transactional-id is required', 'kafka-transactions --bootstrap-server localhost:9092 describe --transactional-id <id>');
  if (command === 'find-hanging' && !opts.has('broker-id') && !opts.has('topic')) throw new UsageError('The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search');
  if (command === 'abort' && (!opts.has('topic') || !opts.has('partition'))) throw new UsageError('kafka-transactions: error: argument --topic and --partition are required');
}

export const kafkaTransactions = kafkaTool({
  name: 'kafka-transactions',
  summary: 'List, describe, find hanging or abort transactions',
  description: 'This tool is used to analyze the transactional state of producers in the cluster. It can be used to detect and recover from hanging transactions.',
  options: OPTIONS,
  errorPrefix: '',
  bootstrap: 'missing-required',
  verbs: SUBCOMMANDS,
  check: checkArgs,
  async run() {
    throw notAvailable('Transactions');
  },
});
