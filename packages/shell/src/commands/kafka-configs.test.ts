import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-configs', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  it('prints its usage for --help', async () => {
    const { code, output } = await lab.run('kafka-configs --help');
    expect(code).toBe(0);
    expect(output).toMatch(/\nOption +Description\n/);
  });

  const usageErrors: Array<[string, string]> = [
    [`${BS} --entity-type topics --entity-name orders`, 'Command must include exactly one action: --describe, --alter'],
    [`${BS} --entity-type topic --entity-name orders --describe`, 'Invalid entity type topic, the entity type must be one of topics, clients, users, brokers, broker-loggers, ips, client-metrics, groups'],
    [`${BS} --entity-type topics --entity-name orders --alter`, 'At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter'],
    ['--entity-type topics --entity-name orders --describe', 'Missing required argument "[bootstrap-server]"'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-configs ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('says plainly that the cluster cannot do it yet', async () => {
    const { code, output } = await lab.run(`kafka-configs ${BS} --entity-type topics --entity-name orders --describe`);
    expect(code).toBe(1);
    expect(output).toMatch(/^.+ is not available in this lab yet: the cluster does not support it so far\.\nhint: /);
  });
});
