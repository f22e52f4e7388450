/**
 * Model answer for the geo-replication exercise. Orders are written and billed in us-east;
 * MirrorMaker 2 copies them to eu-west as `us-east.orders` and translates billing's
 * offsets; after the failover, billing resumes in eu-west from the translated offsets.
 */
import type { Consumer, ConsumerRecord, Kafka, Log } from '@kil/client';

/** The secondary region's brokers: a geo lab's eu-west cluster listens on localhost:9192. */
export const euWest = 'localhost:9192';

export async function writeOrders(kafka: Kafka, log: Log, from = 1, count = 30): Promise<void> {
  const producer = kafka.producer();
  for (let i = from; i < from + count; i++) await producer.send({ topic: 'orders', key: `order-${i}`, value: `amount=${i * 3}` });
  log(`wrote orders ${from} to ${from + count - 1}`);
}

/** Polls until the consumer holds partitions and has read at least `atLeast` records (or gives up). */
async function readSome(consumer: Consumer, atLeast: number, rounds = 40): Promise<ConsumerRecord[]> {
  const seen: ConsumerRecord[] = [];
  for (let i = 0; i < rounds && seen.length < atLeast; i++) seen.push(...(await consumer.poll(500)));
  return seen;
}

/** Billing reads up to `batch` orders from where it left off, commits its position and stops. */
export async function bill(kafka: Kafka, log: Log, batch: number, topic = 'orders'): Promise<void> {
  const billing = kafka.consumer({ groupId: 'billing', autoOffsetReset: 'earliest', maxPollRecords: batch });
  billing.subscribe([topic]);
  const read = await readSome(billing, 1);
  await billing.commitSync();
  log(`billing processed ${read.length} order(s) of ${topic} and committed ${JSON.stringify(billing.currentOffsets())}`);
  await billing.close();
}

/** Step 2: orders come in and billing processes part of them. */
export async function consumeSome(kafka: Kafka, log: Log): Promise<void> {
  await writeOrders(kafka, log, 1, 30);
  await bill(kafka, log, 20);
}

/** Step 4: billing moves on after the last checkpoint; then, with us-east cut off, more orders arrive. */
export async function keepBilling(kafka: Kafka, log: Log): Promise<void> {
  await bill(kafka, log, 5);
}

export async function ordersDuringCut(kafka: Kafka, log: Log): Promise<void> {
  await writeOrders(kafka, log, 31, 6);
}

/** Step 6: billing resumes in eu-west, reading the renamed topic from its translated offsets. */
export async function resumeInEuWest(kafka: Kafka, log: Log): Promise<void> {
  const eu = kafka.cluster(euWest);
  const billing = eu.consumer({ groupId: 'billing', autoOffsetReset: 'earliest' });
  billing.subscribe(['us-east.orders']);
  const read = await readSome(billing, 1);
  for (let i = 0; i < 2; i++) read.push(...(await billing.poll(500)));
  await billing.commitSync();
  log(`billing resumed in eu-west and read ${read.length} order(s), some of them a second time`);
  await billing.close();
}

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  await consumeSome(kafka, log);
  await keepBilling(kafka, log);
  await ordersDuringCut(kafka, log);
  await resumeInEuWest(kafka, log);
}
