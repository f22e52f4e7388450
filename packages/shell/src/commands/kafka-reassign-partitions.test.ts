import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-reassign-partitions', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-reassign-partitions --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    [`${BS} --verify --execute --reassignment-json-file r.json`, 'Command must include exactly one action: --generate, --execute, --verify, --cancel, or --list'],
    [`${BS} --execute`, 'Missing required argument "[reassignment-json-file]"'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-reassign-partitions ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('says plainly that the cluster cannot do it yet', async () => {
    const { code, output } = await lab.run(`kafka-reassign-partitions ${BS} --list`);
    expect(code).toBe(1);
    expect(output).toMatch(/^.+ is not available in this lab yet: the cluster does not support it so far\.\nhint: /);
  });
});
