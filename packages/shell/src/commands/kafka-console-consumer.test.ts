import { runUntil, settle } from '@kil/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTestLab, type TestLab } from '../testing';
import { processedLine } from './kafka-console-consumer';

const BS = '--bootstrap-server localhost:9092';

describe('kafka-console-consumer', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await newTestLab();
  });

  const usageErrors: Array<[string, string]> = [
    [BS, 'Exactly one of --include/--topic is required. '],
    [`${BS} --topic t --offset 5`, 'The partition is required when offset is specified.'],
    [`${BS} --topic t --partition 0 --offset 5 --from-beginning`, 'Options from-beginning and offset cannot be specified together.'],
    [`${BS} --topic t --partition 0 --group g`, 'Options group and partition cannot be specified together.'],
    [`${BS} --topic t --partition 0 --offset first`, "The provided offset value is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."],
    [`${BS} --topic t --isolation-level committed`, 'Invalid value committed for configuration isolation.level: String must be one of: read_committed, read_uncommitted'],
    [`${BS} --topic t --property print.key`, "Invalid --property 'print.key': expected key=value"],
    ['--topic t', 'Missing required argument "[bootstrap-server]"'],
  ];

  it.each(usageErrors)('refuses %s', async (args, message) => {
    const { code, output } = await lab.run(`kafka-console-consumer ${args}`);
    expect(code).toBe(1);
    expect(output.split('\n')[0]).toBe(message);
  });

  it('ends with Kafka\'s summary line', () => {
    expect(processedLine(3)).toBe('Processed a total of 3 messages');
  });
});

describe('kafka-console-consumer against the cluster', () => {
  it('follows new records until Ctrl-C, then prints the total', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic live --partitions 2 --replication-factor 3`);
    await lab.run(`kafka-console-producer ${BS} --topic live --message before`);
    const consumer = lab.start(`kafka-console-consumer ${BS} --topic live --property print.offset=true`);
    await runUntil(lab.cluster, () => false, 2_000);
    await lab.run(`kafka-console-producer ${BS} --topic live --property parse.key=true --property key.separator=: --message a:first --message a:second`);
    expect(await runUntil(lab.cluster, () => consumer.output().includes('second'))).toBe(true);
    consumer.interrupt();
    expect(await consumer.done).toBe(0);
    expect(consumer.output()).toMatch(/^Offset:\d+\tfirst\nOffset:\d+\tsecond\nProcessed a total of 2 messages\n$/);
  });

  it('reads one partition from an offset; with --group it resumes from the committed offset', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic seq --partitions 1 --replication-factor 1`);
    await lab.run(`kafka-console-producer ${BS} --topic seq --message m0 --message m1 --message m2`);
    expect(await lab.run(`kafka-console-consumer ${BS} --topic seq --partition 0 --offset 1 --max-messages 2`)).toEqual({ code: 0, output: 'm1\nm2\nProcessed a total of 2 messages\n' });
    expect(await lab.run(`kafka-console-consumer ${BS} --topic seq --group g1 --from-beginning --max-messages 1`)).toEqual({ code: 0, output: 'm0\nProcessed a total of 1 messages\n' });
    // The group committed offset 1, so --from-beginning no longer applies: it resumes at m1.
    expect(await lab.run(`kafka-console-consumer ${BS} --topic seq --group g1 --from-beginning --max-messages 2`)).toEqual({ code: 0, output: 'm1\nm2\nProcessed a total of 2 messages\n' });
    expect((await lab.run(`kafka-console-consumer ${BS} --topic nope --from-beginning`)).output).toMatch(/^Topic nope does not exist\.\n/);
  });

  it('skips aborted transactional records with --isolation-level read_committed', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic receipts --partitions 1 --replication-factor 3`);
    const committed = await lab.run(`kafka-console-producer ${BS} --topic receipts --producer-property transactional.id=billing-1 --message ok-1 --message ok-2`);
    expect(committed.code).toBe(0);
    const producer = lab.cluster.client.createProducer({ transactionalId: 'billing-2' });
    const aborted = (async () => {
      await producer.init();
      producer.beginTransaction();
      await producer.send({ topic: 'receipts', partition: 0, records: [{ value: 'lost' }] });
      await producer.abortTransaction();
    })();
    await settle(lab.cluster, aborted);
    const uncommitted = await lab.run(`kafka-console-consumer ${BS} --topic receipts --from-beginning --timeout-ms 2000 --isolation-level read_uncommitted`);
    expect(uncommitted.output).toContain('lost\n');
    const readCommitted = await lab.run(`kafka-console-consumer ${BS} --topic receipts --from-beginning --timeout-ms 2000 --isolation-level read_committed`);
    expect(readCommitted.output).toMatch(/^ok-1\nok-2\nERROR .*TimeoutException\nProcessed a total of 2 messages\n$/);
  });

  it('reads every topic matching --include', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders-eu --partitions 1 --replication-factor 1`);
    await lab.run(`kafka-topics ${BS} --create --topic orders-us --partitions 1 --replication-factor 1`);
    await lab.run(`kafka-topics ${BS} --create --topic payments --partitions 1 --replication-factor 1`);
    await lab.run(`kafka-console-producer ${BS} --topic orders-eu --message eu`);
    await lab.run(`kafka-console-producer ${BS} --topic orders-us --message us`);
    await lab.run(`kafka-console-producer ${BS} --topic payments --message pay`);
    const { code, output } = await lab.run(`kafka-console-consumer ${BS} --include "orders-.*" --from-beginning --timeout-ms 2000`);
    expect(code).toBe(0);
    expect(output).toMatch(/^eu\nus\nERROR .*TimeoutException\nProcessed a total of 2 messages\n$/);
    expect((await lab.run(`kafka-console-consumer ${BS} --include "nothing.*"`)).output).toMatch(/^No topic matches --include nothing\.\*\./);
  });

  it('waits for a group coordinator that cannot exist yet, says why, and stops on Ctrl-C', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic audit-log`);
    await lab.run('broker stop 2 3');
    lab.advance(20_000);
    const running = lab.start(`kafka-console-consumer ${BS} --topic audit-log --group audit --from-beginning`);
    // The consumer's poll must let virtual time pass; a loop that never yields would hang here.
    await runUntil(lab.cluster, () => false, 10_000);
    expect(running.output()).toMatch(/^WARN \[Consumer clientId=console-consumer, groupId=audit\] Group coordinator is unavailable \(COORDINATOR_NOT_AVAILABLE\); still retrying FindCoordinator\.\nhint: .*offsets\.topic\.replication\.factor/);
    expect(running.output().match(/WARN/g)).toHaveLength(1);
    running.interrupt();
    expect(await settle(lab.cluster, running.done)).toBe(0);
    expect(running.output()).toMatch(/Processed a total of 0 messages\n$/);
  });
});
