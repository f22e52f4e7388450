/**
 * Model answer for the transactions exercise: a consume-transform-produce loop from
 * `payments` to `ledger` that commits its input offsets inside the transaction.
 */
import type { Consumer, ConsumerRecord, Kafka, Log } from '@kil/client';

export async function seedPayments(kafka: Kafka): Promise<void> {
  const producer = kafka.producer();
  for (let i = 1; i <= 6; i++) await producer.send({ topic: 'payments', key: `account-${i % 3}`, value: String(i * 10) });
}

/** Polls until the consumer has joined its group and received partitions (a rebalance takes a few seconds). */
async function joined(consumer: Consumer, rounds = 40): Promise<ConsumerRecord[]> {
  for (let i = 0; i < rounds; i++) {
    const records = await consumer.poll(500);
    if (consumer.assignment().length > 0) return records;
  }
  return [];
}

/** Reads a batch of payments and writes one ledger line per payment, all or nothing. */
async function transformOnce(kafka: Kafka, log: Log, commit: boolean): Promise<void> {
  const consumer = kafka.consumer({ groupId: 'ledger-app', isolationLevel: 'read_committed', autoOffsetReset: 'earliest' });
  consumer.subscribe(['payments']);
  const producer = kafka.producer({ transactionalId: 'ledger-writer' });
  await producer.initTransactions();
  const records = await joined(consumer);
  if (records.length === 0) records.push(...(await consumer.poll(2000)));
  producer.beginTransaction();
  for (const r of records) await producer.send({ topic: 'ledger', key: r.key, value: `credit ${r.value}` });
  await producer.sendOffsetsToTransaction(consumer.currentOffsets(), consumer.groupMetadata());
  if (commit) await producer.commitTransaction();
  else await producer.abortTransaction();
  log(`${commit ? 'committed' : 'aborted'} ${records.length} ledger line(s)`);
  await consumer.close();
}

/** Task 1: `ledger.properties` as the model answer leaves it, applied as the page applies it on Run. */
export const ledgerProperties = 'min.insync.replicas=2\n';

export async function durableLedger(kafka: Kafka, log: Log): Promise<void> {
  await kafka.withProperties([{ file: 'ledger.properties', kind: 'topic', topic: 'ledger', text: ledgerProperties }], log);
  log('ledger now needs two in-sync replicas for an acks=all write');
}

/** The lab's set-up left six payments in `payments`; this loop turns them into ledger lines. */
export async function commitLoop(kafka: Kafka, log: Log): Promise<void> {
  await transformOnce(kafka, log, true);
}

export async function abortOne(kafka: Kafka, log: Log): Promise<void> {
  await seedPayments(kafka);
  await transformOnce(kafka, log, false);
}

export async function compareIsolation(kafka: Kafka, log: Log): Promise<void> {
  for (const isolationLevel of ['read_committed', 'read_uncommitted'] as const) {
    const auditor = kafka.consumer({ groupId: isolationLevel === 'read_committed' ? 'auditors' : 'auditors-dirty', isolationLevel, autoOffsetReset: 'earliest' });
    auditor.subscribe(['ledger']);
    let seen = (await joined(auditor)).length;
    for (let i = 0; i < 4; i++) seen += (await auditor.poll(500)).length;
    await auditor.commitSync();
    log(`${isolationLevel} saw ${seen} ledger line(s)`);
    await auditor.close();
  }
}

export async function fenceZombie(kafka: Kafka, log: Log): Promise<void> {
  const zombie = kafka.producer({ transactionalId: 'ledger-writer' });
  await zombie.initTransactions();
  zombie.beginTransaction();
  await zombie.send({ topic: 'ledger', key: 'zombie', value: 'late write' });
  const successor = kafka.producer({ transactionalId: 'ledger-writer' });
  await successor.initTransactions();
  try {
    await zombie.commitTransaction();
    log('the zombie committed: fencing did not work');
  } catch (error) {
    log(`the zombie was fenced: ${(error as Error).message}`);
  }
}

export async function openHanging(kafka: Kafka): Promise<void> {
  const stuck = kafka.producer({ transactionalId: 'stuck-writer', transactionTimeoutMs: 900_000 });
  await stuck.initTransactions();
  stuck.beginTransaction();
  await stuck.send({ topic: 'ledger', key: 'stuck', value: 'never committed' });
}

export async function abortHanging(kafka: Kafka): Promise<void> {
  // A new producer with the same transactional.id aborts what the old one left open.
  await kafka.producer({ transactionalId: 'stuck-writer' }).initTransactions();
}

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  await durableLedger(kafka, log);
  await commitLoop(kafka, log);
  await abortOne(kafka, log);
  await compareIsolation(kafka, log);
  await fenceZombie(kafka, log);
  await openHanging(kafka);
  await abortHanging(kafka);
}
