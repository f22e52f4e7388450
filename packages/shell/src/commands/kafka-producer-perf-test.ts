/**
 * kafka-producer-perf-test: write N records of a given size at a target rate and report
 * throughput and latency the way Kafka's ProducerPerformance prints it.
 */
import type { OptionDef, ParsedOptions } from '../args';
import { notAvailable, UsageError } from '../errors';
import { kafkaTool } from '../kafka-tool';

const OPTIONS: readonly OptionDef[] = [
  { name: 'bootstrap-server', description: 'The server(s) to connect to. This config takes precedence over bootstrap.servers specified via --command-config or --producer-props.', arg: 'required', describedAs: 'BOOTSTRAP-SERVERS' },
  { name: 'topic', description: 'Produce messages to this topic.', arg: 'required', describedAs: 'TOPIC', complete: 'topic' },
  { name: 'num-records', description: 'Number of messages to produce.', arg: 'required', describedAs: 'NUM-RECORDS', type: 'long' },
  { name: 'record-size', description: 'Message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.', arg: 'required', describedAs: 'RECORD-SIZE', type: 'integer' },
  { name: 'payload-monotonic', description: 'Payload is monotonically increasing integer.' },
  { name: 'throughput', description: 'Throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.', arg: 'required', describedAs: 'THROUGHPUT', type: 'double' },
  { name: 'producer-props', description: 'Kafka producer related configuration properties like bootstrap.servers,client.id etc.', arg: 'required', describedAs: 'PROP-NAME=PROP-VALUE', complete: ['acks=all', 'acks=1', 'acks=0', 'linger.ms=', 'batch.size=', 'compression.type='] },
  { name: 'command-config', description: 'Producer config properties file.', arg: 'required', describedAs: 'CONFIG-FILE' },
  { name: 'print-metrics', description: 'Print out metrics at the end of the test.' },
  { name: 'transactional-id', description: 'The transactional id to use.', arg: 'required', describedAs: 'TRANSACTIONAL-ID' },
  { name: 'transaction-duration-ms', description: 'The max age of each transaction.', arg: 'required', type: 'long' },
];

function checkArgs(opts: ParsedOptions): void {
  for (const required of ['topic', 'num-records', 'throughput']) {
    if (!opts.has(required)) throw new UsageError(`argument --${required} is required`, 'for example: kafka-producer-perf-test --topic orders --num-records 1000 --record-size 100 --throughput 100 --producer-props acks=all');
  }
  if (!opts.has('record-size') && !opts.has('payload-monotonic')) throw new UsageError('one of the following arguments is required: --record-size, --payload-monotonic');
}

export const kafkaProducerPerfTest = kafkaTool({
  name: 'kafka-producer-perf-test',
  summary: 'Measure producer throughput and latency',
  description: 'This tool is used to verify the producer performance.',
  options: OPTIONS,
  errorPrefix: '',
  check: checkArgs,
  async run() {
    throw notAvailable('The producer performance test');
  },
});
