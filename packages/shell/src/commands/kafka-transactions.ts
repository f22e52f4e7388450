/**
 * kafka-transactions: list, describe, describe-producers, find-hanging and abort
 * transactions (KIP-664), with Kafka 4.x's TransactionsCommand subcommands and its tables
 * (ToolsUtils.prettyPrintTable: cells padded to the column width, each followed by a tab).
 * `abort` takes either --start-offset (the producer is looked up with DescribeProducers, as
 * Kafka does) or --producer-id/--producer-epoch/--coordinator-epoch.
 * --max-transaction-timeout is in minutes, as in Kafka; durations print in whole minutes.
 */
import type { OptionDef, ParsedOptions } from '../args';
import type { CommandEnv } from '../command';
import { ShellError, UsageError } from '../errors';
import { BOOTSTRAP_OPTION, kafkaTool } from '../kafka-tool';
import { prettyPrintTable } from './kafka-metadata-quorum';

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
  if (command === 'describe-producers' && (!opts.has('topic') || !opts.has('partition'))) throw new UsageError('kafka-transactions: error: argument --topic and --partition are required');
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
  async run(opts, env) {
    switch (opts.nonOptions[0]) {
      case 'list':
        return list(env);
      case 'describe':
        return describe(opts.value('transactional-id') as string, env);
      case 'describe-producers':
        return describeProducers(opts, env);
      case 'find-hanging':
        return findHanging(opts, env);
      default:
        return abort(opts, env);
    }
  },
});

const none = (n: number): string => (n < 0 ? 'None' : String(n));

async function list(env: CommandEnv): Promise<number> {
  const listed = await env.wait(env.cluster.admin.listTransactions());
  const rows = [...listed].sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : 1)).map((t) => [t.transactionalId, String(t.coordinatorId), String(t.producerId), t.state]);
  env.out.line(prettyPrintTable(['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'], rows));
  return 0;
}

async function describe(id: string, env: CommandEnv): Promise<number> {
  const [t] = await env.wait(env.cluster.admin.describeTransactions([id]));
  if (t === undefined || t.error !== null) {
    const error = t?.error;
    throw new ShellError(`Failed to describe transaction state of transactional-id \`${id}\`: ${error?.message ?? 'no answer'}`, error?.errorName === 'TRANSACTIONAL_ID_NOT_FOUND' ? 'no producer has used this transactional.id yet; `kafka-transactions --bootstrap-server localhost:9092 list` shows those that have' : error?.errorName);
  }
  const now = env.cluster.nowMs();
  const row = [
    String(t.coordinatorId),
    t.transactionalId,
    String(t.producerId),
    String(t.producerEpoch),
    t.state,
    String(t.transactionTimeoutMs),
    none(t.transactionStartTimeMs),
    t.transactionStartTimeMs < 0 ? 'None' : String(now - t.transactionStartTimeMs),
    t.partitions.map((p) => `${p.topic}-${p.partition}`).join(','),
  ];
  env.out.line(prettyPrintTable(['CoordinatorId', 'TransactionalId', 'ProducerId', 'ProducerEpoch', 'TransactionState', 'TransactionTimeoutMs', 'CurrentTransactionStartTimeMs', 'TransactionDurationMs', 'TopicPartitions'], [row]));
  return 0;
}

function topicPartition(opts: ParsedOptions, command: string): { topic: string; partition: number } {
  if (!opts.has('topic') || !opts.has('partition')) throw new UsageError(`kafka-transactions: error: ${command} needs --topic and --partition`);
  return { topic: opts.value('topic') as string, partition: opts.int('partition') as number };
}

async function describeProducers(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const tp = topicPartition(opts, 'describe-producers');
  const [answer] = await env.wait(env.cluster.admin.describeProducers([tp]));
  if (answer === undefined || answer.error !== null) throw answer?.error ?? new ShellError(`No answer for ${tp.topic}-${tp.partition}.`);
  const rows = answer.activeProducers.map((p) => [String(p.producerId), String(p.producerEpoch), none(p.coordinatorEpoch), String(p.lastSequence), String(p.lastTimestamp), none(p.currentTxnStartOffset)]);
  env.out.line(prettyPrintTable(['ProducerId', 'ProducerEpoch', 'LatestCoordinatorEpoch', 'LastSequence', 'LastTimestamp', 'CurrentTransactionStartOffset'], rows));
  return 0;
}

async function findHanging(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const maxMinutes = opts.int('max-transaction-timeout') ?? 15;
  const filter = {
    maxTransactionTimeoutMs: maxMinutes * 60_000,
    ...(opts.has('broker-id') ? { brokerId: opts.int('broker-id') as number } : {}),
    ...(opts.has('topic') ? { topic: opts.value('topic') as string } : {}),
    ...(opts.has('partition') ? { partition: opts.int('partition') as number } : {}),
  };
  const hanging = await env.wait(env.cluster.admin.findHangingTransactions(filter));
  const rows = hanging.map((h) => [h.topic, String(h.partition), String(h.producerId), String(h.producerEpoch), String(h.coordinatorEpoch), String(h.startOffset), String(h.lastTimestamp), String(Math.floor(h.durationMs / 60_000))]);
  env.out.line(prettyPrintTable(['Topic', 'Partition', 'ProducerId', 'ProducerEpoch', 'CoordinatorEpoch', 'StartOffset', 'LastTimestamp', 'Duration(min)'], rows));
  if (hanging.length === 0) env.out.hint(`no transaction has been open longer than ${maxMinutes} minute(s) without its coordinator knowing it`);
  return 0;
}

async function abort(opts: ParsedOptions, env: CommandEnv): Promise<number> {
  const tp = topicPartition(opts, 'abort');
  let spec: { producerId: number; producerEpoch: number; coordinatorEpoch: number };
  if (opts.has('start-offset')) {
    const start = Number(opts.value('start-offset'));
    const [answer] = await env.wait(env.cluster.admin.describeProducers([tp]));
    if (answer?.error) throw answer.error;
    const producer = answer?.activeProducers.find((p) => p.currentTxnStartOffset === start);
    if (producer === undefined) throw new ShellError(`Could not find any open transactions starting at offset ${start} on partition ${tp.topic}-${tp.partition}`, `\`kafka-transactions --bootstrap-server localhost:9092 describe-producers --topic ${tp.topic} --partition ${tp.partition}\` shows the open ones`);
    spec = { producerId: producer.producerId, producerEpoch: producer.producerEpoch, coordinatorEpoch: Math.max(0, producer.coordinatorEpoch) };
  } else {
    if (!opts.has('producer-id') || !opts.has('producer-epoch') || !opts.has('coordinator-epoch')) {
      throw new UsageError('kafka-transactions: error: abort needs --start-offset, or --producer-id, --producer-epoch and --coordinator-epoch');
    }
    spec = { producerId: Number(opts.value('producer-id')), producerEpoch: opts.int('producer-epoch') as number, coordinatorEpoch: opts.int('coordinator-epoch') as number };
  }
  await env.wait(env.cluster.admin.abortTransaction({ ...tp, ...spec }));
  return 0;
}
