/**
 * Model answer for the tiered storage exercise: fill `metrics` past its local retention
 * so that old segments live only in the remote tier, then read offset 0 back.
 */
import type { Kafka, Log } from '@kil/client';

const reading = (i: number) => JSON.stringify({ host: `web-${i % 4}`, cpu: (i * 7) % 100, pad: 'x'.repeat(900) });

export async function fill(kafka: Kafka, log: Log, topic = 'metrics', records = 120): Promise<void> {
  const producer = kafka.producer();
  for (let i = 0; i < records; i++) await producer.send({ topic, partition: 0, key: `web-${i % 4}`, value: reading(i) });
  log(`wrote ${records} readings of about 1 KB to ${topic}`);
}

export async function readOldest(kafka: Kafka, log: Log): Promise<void> {
  const consumer = kafka.consumer({ autoOffsetReset: 'earliest' });
  consumer.assign([{ topic: 'metrics', partition: 0 }]);
  consumer.seek({ topic: 'metrics', partition: 0 }, 0);
  const records = await consumer.poll(2000);
  log(`read ${records.length} record(s) from offset ${records[0]?.offset ?? 'none'}`);
}

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  await fill(kafka, log);
  await readOldest(kafka, log);
}
