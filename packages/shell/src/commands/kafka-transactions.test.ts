import { settle } from '@kil/engine';
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

  it('lists and describes a transaction, and shows the producers of a partition', async () => {
    await lab.run(`kafka-topics ${BS} --create --topic receipts --partitions 1 --replication-factor 3`);
    const producer = lab.cluster.client.createProducer({ transactionalId: 'billing-1' });
    await settle(lab.cluster, (async () => {
      await producer.init();
      producer.beginTransaction();
      await producer.send({ topic: 'receipts', partition: 0, records: [{ value: 'r1' }] });
    })());
    const listed = await lab.run(`kafka-transactions ${BS} list`);
    expect(listed.code).toBe(0);
    const [header, row] = listed.output.trimEnd().split('\n');
    const cellsOf = (line: string | undefined): string[] => (line ?? '').split('\t').map((c) => c.trim()).filter((c) => c !== '');
    expect(cellsOf(header)).toEqual(['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState']);
    expect(cellsOf(row)).toEqual(['billing-1', expect.stringMatching(/^\d$/), String(producer.producerId), 'Ongoing']);
    const described = await lab.run(`kafka-transactions ${BS} describe --transactional-id billing-1`);
    const cells = described.output.trimEnd().split('\n')[1]!.split('\t').map((c) => c.trim());
    expect(cells[1]).toBe('billing-1');
    expect(cells[4]).toBe('Ongoing');
    expect(cells[8]).toBe('receipts-0');
    const producers = await lab.run(`kafka-transactions ${BS} describe-producers --topic receipts --partition 0`);
    const prow = producers.output.trimEnd().split('\n')[1]!.split('\t').map((c) => c.trim());
    expect(prow[0]).toBe(String(producer.producerId));
    expect(prow[5]).toBe('0');
    expect((await lab.run(`kafka-transactions ${BS} find-hanging --broker-id 1`)).output).toMatch(/^Topic\s*\tPartition\s*\tProducerId/);
    await settle(lab.cluster, producer.commitTransaction());
    const unknown = await lab.run(`kafka-transactions ${BS} describe --transactional-id nobody`);
    expect(unknown.code).toBe(1);
  });

  it('aborts an open transaction found by its start offset', async () => {
    const zombie = lab.cluster.client.createProducer({ transactionalId: 'zombie' });
    await settle(lab.cluster, (async () => {
      await zombie.init();
      zombie.beginTransaction();
      await zombie.send({ topic: 'receipts', partition: 0, records: [{ value: 'z' }] });
    })());
    // Let the commit marker of the earlier transaction reach the followers first.
    lab.advance(1_000);
    const start = lab.cluster.snapshot().topics.find((t) => t.name === 'receipts')!.partitions[0]!.lastStableOffset;
    const aborted = await lab.run(`kafka-transactions ${BS} abort --topic receipts --partition 0 --start-offset ${start}`);
    expect(aborted).toEqual({ code: 0, output: '' });
    lab.advance(2_000);
    const partition = lab.cluster.snapshot().topics.find((t) => t.name === 'receipts')!.partitions[0]!;
    expect(partition.lastStableOffset).toBe(partition.highWatermark);
  });
});
