import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';
import { parseConfigsToAdd } from './kafka-configs';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-configs', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 1 --replication-factor 3 --config min.insync.replicas=2`);
    await lab.run(`kafka-topics ${BS} --create --topic plain --partitions 1 --replication-factor 1`);
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
    [`${BS} --entity-type brokers --entity-name one --describe`, 'The entity name for brokers must be a valid integer broker id, but it is: one'],
    [`${BS} --entity-type topics --alter --add-config retention.ms=1`, 'an entity name must be specified with --alter of topics'],
  ];
  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-configs ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('describes a topic override with its synonyms', async () => {
    const { code, output } = await lab.run(`kafka-configs ${BS} --entity-type topics --entity-name orders --describe`);
    expect(code).toBe(0);
    expect(output).toBe(
      'Dynamic configs for topic orders are:\n' +
        '  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}\n',
    );
  });

  it('describes a topic without overrides as an empty list, and --all lists every config', async () => {
    expect((await lab.run(`kafka-configs ${BS} --topic plain --describe`)).output).toBe('Dynamic configs for topic plain are:\n');
    const all = await lab.run(`kafka-configs ${BS} --topic plain --describe --all`);
    expect(all.output.split('\n')[0]).toBe('All configs for topic plain are:');
    expect(all.output).toContain('  segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes=1073741824}\n');
    expect(all.output).toContain('  cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}\n');
  });

  it('adds, lists with brackets, and deletes topic configs', async () => {
    const add = await lab.run(`kafka-configs ${BS} --entity-type topics --entity-name plain --alter --add-config retention.ms=60000,cleanup.policy=[compact,delete]`);
    expect(add).toEqual({ code: 0, output: 'Completed updating config for topic plain.\n' });
    const described = await lab.run(`kafka-configs ${BS} --topic plain --describe`);
    expect(described.output).toContain('  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}');
    expect(described.output).toContain('  retention.ms=60000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=60000, DEFAULT_CONFIG:log.retention.ms=604800000}');
    expect(lab.cluster.snapshot().topics.find((t) => t.name === 'plain')?.configs).toEqual({ 'retention.ms': '60000', 'cleanup.policy': 'compact,delete' });
    const del = await lab.run(`kafka-configs ${BS} --topic plain --alter --delete-config retention.ms,cleanup.policy`);
    expect(del.code).toBe(0);
    expect(lab.cluster.snapshot().topics.find((t) => t.name === 'plain')?.configs).toEqual({});
  });

  it('refuses to delete a config the topic does not override', async () => {
    const { code, output } = await lab.run(`kafka-configs ${BS} --topic plain --alter --delete-config segment.ms`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe('Invalid config(s): segment.ms');
  });

  it('reports the cluster refusing a bad value with its error name', async () => {
    const { code, output } = await lab.run(`kafka-configs ${BS} --topic plain --alter --add-config min.insync.replicas=0`);
    expect(code).toBe(1);
    expect(output).toContain('INVALID_CONFIG');
  });

  it('reports an unknown topic', async () => {
    const { code, output } = await lab.run(`kafka-configs ${BS} --topic nope --describe`);
    expect(code).toBe(1);
    expect(output).toContain('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('alters and describes a broker and the cluster-wide default', async () => {
    expect((await lab.run(`kafka-configs ${BS} --entity-type brokers --entity-name 2 --alter --add-config replica.lag.time.max.ms=10000`)).output).toBe('Completed updating config for broker 2.\n');
    const described = await lab.run(`kafka-configs ${BS} --entity-type brokers --entity-name 2 --describe`);
    expect(described.output).toBe(
      'Dynamic configs for broker 2 are:\n  replica.lag.time.max.ms=10000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:replica.lag.time.max.ms=10000, DEFAULT_CONFIG:replica.lag.time.max.ms=30000}\n',
    );
    expect((await lab.run(`kafka-configs ${BS} --broker-defaults --alter --add-config log.retention.ms=1000`)).output).toBe('Completed updating default config for brokers in the cluster.\n');
    const defaults = await lab.run(`kafka-configs ${BS} --entity-type brokers --entity-default --describe`);
    expect(defaults.output).toContain('Default configs for brokers in the cluster are:\n  log.retention.ms=1000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=1000, DEFAULT_CONFIG:log.retention.ms=604800000}');
  });

  it('says which entity types the lab has no configs for', async () => {
    const { code, output } = await lab.run(`kafka-configs ${BS} --entity-type users --entity-name alice --describe`);
    expect(code).toBe(1);
    expect(output).toMatch(/^Configs of users are not available in this lab/);
  });
});

describe('parseConfigsToAdd', () => {
  it('keeps commas inside square brackets', () => {
    expect(parseConfigsToAdd('a=1,b=[x,y],c=z=w')).toEqual([
      ['a', '1'],
      ['b', 'x,y'],
      ['c', 'z=w'],
    ]);
  });

  it('refuses an item without a key', () => {
    expect(() => parseConfigsToAdd('a=1,oops')).toThrow(/Invalid entity config/);
    expect(() => parseConfigsToAdd('a=[1,2')).toThrow(/Invalid entity config/);
  });
});
