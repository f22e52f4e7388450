import { settle } from '@kil/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';
import { readPayloads } from './kafka-producer-perf-test';


describe('kafka-producer-perf-test', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-producer-perf-test --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    ['--topic t --num-records 10 --record-size 10', 'argument --throughput is required'],
    ['--topic t --num-records 10 --throughput 10', 'one of the following arguments is required: --record-size, --payload-file, --payload-monotonic'],
    ['--topic t --num-records 10 --throughput 10 --record-size 10 --payload-file p.txt', 'argument --payload-file: not allowed with argument --record-size'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-producer-perf-test ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('writes every record and prints Kafka\'s summary line, measured in virtual time', async () => {
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic metrics --partitions 3 --replication-factor 3');
    const { code, output } = await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic metrics --num-records 2000 --record-size 100 --throughput -1 --producer-props acks=all linger.ms=0');
    expect(code).toBe(0);
    expect(output).toMatch(/^2000 records sent, \d+\.\d{6} records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.\n$/);
    lab.advance(1_000);
    const written = lab.cluster.snapshot().topics.find((t) => t.name === 'metrics')!.partitions.reduce((n, p) => n + p.highWatermark, 0);
    expect(written).toBe(2000);
  });

  it('holds a target throughput and prints a window line every five seconds', async () => {
    const before = lab.cluster.nowMs();
    const { code, output } = await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic metrics --num-records 1200 --record-size 10 --throughput 100 --producer-props acks=1');
    expect(code).toBe(0);
    const elapsed = lab.cluster.nowMs() - before;
    expect(elapsed).toBeGreaterThanOrEqual(11_900);
    expect(elapsed).toBeLessThan(13_000);
    const lines = output.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines[0]).toMatch(/^\d+ records sent, (9\d|10\d)\.\d records\/sec \(0\.00 MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/);
    expect(lines.at(-1)).toMatch(/^1200 records sent, (99|100)\.\d{6} records\/sec/);
  });

  it('takes several producer properties after one --producer-props and checks them', async () => {
    const bad = await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic metrics --num-records 10 --record-size 10 --throughput -1 --producer-props linger.ms=0 acks=2');
    expect(bad.code).toBe(1);
    expect(bad.output.split('\n')[0]).toBe('Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1');
    const noServer = await lab.run('kafka-producer-perf-test --topic metrics --num-records 10 --record-size 10 --throughput -1');
    expect(noServer.output.split('\n')[0]).toBe('Either --bootstrap-server or bootstrap.servers in --producer-props must be specified');
  });

  it('says that compression falls back to none without a codec in the terminal', async () => {
    const { code, output } = await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic metrics --num-records 10 --record-size 10 --throughput -1 --producer-props compression.type=gzip');
    expect(code).toBe(0);
    expect(output.split('\n')[0]).toBe('hint: compression.type=gzip was requested, but this terminal has no gzip codec, so batches are sent uncompressed');
  });

  it('prints one exception per refused record, as on a compacted topic without keys', async () => {
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic customers --partitions 1 --replication-factor 1 --config cleanup.policy=compact');
    const { code, output } = await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic customers --num-records 3 --record-size 10 --throughput -1');
    expect(code).toBe(1);
    const lines = output.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('org.apache.kafka.common.errors.InvalidRecordException: '))).toHaveLength(3);
    expect(lines[1]).toMatch(/^hint: INVALID_RECORD \(error code 87\): .*compacted topic/);
    expect(lines.at(-1)).toMatch(/^0 records sent, 0\.000000 records\/sec/);
  });

  it('runs a transactional test that commits every --transaction-duration-ms', async () => {
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic receipts --partitions 2 --replication-factor 3');
    const { code, output } = await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic receipts --num-records 300 --record-size 20 --throughput 100 --transactional-id perf-1 --transaction-duration-ms 1000');
    expect(code).toBe(0);
    expect(output).toMatch(/\n?300 records sent, \d+\.\d{6} records\/sec/);
    lab.advance(1_000);
    const markers = (await lab.run('kafka-dump-log --files receipts-0/00000000000000000000.log')).output.split('\n').filter((l) => l.includes('isControl: true'));
    expect(markers.length).toBeGreaterThanOrEqual(2);
    const committed = await lab.run('kafka-console-consumer --bootstrap-server localhost:9092 --topic receipts --from-beginning --isolation-level read_committed --timeout-ms 2000');
    expect(committed.output).toMatch(/Processed a total of 300 messages\n$/);
  });

  it('sends payloads picked at random from a lab file, the same ones on every run', async () => {
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic words --partitions 1 --replication-factor 3');
    lab.files.write('words.txt', 'alpha\nbeta\ngamma\n');
    const { code, output } = await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic words --num-records 60 --payload-file words.txt --throughput -1');
    expect(code).toBe(0);
    expect(output.split('\n').slice(0, 2)).toEqual(['Reading payloads from: words.txt', 'Number of messages read: 3']);
    const fetched = await settle(lab.cluster, lab.cluster.client.fetch({ topic: 'words', partition: 0, fetchOffset: 0 }));
    const values = fetched.records.map((r) => new TextDecoder().decode(r.value ?? new Uint8Array()));
    expect(values).toHaveLength(60);
    expect(new Set(values)).toEqual(new Set(['alpha', 'beta', 'gamma']));

    const again = await newTestLab();
    await again.run('kafka-topics --bootstrap-server localhost:9092 --create --topic words --partitions 1 --replication-factor 3');
    again.files.write('words.txt', 'alpha\nbeta\ngamma\n');
    await again.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic words --num-records 60 --payload-file words.txt --throughput -1');
    const repeated = await settle(again.cluster, again.cluster.client.fetch({ topic: 'words', partition: 0, fetchOffset: 0 }));
    expect(repeated.records.map((r) => new TextDecoder().decode(r.value ?? new Uint8Array()))).toEqual(values);
  });

  it('splits at --payload-delimiter and refuses a missing or empty file', async () => {
    expect(readPayloads('a|b||c|', '|').map((p) => new TextDecoder().decode(p))).toEqual(['a', 'b', '', 'c']);
    lab.files.write('pipes.txt', 'x|y\n');
    const piped = await lab.run("kafka-producer-perf-test --bootstrap-server localhost:9092 --topic words --num-records 5 --payload-file pipes.txt --payload-delimiter '|' --throughput -1");
    expect(piped.output).toContain('Number of messages read: 2\n');
    const missing = await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic words --num-records 5 --payload-file nope.txt --throughput -1');
    expect(missing.code).toBe(1);
    expect(missing.output.split('\n').slice(0, 2)).toEqual(['Reading payloads from: nope.txt', 'File does not exist or empty file provided.']);
    lab.files.write('empty.txt', '');
    expect((await lab.run('kafka-producer-perf-test --bootstrap-server localhost:9092 --topic words --num-records 5 --payload-file empty.txt --throughput -1')).output).toContain('File does not exist or empty file provided.\n');
  });
});
