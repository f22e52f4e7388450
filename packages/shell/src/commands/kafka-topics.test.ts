import { beforeEach, describe, expect, it } from 'vitest';
import { LabFiles } from '../files';
import { newTestLab, type TestLab } from '../testing';
import { parseReplicaAssignment, topicFilter } from './kafka-topics';

const BS = '--bootstrap-server localhost:9092';

function lines(output: string): string[] {
  return output.replace(/\n$/, '').split('\n');
}

describe('kafka-topics', () => {
  let lab: TestLab;
  beforeEach(async () => {
    lab = await newTestLab();
  });

  it('creates a topic and describes it in Kafka 4.x format', async () => {
    const created = await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 3 --replication-factor 3 --config min.insync.replicas=2`);
    expect(created).toEqual({ code: 0, output: 'Created topic orders.\n' });

    const { code, output } = await lab.run(`kafka-topics ${BS} --describe --topic orders`);
    expect(code).toBe(0);
    const [summary, ...partitions] = lines(output);
    const topicId = lab.cluster.snapshot().topics.find((t) => t.name === 'orders')?.topicId;
    expect(summary).toBe(`Topic: orders\tTopicId: ${topicId}\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: min.insync.replicas=2`);
    expect(partitions).toHaveLength(3);
    partitions.forEach((line, i) => {
      const match = /^\tTopic: orders\tPartition: (\d)\tLeader: (\d)\tReplicas: ([\d,]+)\tIsr: ([\d,]+)\tElr: \tLastKnownElr: $/.exec(line);
      expect(match, line).not.toBeNull();
      const [, partition, leader, replicas, isr] = match as RegExpExecArray;
      expect(Number(partition)).toBe(i);
      expect(replicas?.split(',').sort()).toEqual(['1', '2', '3']);
      expect(isr?.split(',').sort()).toEqual(['1', '2', '3']);
      expect(leader).toBe(replicas?.split(',')[0]);
    });
  });

  it('refuses a duplicate topic the way Kafka does, unless --if-not-exists', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 1 --replication-factor 1`);
    const again = await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 1 --replication-factor 1`);
    expect(again.code).toBe(1);
    const [error, hint] = lines(again.output);
    expect(error).toMatch(/^Error while executing topic command : Topic 'orders' already exists\.?$/);
    expect(hint).toMatch(/^hint: TOPIC_ALREADY_EXISTS \(error code 36\)/);
    expect(await lab.run(`kafka-topics ${BS} --create --if-not-exists --topic orders --partitions 1 --replication-factor 1`)).toEqual({ code: 0, output: '' });
  });

  it('lists topics sorted, filtered by a regular expression', async () => {
    for (const name of ['payments', 'orders', 'orders-dlq']) await lab.run(`kafka-topics ${BS} --create --topic ${name} --partitions 1 --replication-factor 1`);
    const all = await lab.run(`kafka-topics ${BS} --list --exclude-internal`);
    expect(all).toEqual({ code: 0, output: 'orders\norders-dlq\npayments\n' });
    expect((await lab.run(`kafka-topics ${BS} --list --topic 'orders.*'`)).output).toBe('orders\norders-dlq\n');
    expect((await lab.run(`kafka-topics ${BS} --list --topic orders,payments`)).output).toBe('orders\npayments\n');
  });

  it('warns about topic names that mix . and _ like Kafka', async () => {
    const { output } = await lab.run(`kafka-topics ${BS} --create --topic my.topic --partitions 1 --replication-factor 1`);
    expect(lines(output)).toEqual([expect.stringMatching(/^WARNING: Due to limitations in metric names/), 'Created topic my.topic.']);
  });

  it('honours an explicit --replica-assignment', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic pinned --replica-assignment 1:2,2:3`);
    const { output } = await lab.run(`kafka-topics ${BS} --describe --topic pinned`);
    expect(output).toContain('\tPartition: 0\tLeader: 1\tReplicas: 1,2\t');
    expect(output).toContain('\tPartition: 1\tLeader: 2\tReplicas: 2,3\t');
  });

  it('deletes topics and reports a missing one', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic doomed --partitions 1 --replication-factor 1`);
    expect(await lab.run(`kafka-topics ${BS} --delete --topic doomed`)).toEqual({ code: 0, output: '' });
    expect((await lab.run(`kafka-topics ${BS} --list --exclude-internal`)).output).toBe('\n');
    const missing = await lab.run(`kafka-topics ${BS} --delete --topic doomed`);
    expect(missing.code).toBe(1);
    expect(lines(missing.output)[0]).toBe("Topic 'doomed' does not exist as expected");
    expect(await lab.run(`kafka-topics ${BS} --delete --if-exists --topic doomed`)).toEqual({ code: 0, output: '' });
  });

  it('suggests the closest topic when describing one that does not exist', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 1 --replication-factor 1`);
    const { code, output } = await lab.run(`kafka-topics ${BS} --describe --topic order`);
    expect(code).toBe(1);
    expect(lines(output)).toEqual(["Topic 'order' does not exist as expected", 'hint: Did you mean orders?']);
  });
});

