/**
 * kafka-consumer-perf-test: read N records as fast as possible and print Kafka's
 * ConsumerPerformance summary line.
 */
import type { OptionDef, ParsedOptions } from '../args';
import { notAvailable, UsageError } from '../errors';
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
  async run() {
    throw notAvailable('The consumer performance test');
  },
});
