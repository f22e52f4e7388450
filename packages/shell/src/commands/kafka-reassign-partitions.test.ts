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

  it('generates a proposal from a topics file, and saves it with --output-file', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic orders --replica-assignment 1:2,2:3,3:1`);
    lab.files.write('topics.json', '{"version":1,"topics":[{"topic":"orders"}]}');
    const { code, output } = await lab.run(`kafka-reassign-partitions ${BS} --generate --topics-to-move-json-file topics.json --broker-list 1,2,3 --output-file plan.json`);
    expect(code).toBe(0);
    expect(output).toBe(
      'Current partition replica assignment\n' +
        '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2],"log_dirs":["any","any"]},{"topic":"orders","partition":1,"replicas":[2,3],"log_dirs":["any","any"]},{"topic":"orders","partition":2,"replicas":[3,1],"log_dirs":["any","any"]}]}\n' +
        '\n' +
        'Proposed partition reassignment configuration\n' +
        '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2],"log_dirs":["any","any"]},{"topic":"orders","partition":1,"replicas":[2,3],"log_dirs":["any","any"]},{"topic":"orders","partition":2,"replicas":[3,1],"log_dirs":["any","any"]}]}\n' +
        'hint: saved the proposal to plan.json; run it with --execute --reassignment-json-file plan.json\n',
    );
    expect(JSON.parse(lab.files.read('plan.json')).partitions).toHaveLength(3);
  });

  it('refuses unknown brokers and missing files', async () => {
    expect((await lab.run(`kafka-reassign-partitions ${BS} --generate --topics-to-move-json-file topics.json --broker-list 1,9`)).output).toMatch(/^Unknown broker: 9\n/);
    expect((await lab.run(`kafka-reassign-partitions ${BS} --execute --reassignment-json-file nope.json`)).output).toMatch(/^nope\.json \(No such file or directory\)\n/);
  });

  it('executes a throttled move, verifies it and clears the throttles', async () => {
    lab.files.write('move.json', '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[2,3]}]}');
    await lab.run(`kafka-console-producer ${BS} --topic orders --property parse.key=true --property key.separator=: --message a:1 --message b:2 --message c:3`);
    const executed = await lab.run(`kafka-reassign-partitions ${BS} --execute --reassignment-json-file move.json --throttle 1048576`);
    expect(executed.code).toBe(0);
    expect(executed.output).toBe(
      'Current partition replica assignment\n\n' +
        '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}\n\n' +
        'Save this to use as the --reassignment-json-file option during rollback\n' +
        'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.\n' +
        'The inter-broker throttle limit was set to 1048576 B/s\n' +
        'Successfully started partition reassignment for orders-0\n',
    );
    const brokerConfigs = (await lab.run(`kafka-configs ${BS} --entity-type brokers --entity-name 3 --describe`)).output;
    expect(brokerConfigs).toContain('follower.replication.throttled.rate=1048576');
    expect((await lab.run(`kafka-configs ${BS} --topic orders --describe`)).output).toContain('follower.replication.throttled.replicas=0:3');
    lab.advance(30_000);
    const verified = await lab.run(`kafka-reassign-partitions ${BS} --verify --reassignment-json-file move.json`);
    expect(verified.output).toBe(
      'Status of partition reassignment:\nReassignment of partition orders-0 is completed.\n\nClearing broker-level throttles on brokers 1,2,3\nClearing topic-level throttles on topic orders\n',
    );
    expect(lab.cluster.snapshot().topics.find((t) => t.name === 'orders')!.partitions[0]!.replicas).toEqual([2, 3]);
    lab.advance(1_000);
    expect((await lab.run(`kafka-configs ${BS} --entity-type brokers --entity-name 3 --describe`)).output).toBe('Dynamic configs for broker 3 are:\n');
    expect((await lab.run(`kafka-reassign-partitions ${BS} --list`)).output).toBe('No partition reassignments found.\n');
    expect((await lab.run(`kafka-reassign-partitions ${BS} --cancel --reassignment-json-file move.json`)).output).toBe('None of the specified partition reassignments are active.\n');
  });
});
