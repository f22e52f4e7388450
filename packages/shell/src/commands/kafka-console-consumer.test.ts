import { runUntil } from '@kil/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';
import { processedLine } from './kafka-console-consumer';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-console-consumer', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  const usageErrors: Array<[string, string]> = [
    [BS, 'Exactly one of --include/--topic is required. '],
    [`${BS} --topic t --offset 5`, 'The partition is required when offset is specified.'],
    [`${BS} --topic t --partition 0 --offset 5 --from-beginning`, 'Options from-beginning and offset cannot be specified together.'],
    [`${BS} --topic t --partition 0 --group g`, 'Options group and partition cannot be specified together.'],
    [`${BS} --topic t --partition 0 --offset first`, "The provided offset value is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."],
    [`${BS} --topic t --isolation-level committed`, 'Invalid value committed for configuration isolation.level: String must be one of: read_committed, read_uncommitted'],
    [`${BS} --topic t --property print.key`, "Invalid --property 'print.key': expected key=value"],
    ['--topic t', 'Missing required argument "[bootstrap-server]"'],
  ];

  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-console-consumer ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('ends with Kafka\'s summary line', () => {
    expect(processedLine(3)).toBe('Processed a total of 3 messages');
  });
});

describe('kafka-console-consumer against the cluster', () => {
  it('follows new records until Ctrl-C, then prints the total', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic live --partitions 2 --replication-factor 3`);
    await lab.run(`kafka-console-producer ${BS} --topic live --message before`);
    const consumer = lab.start(`kafka-console-consumer ${BS} --topic live --property print.offset=true`);
    await runUntil(lab.cluster, () => false, 2_000);
    await lab.run(`kafka-console-producer ${BS} --topic live --property parse.key=true --property key.separator=: --message a:first --message a:second`);
    expect(await runUntil(lab.cluster, () => consumer.output().includes('second'))).toBe(true);
    consumer.interrupt();
    expect(await consumer.done).toBe(0);
    expect(consumer.output()).toMatch(/^Offset:\d+\tfirst\nOffset:\d+\tsecond\nProcessed a total of 2 messages\n$/);
  });

  it('reads one partition from an offset, and notes that groups are not available yet', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic seq --partitions 1 --replication-factor 1`);
    await lab.run(`kafka-console-producer ${BS} --topic seq --message m0 --message m1 --message m2`);
    expect(await lab.run(`kafka-console-consumer ${BS} --topic seq --partition 0 --offset 1 --max-messages 2`)).toEqual({ code: 0, output: 'm1\nm2\nProcessed a total of 2 messages\n' });
    const grouped = await lab.run(`kafka-console-consumer ${BS} --topic seq --group g1 --from-beginning --max-messages 1`);
    expect(grouped.output).toMatch(/^hint: consumer groups are not available in this lab yet.+\nm0\nProcessed a total of 1 messages\n$/);
    expect((await lab.run(`kafka-console-consumer ${BS} --topic nope --from-beginning`)).output).toMatch(/^Topic nope does not exist\.\n/);
  });
});
