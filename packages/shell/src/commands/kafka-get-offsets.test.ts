import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';
import { parseOffsetSpec } from './kafka-get-offsets';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-get-offsets', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 12 --replication-factor 1`);
    await lab.run(`kafka-topics ${BS} --create --topic payments --partitions 2 --replication-factor 1`);
  });

  it("prints topic:partition:offset sorted the way Kafka sorts TopicPartition strings", async () => {
    const { code, output } = await lab.run(`kafka-get-offsets ${BS} --topic orders`);
    expect(code).toBe(0);
    const lines = output.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['orders:0:0', 'orders:1:0', 'orders:10:0', 'orders:11:0']);
    expect(lines).toHaveLength(12);
  });

  it('matches the high watermark (-1) and log start offset (-2) of each partition', async () => {
    const partitions = lab.cluster.snapshot().topics.find((t) => t.name === 'payments')?.partitions ?? [];
    const latest = await lab.run(`kafka-get-offsets ${BS} --topic payments --time -1`);
    expect(latest.output).toBe(partitions.map((p) => `payments:${p.partition}:${p.highWatermark}\n`).join(''));
    const earliest = await lab.run(`kafka-get-offsets ${BS} --topic payments --time earliest`);
    expect(earliest.output).toBe(partitions.map((p) => `payments:${p.partition}:${p.logStartOffset}\n`).join(''));
  });

  it('filters with --partitions and --topic-partitions', async () => {
    expect((await lab.run(`kafka-get-offsets ${BS} --topic orders --partitions 3,5`)).output).toBe('orders:3:0\norders:5:0\n');
    expect((await lab.run(`kafka-get-offsets ${BS} --topic-partitions orders:1-3,payments:1`)).output).toBe('orders:1:0\norders:2:0\npayments:1:0\n');
  });

  it('reports Kafka errors', async () => {
    expect((await lab.run(`kafka-get-offsets ${BS} --topic nope`)).output).toMatch(/^Error occurred: Could not match any topic-partitions with the specified filters\n/);
    expect((await lab.run(`kafka-get-offsets ${BS} --topic-partitions orders:1 --topic orders`)).output).toBe('Error occurred: --topic-partitions cannot be used with --topic or --partitions\n');
    expect((await lab.run(`kafka-get-offsets ${BS} --topic orders --partitions a`)).output).toBe('Error occurred: --partitions expects a comma separated list of numeric partition ids, but received: a\n');
    expect((await lab.run(`kafka-get-offsets ${BS} --topic orders --time yesterday`)).output).toMatch(/^Error occurred: Malformed time argument yesterday\. Please use -1 or latest/);
    expect((await lab.run('kafka-get-offsets --topic orders')).output).toMatch(/^Missing required argument "\[bootstrap-server\]"\n/);
    expect((await lab.run(`kafka-get-offsets ${BS} --topik orders`)).output).toBe('Error occurred: topik is not a recognized option\nhint: Did you mean --topic?\n');
  });

  it('finds the first offset at or after a timestamp, and -1 past the last record', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic clicks --partitions 1 --replication-factor 1`);
    await lab.run(`kafka-console-producer ${BS} --topic clicks --message a --message b`);
    lab.advance(5_000);
    const between = lab.cluster.nowMs();
    await lab.run(`kafka-console-producer ${BS} --topic clicks --message c`);
    expect((await lab.run(`kafka-get-offsets ${BS} --topic clicks --time ${between}`)).output).toBe('clicks:0:2\n');
    expect((await lab.run(`kafka-get-offsets ${BS} --topic clicks --time 0`)).output).toBe('clicks:0:0\n');
    expect((await lab.run(`kafka-get-offsets ${BS} --topic clicks --time ${lab.cluster.nowMs() + 60_000}`)).output).toBe('clicks:0:-1\n');
    expect((await lab.run(`kafka-get-offsets ${BS} --topic clicks --time -1`)).output).toBe('clicks:0:3\n');
    expect((await lab.run(`kafka-get-offsets ${BS} --topic clicks --time max-timestamp`)).code).toBe(0);
  });

  it('parses offset specs by name and number', () => {
    expect(parseOffsetSpec('-1')).toBe(-1);
    expect(parseOffsetSpec('earliest')).toBe(-2);
    expect(parseOffsetSpec('max-timestamp')).toBe(-3);
    expect(parseOffsetSpec('1700000000000')).toBe(1700000000000);
    expect(() => parseOffsetSpec('-4')).toThrow('not available in this lab');
    expect(() => parseOffsetSpec('-7')).toThrow('Malformed time argument');
  });
});
