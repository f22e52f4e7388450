/**
 * kafka-dump-log: decode a partition's segment, index or time index files as Kafka's
 * DumpLogSegments prints them. `--broker N` (lab extension) picks whose replica to read;
 * by default the partition leader's.
 */
import type { OptionDef, ParsedOptions } from '../args';
import { notAvailable, UsageError } from '../errors';
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
  { name: 'broker', description: 'Which broker\'s copy of the partition to read (lab extension; default: the leader).', arg: 'required', type: 'integer', complete: 'broker' },
];

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
  async run() {
    throw notAvailable('Reading log segments');
  },
});
