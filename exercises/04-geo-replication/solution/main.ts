/**
 * Model answer for the geo-replication exercise: write orders on the primary, read some
 * in group `billing`, then (after failover) resume on the mirror from translated offsets.
 */
import type { Kafka, Log } from '@kil/client';

export async function writeOrders(kafka: Kafka, log: Log, count = 30): Promise<void> {
  const producer = kafka.producer();
  for (let i = 1; i <= count; i++) await producer.send({ topic: 'orders', key: `order-${i}`, value: `amount=${i * 3}` });
  log(`wrote ${count} orders`);
}

export async function consumeSome(kafka: Kafka, log: Log): Promise<void> {
  const billing = kafka.consumer({ groupId: 'billing', autoOffsetReset: 'earliest' });
  billing.subscribe(['orders']);
  let seen = 0;
  for (let i = 0; i < 4; i++) seen += (await billing.poll(500)).length;
  await billing.commitSync();
  log(`billing processed ${seen} order(s) and committed`);
  await billing.close();
}

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  await writeOrders(kafka, log);
  await consumeSome(kafka, log);
}