describe('kafka-topics --describe --topic-id', () => {
  it('describes the topic with that id, and refuses an unknown id', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 1 --replication-factor 1`);
    const id = lab.cluster.snapshot().topics.find((t) => t.name === 'orders')!.topicId;
    const { code, output } = await lab.run(`kafka-topics ${BS} --describe --topic-id ${id}`);
    expect(code).toBe(0);
    expect(output.split('\n')[0]).toBe(`Topic: orders\tTopicId: ${id}\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: `);
    expect((await lab.run(`kafka-topics ${BS} --describe --topic-id nope`)).output).toMatch(/^Topic id 'nope' does not exist as expected\n/);
  });
});

describe('kafka-topics --alter', () => {
  it('adds partitions, places them, and refuses a count that is not an increase', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic carts --partitions 3 --replication-factor 2`);
    const added = await lab.run(`kafka-topics ${BS} --alter --topic carts --partitions 4`);
    expect(added).toEqual({ code: 0, output: '' });
    const partitions = lab.cluster.snapshot().topics.find((t) => t.name === 'carts')!.partitions;
    expect(partitions).toHaveLength(4);
    expect(partitions[3]!.replicas).toHaveLength(2);
    const placed = await lab.run(`kafka-topics ${BS} --alter --topic carts --partitions 5 --replica-assignment 1:2,2:3,3:1,1:3,3:2`);
    expect(placed.code).toBe(0);
    expect(lab.cluster.snapshot().topics.find((t) => t.name === 'carts')!.partitions.find((p) => p.partition === 4)!.replicas).toEqual([3, 2]);
    const shrink = await lab.run(`kafka-topics ${BS} --alter --topic carts --partitions 2`);
    expect(shrink.code).toBe(1);
    expect(shrink.output).toMatch(/^Error while executing topic command : .+\nhint: INVALID_PARTITIONS \(error code 37\)/);
  });
});

describe('kafka-topics describe filters', () => {
  it('shows only under-replicated and under-min-isr partitions after a broker crash', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 3 --replication-factor 3 --config min.insync.replicas=3`);
    await lab.run(`kafka-topics ${BS} --create --topic solo --replica-assignment 1`);
    expect((await lab.run(`kafka-topics ${BS} --describe --under-replicated-partitions`)).output).toBe('');

    await lab.run('broker crash 3');
    lab.advance(60_000);

    const under = lines((await lab.run(`kafka-topics ${BS} --describe --under-replicated-partitions`)).output);
    expect(under).toHaveLength(3);
    for (const line of under) {
      expect(line).toMatch(/^\tTopic: orders\tPartition: \d\tLeader: [12]\tReplicas: [\d,]+\tIsr: [12],[12]\t/);
    }
    const underMinIsr = lines((await lab.run(`kafka-topics ${BS} --describe --topic orders --under-min-isr-partitions`)).output);
    expect(underMinIsr).toHaveLength(3);
    expect((await lab.run(`kafka-topics ${BS} --describe --unavailable-partitions`)).output).toBe('');

    await lab.run('broker crash 1');
    lab.advance(60_000);
    const unavailable = lines((await lab.run('kafka-topics --bootstrap-server localhost:9093 --describe --unavailable-partitions')).output);
    expect(unavailable).toContainEqual(expect.stringMatching(/^\tTopic: solo\tPartition: 0\tLeader: none\tReplicas: 1\t/));
  });

  it('lists only topics with overrides, without partitions', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic plain --partitions 1 --replication-factor 1`);
    await lab.run(`kafka-topics ${BS} --create --topic tuned --partitions 2 --replication-factor 1 --config retention.ms=1000 --config cleanup.policy=compact`);
    const { output } = await lab.run(`kafka-topics ${BS} --describe --topics-with-overrides`);
    expect(lines(output)).toEqual([expect.stringMatching(/^Topic: tuned\tTopicId: \S+\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: cleanup.policy=compact,retention.ms=1000$/)]);
  });
});

