import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-leader-election', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-leader-election --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    [`${BS} --topic orders --partition 0`, 'Missing required option(s): election-type'],
    [`${BS} --election-type fast --all-topic-partitions`, 'Invalid election type fast; possible values are preferred and unclean'],
    [`${BS} --election-type preferred`, 'One and only one of the following options is required: all-topic-partitions, topic, path-to-json-file'],
    [`${BS} --election-type preferred --topic orders`, 'Missing required option(s): partition'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-leader-election ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('says plainly that the cluster cannot do it yet', async () => {
    const { code, output } = await lab.run(`kafka-leader-election ${BS} --election-type preferred --all-topic-partitions`);
    expect(code).toBe(1);
    expect(output).toMatch(/^.+ is not available in this lab yet: the cluster does not support it so far\.\nhint: /);
  });
});
