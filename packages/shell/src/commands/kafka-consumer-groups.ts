/**
 * kafka-consumer-groups: list, describe (offsets and LAG, --members [--verbose], --state),
 * reset offsets (--dry-run / --execute, --from-file, --export), delete consumer groups and
 * delete a group's offsets for some topics (--delete-offsets), with Kafka 4.x's
 * ConsumerGroupCommand options, checks and table layouts (a blank line, then columns
 * padded to the widest value; "-" where there is no value). The work is in
 * `consumer-groups-*.ts` beside this file: describe, reset and delete-offsets.
 */
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';
import { deleteOffsets } from './consumer-groups-delete-offsets';
import { describeGroups } from './consumer-groups-describe';
import { resetOffsets, RESET_SCENARIOS } from './consumer-groups-reset';

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
  { name: 'from-file', description: 'Reset offsets to values defined in CSV file.', arg: 'required', describedAs: 'path to CSV file' },
  { name: 'export', description: 'Export operation execution to a CSV file. Supported operations: reset-offsets.' },
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
  if (opts.has('reset-offsets')) {
    if (opts.has('dry-run') && opts.has('execute')) throw new UsageError('Option [reset-offsets] only accepts one of [execute, dry-run]');
    if (!opts.has('topic') && !opts.has('all-topics') && !opts.has('from-file')) throw new UsageError('Option [reset-offsets] takes one of these options: [all-topics], [topic]', 'add --topic <name> or --all-topics');
    const scenarios = RESET_SCENARIOS.filter((s) => opts.has(s));
    if (scenarios.length !== 1) throw new UsageError(`Option [reset-offsets] takes exactly one of these options: ${RESET_SCENARIOS.map((s) => `[${s}]`).join(', ')}`, 'for example --to-earliest');
  }
  if (opts.has('delete-offsets')) {
    if (!opts.has('group') || !opts.has('topic')) throw new UsageError('Option [delete-offsets] takes the following options: [group], [topic]', 'for example --delete-offsets --group billing --topic orders');
    if (opts.values('group').length > 1 || opts.has('all-groups')) throw new UsageError('Option [delete-offsets] supports only one [group] at a time');
  }
  if (opts.has('export') && !opts.has('reset-offsets')) throw new UsageError('Option [export] can be used only with [reset-offsets]');
  if ((opts.has('members') || opts.has('offsets')) && !opts.has('describe')) throw new UsageError(`Option [${opts.has('members') ? 'members' : 'offsets'}] can be used only with [describe]`);
  if (opts.has('verbose') && !opts.has('describe')) throw new UsageError('Option [verbose] can be used only with [describe]');
}

export const kafkaConsumerGroups = kafkaTool({
  name: 'kafka-consumer-groups',
  summary: 'List, describe (with LAG), reset offsets of, or delete consumer groups',
  description: 'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
  options: OPTIONS,
  errorPrefix: 'Error: ',
  bootstrap: 'missing-required',
  check: checkArgs,
  async run(opts, env) {
    if (opts.has('list')) return listGroups(opts, env);
    if (opts.has('describe')) return describeGroups(opts, await groupIds(opts, env), env);
    if (opts.has('reset-offsets')) return resetOffsets(opts, await groupIds(opts, env), env);
    if (opts.has('delete')) return deleteGroups(await groupIds(opts, env), env);
    return deleteOffsets(opts, env);
  },
});

async function groupIds(opts: ParsedOptions, env: CommandEnv): Promise<string[]> {
  if (!opts.has('all-groups')) return [...opts.values('group')];
  return (await env.wait(env.cluster.admin.listGroups())).map((g) => g.groupId).sort();
}

async function listGroups(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const wanted = opts.value('state');
  const states = wanted === undefined || wanted === '' ? undefined : wanted.split(',').map((s) => s.trim());
  const groups = (await env.wait(env.cluster.admin.listGroups(states === undefined ? {} : { states }))).sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  if (!opts.has('state')) {
    if (groups.length > 0) env.out.line(groups.map((g) => g.groupId).join('\n'));
    return 0;
  }
  const width = Math.max(15, ...groups.map((g) => g.groupId.length));
  env.out.line([`${'GROUP'.padEnd(width)} STATE`, ...groups.map((g) => `${g.groupId.padEnd(width)} ${g.state}`)].join('\n'));
  return 0;
}

async function deleteGroups(ids: readonly string[], env: CommandEnv): Promise<number> {
  const results = await env.wait(env.cluster.admin.deleteGroups(ids));
  const failed = results.filter((r) => r.error !== null);
  const done = results.filter((r) => r.error === null);
  if (failed.length === 0) {
    env.out.line(`Deletion of requested consumer groups (${done.map((r) => `'${r.groupId}'`).join(', ')}) was successful.`);
    return 0;
  }
  env.out.error('Error: Deletion of some consumer groups failed:');
  for (const f of failed) env.out.error(`* Group '${f.groupId}' could not be deleted due to: ${f.error?.errorName}: ${reason(f.error)}`);
  if (done.length > 0) env.out.line(`\nThese consumer groups were deleted successfully: ${done.map((r) => `'${r.groupId}'`).join(', ')}`);
  const first = failed[0]?.error;
  if (first) env.out.hint(`${first.errorName} (error code ${first.code})${first.errorName === 'NON_EMPTY_GROUP' ? ': the group still has active members; stop its consumers first (`clients stop all`)' : ''}`);
  return 1;
}

/** The error's sentence; where the engine gives only the name, Kafka's exception message. */
function reason(error: { readonly errorName: string; readonly message: string } | null | undefined): string {
  if (!error) return '';
  if (error.message !== error.errorName) return error.message;
  return error.errorName === 'GROUP_ID_NOT_FOUND' ? 'The group id does not exist.' : error.message;
}