describe('kafka-topics command line', () => {
  let lab: TestLab;
  beforeEach(async () => {
    lab = await newTestLab();
  });

  const cases: Array<[string, string, string | RegExp]> = [
    ['unknown option', `kafka-topics ${BS} --list --topik x`, 'Error while executing topic command : topik is not a recognized option\nhint: Did you mean --topic?\n'],
    ['no bootstrap server', 'kafka-topics --list', '--bootstrap-server must be specified\nhint: add --bootstrap-server localhost:9092\n'],
    ['two actions', `kafka-topics ${BS} --list --describe`, /^Command must include exactly one action: --list, --describe, --create, --alter or --delete\n/],
    ['no topic', `kafka-topics ${BS} --create --partitions 1`, /^Missing required argument "\[topic\]"\n/],
    ['option with wrong action', `kafka-topics ${BS} --list --partitions 3`, /^Option "\[partitions\]" can't be used with option "\[list\]"\n/],
    ['config with alter', `kafka-topics ${BS} --alter --topic t --partitions 3 --config a=b`, /^Option combination "\[bootstrap-server, config\]" can't be used with option "\[alter\]" \(To alter topic configurations, the kafka-configs tool can be used.\)\n/],
    ['misspelt config', `kafka-topics ${BS} --create --topic t --config min.insync.replica=2`, 'Error while executing topic command : Unknown topic config name: min.insync.replica\nhint: Did you mean min.insync.replicas?\n'],
    ['config without =', `kafka-topics ${BS} --create --topic t --config retention.ms`, /^requirement failed: Invalid topic config: all configs to be added must be in the format "key=val"\.\n/],
    ['replication factor zero', `kafka-topics ${BS} --create --topic t --replication-factor 0`, /^The replication factor must be between 1 and 32767 inclusive\n/],
    ['unknown listener', '--list --bootstrap-server kafka:9092', /^Could not connect to kafka:9092: no broker of this lab listens there\.\nhint: the lab's brokers listen on localhost:9092 \(broker 1\), localhost:9093 \(broker 2\), localhost:9094 \(broker 3\)\n$/],
    ['malformed listener', '--list --bootstrap-server localhost', /^Invalid url in bootstrap.servers: localhost\n/],
    ['not a number', `kafka-topics ${BS} --create --topic t --partitions many`, /^Error while executing topic command : Cannot parse argument 'many' of option partitions\n/],
  ];

  it.each(cases)('%s', async (_name, line, expected) => {
    const full = line.startsWith('kafka-topics') ? line : `kafka-topics ${line}`;
    const { code, output } = await lab.run(full);
    expect(code).toBe(1);
    if (typeof expected === 'string') expect(output).toBe(expected);
    else expect(output).toMatch(expected);
  });

  it('accepts any running broker address and explains a stopped one', async () => {
    expect((await lab.run('kafka-topics --bootstrap-server 127.0.0.1:9094 --list')).code).toBe(0);
    await lab.run('broker stop 2');
    lab.advance(30_000);
    const down = await lab.run('kafka-topics --bootstrap-server localhost:9093 --list');
    expect(down.code).toBe(1);
    expect(down.output).toMatch(/^Timed out waiting for a node assignment: broker 2 \(stopped\) cannot answer\.\nhint: bootstrap from a running broker, e\.g\. --bootstrap-server localhost:9092/);
    expect((await lab.run('kafka-topics --bootstrap-server localhost:9093,localhost:9092 --list')).code).toBe(0);
  });

  it('prints usage for --help (exit 0) and for no arguments (exit 1)', async () => {
    const helpRun = await lab.run('kafka-topics --help');
    expect(helpRun.code).toBe(0);
    expect(helpRun.output).toMatch(/^This tool helps to create, delete, describe, or change a topic\.\nOption\s+Description\n/);
    expect(helpRun.output).toContain('--under-min-isr-partitions');
    const bare = await lab.run('kafka-topics');
    expect(bare.code).toBe(1);
    expect(bare.output).toBe(helpRun.output);
  });
});

describe('kafka-topics parsing helpers', () => {
  it('parses a replica assignment and rejects duplicates and ragged lists', () => {
    expect(parseReplicaAssignment('1:2:3, 2:3:1')).toEqual([
      [1, 2, 3],
      [2, 3, 1],
    ]);
    expect(() => parseReplicaAssignment('1:1')).toThrow('Partition replica lists may not contain duplicate entries: 1');
    expect(() => parseReplicaAssignment('1:2,3')).toThrow('Partition 1 has different replication factor: [3]');
  });

  it('matches topic names like Kafka IncludeList', () => {
    expect(topicFilter('orders').test('orders-dlq')).toBe(false);
    expect(topicFilter('"orders.*"').test('orders-dlq')).toBe(true);
    expect(topicFilter('a, b').test('b')).toBe(true);
  });
});

describe('options that have no effect in the lab', () => {
  it('--command-config must name a lab file, and says its settings are not applied', async () => {
    const lab = await newTestLab(undefined, undefined, new LabFiles({ 'admin.properties': 'security.protocol=PLAINTEXT\n' }));
    const missing = await lab.run(`kafka-topics ${BS} --list --command-config client.properties`);
    expect(missing).toEqual({ code: 1, output: "--command-config client.properties: no such file in this lab.\nhint: `ls` lists the lab's files; `write <file> <text>` creates one\n" });
    const listed = await lab.run(`kafka-topics ${BS} --create --topic audit --command-config admin.properties`);
    expect(listed.code).toBe(0);
    expect(listed.output).toMatch(/^hint: --command-config has no effect here: the lab needs no client security or connection settings.*\nCreated topic audit\.\n$/);
  });
});
