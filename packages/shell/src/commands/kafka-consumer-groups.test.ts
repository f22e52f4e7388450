import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-consumer-groups', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-consumer-groups --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    [`${BS} --describe`, 'Option [describe] takes one of these options: [all-groups], [group]'],
    [`${BS} --reset-offsets --group g --to-earliest --topic t`, 'Option [reset-offsets] takes the options [dry-run] or [execute]'],
    [`${BS} --list --describe`, 'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-consumer-groups ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('says plainly that the cluster cannot do it yet', async () => {
    const { code, output } = await lab.run(`kafka-consumer-groups ${BS} --list`);
    expect(code).toBe(1);
    expect(output).toMatch(/^.+ is not available in this lab yet: the cluster does not support it so far\.\nhint: /);
  });
});
