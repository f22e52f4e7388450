import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-consumer-perf-test', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-consumer-perf-test --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    [`${BS} --topic orders`, 'Missing required argument "[messages]"'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-consumer-perf-test ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('reads the records and prints the summary row in virtual time', async () => {
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic metrics --partitions 2 --replication-factor 1');
    await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic metrics --num-records 500 --record-size 100 --throughput -1');
    const { code, output } = await lab.run('kafka-consumer-perf-test --bootstrap-server localhost:9092 --topic metrics --messages 500');
    expect(code).toBe(0);
    const [header, row] = output.trimEnd().split('\n');
    expect(header).toBe('start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec');
    expect(row).toMatch(/^1970-01-01 \d\d:\d\d:\d\d:\d{3}, 1970-01-01 \d\d:\d\d:\d\d:\d{3}, 0\.0477, \d+\.\d{4}, 500, \d+\.\d{4}, 0, \d+, \d+\.\d{4}, \d+\.\d{4}$/);
  });

  it('gives up after --timeout without records, with Kafka\'s warning', async () => {
    const { code, output } = await lab.run('kafka-consumer-perf-test --bootstrap-server localhost:9092 --topic metrics --messages 600 --timeout 2000 --hide-header');
    expect(code).toBe(0);
    const lines = output.trimEnd().split('\n');
    expect(lines[0]).toBe('WARN: Exiting before consuming the expected number of messages: timeout (2000 ms) exceeded. You can use the --timeout option to increase the timeout.');
    expect(lines[1]).toMatch(/, 500, /);
  });
});
