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

  it('moves leadership back to the preferred replica, then finds nothing to do', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 1 --replication-factor 3`);
    const preferred = () => lab.cluster.snapshot().topics.find((t) => t.name === 'orders')!.partitions[0]!;
    const first = preferred().replicas[0]!;
    await lab.run(`broker stop ${first}`);
    lab.advance(15_000);
    expect(preferred().leader).not.toBe(first);
    await lab.run(`broker start ${first}`);
    lab.advance(15_000);
    expect(preferred().isr).toContain(first);
    const elected = await lab.run(`kafka-leader-election ${BS} --election-type preferred --topic orders --partition 0`);
    expect(elected).toEqual({ code: 0, output: 'Successfully completed leader election (PREFERRED) for partitions orders-0\n' });
    lab.advance(1_000);
    expect(preferred().leader).toBe(first);
    const again = await lab.run(`kafka-leader-election ${BS} --election-type preferred --topic orders --partition 0`);
    expect(again).toEqual({ code: 0, output: 'Valid replica already elected for partitions orders-0\n' });
  });

  it('reads the partitions from a lab file', async () => {
    lab.files.write('elect.json', '{"partitions":[{"topic":"orders","partition":0}]}');
    const { code, output } = await lab.run(`kafka-leader-election ${BS} --election-type preferred --path-to-json-file elect.json`);
    expect(code).toBe(0);
    expect(output).toBe('Valid replica already elected for partitions orders-0\n');
    lab.files.write('dup.json', '{"partitions":[{"topic":"orders","partition":0},{"topic":"orders","partition":0}]}');
    const dup = await lab.run(`kafka-leader-election ${BS} --election-type preferred --path-to-json-file dup.json`);
    expect(dup.code).toBe(1);
    expect(dup.output.split('\n')[0]).toBe('Replica election data contains duplicate partitions: orders-0');
  });

  it('reports partitions that cannot be elected, with the error name', async () => {
    const { code, output } = await lab.run(`kafka-leader-election ${BS} --election-type preferred --topic nope --partition 0`);
    expect(code).toBe(1);
    expect(output).toMatch(/^Error completing leader election \(PREFERRED\) for partition: nope-0: .+\nhint: UNKNOWN_TOPIC_OR_PARTITION \(error code 3\)/);
    expect(output).toContain('1 replica(s) could not be elected');
  });

  it('elects an out-of-sync replica with an unclean election when every ISR member is down', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic payments --replica-assignment 1:2`);
    const p = () => lab.cluster.snapshot().topics.find((t) => t.name === 'payments')!.partitions[0]!;
    await lab.run('broker crash 2');
    lab.advance(40_000);
    expect(p().isr).toEqual([1]);
    await lab.run('broker crash 1');
    await lab.run('broker start 2');
    lab.advance(20_000);
    expect(p().leader).toBe(-1);
    // Broker 1 (localhost:9092) is down, so the tools bootstrap from broker 2.
    const clean = await lab.run('kafka-leader-election --bootstrap-server localhost:9093 --election-type preferred --topic payments --partition 0');
    expect(clean.code).toBe(1);
    expect(clean.output).toMatch(/^Error completing leader election \(PREFERRED\) for partition: payments-0: /);
    const unclean = await lab.run(`kafka-leader-election --bootstrap-server localhost:9093 --election-type unclean --topic payments --partition 0`);
    expect(unclean).toEqual({ code: 0, output: 'Successfully completed leader election (UNCLEAN) for partitions payments-0\n' });
    lab.advance(1_000);
    expect(p().leader).toBe(2);
    await lab.run('broker start 1');
  });
});
