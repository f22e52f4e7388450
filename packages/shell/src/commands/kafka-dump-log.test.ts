import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';


describe('kafka-dump-log', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-dump-log --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    ['--print-data-log', 'Missing required argument "[files]"'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-dump-log ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('says plainly that the cluster cannot do it yet', async () => {
    const { code, output } = await lab.run(`kafka-dump-log --files orders-0/00000000000000000000.log --print-data-log`);
    expect(code).toBe(1);
    expect(output).toMatch(/^.+ is not available in this lab yet: the cluster does not support it so far\.\nhint: /);
  });
});
