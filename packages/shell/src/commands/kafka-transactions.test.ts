import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-transactions', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-transactions --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    [BS, 'kafka-transactions: error: too few arguments'],
    [`${BS} lst`, "kafka-transactions: error: argument command: invalid choice: 'lst' (choose from 'list', 'describe', 'describe-producers', 'abort', 'find-hanging')"],
    [`${BS} describe`, 'kafka-transactions: error: argument --transactional-id is required'],
    [`${BS} find-hanging`, 'The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-transactions ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('says plainly that the cluster cannot do it yet', async () => {
    const { code, output } = await lab.run(`kafka-transactions ${BS} list`);
    expect(code).toBe(1);
    expect(output).toMatch(/^.+ is not available in this lab yet: the cluster does not support it so far\.\nhint: /);
  });
});
