/**
 * Model answer for the consumer group exercise. Each task is one function; `main` runs
 * them in order, as the editor does when you press Run.
 */
import type { Consumer, Kafka, Log, PartitionAssignor } from '@kil/client';

/**
 * Poll every member side by side until each holds partitions and together they hold all
 * six of `clicks` (a rebalance has finished), or until `rounds` polls have passed.
 */
async function pollAll(consumers: readonly Consumer[], rounds = 40): Promise<void> {
  const settled = () => consumers.every((c) => c.assignment().length > 0) && consumers.reduce((n, c) => n + c.assignment().length, 0) === 6;
  for (let i = 0; i < rounds; i++) {
    await Promise.all(consumers.map((c) => c.poll(500)));
    if (settled()) return;
  }
}

export async function runGroup(kafka: Kafka, log: Log): Promise<Consumer[]> {
  const members = [1, 2, 3].map(() => kafka.consumer({ groupId: 'clicks-readers', partitionAssignmentStrategy: ['range'] }));
  for (const [i, member] of members.entries()) {
    member.subscribe(['clicks'], { onPartitionsAssigned: (tps) => log(`member ${i + 1} got ${tps.map((tp) => tp.partition).join(',')}`) });
  }
  await pollAll(members);
  return members;
}

export async function scale(kafka: Kafka, log: Log): Promise<void> {
  const members = await runGroup(kafka, log);
  await members.pop()!.close();
  await pollAll(members);
  for (let i = 0; i < 2; i++) {
    const extra = kafka.consumer({ groupId: 'clicks-readers', partitionAssignmentStrategy: ['range'] });
    extra.subscribe(['clicks']);
    members.push(extra);
  }
  await pollAll(members);
  for (const m of members) await m.close();
}

export async function cooperative(kafka: Kafka, log: Log): Promise<void> {
  const make = () => kafka.consumer({ groupId: 'clicks-coop', partitionAssignmentStrategy: ['cooperative-sticky'] });
  const members = [make(), make()];
  let revoked = 0;
  for (const m of members) m.subscribe(['clicks'], { onPartitionsRevoked: (tps) => void (revoked += tps.length) });
  await pollAll(members);
  const third = make();
  third.subscribe(['clicks'], { onPartitionsRevoked: (tps) => void (revoked += tps.length) });
  members.push(third);
  await pollAll(members);
  log(`cooperative rebalance revoked ${revoked} partition(s)`);
  for (const m of members) await m.close();
}

export async function staticMembership(kafka: Kafka, log: Log): Promise<void> {
  const make = (id: string) => kafka.consumer({ groupId: 'clicks-static', groupInstanceId: id, sessionTimeoutMs: 30_000 });
  const members = [make('reader-a'), make('reader-b')];
  for (const m of members) m.subscribe(['clicks']);
  await pollAll(members);
  // "Restart" reader-b: a new consumer with the same group.instance.id, well inside the session timeout.
  await members[1]!.close();
  const restarted = make('reader-b');
  restarted.subscribe(['clicks']);
  await pollAll([members[0]!, restarted]);
  log('reader-b came back with its old partitions');
}

/** Evens to the first member, odds to the second: a deliberately simple custom assignor. */
export const evenOddAssignor: PartitionAssignor = {
  name: 'even-odd',
  assign(group) {
    const members = Object.keys(group.members).sort();
    const plan: Record<string, { topic: string; partition: number }[]> = Object.fromEntries(members.map((m) => [m, []]));
    for (const [topic, count] of Object.entries(group.partitionsPerTopic)) {
      for (let p = 0; p < count; p++) plan[members[p % members.length]!]!.push({ topic, partition: p });
    }
    return plan;
  },
};

export async function customAssignor(kafka: Kafka, log: Log): Promise<void> {
  const members = [1, 2].map(() => kafka.consumer({ groupId: 'clicks-custom', partitionAssignmentStrategy: [evenOddAssignor] }));
  for (const [i, m] of members.entries()) m.subscribe(['clicks'], { onPartitionsAssigned: (tps) => log(`member ${i + 1}: ${tps.map((tp) => tp.partition).join(',')}`) });
  await pollAll(members);
}

export default async function main(kafka: Kafka, log: Log): Promise<void> {
  await scale(kafka, log);
  await cooperative(kafka, log);
  await staticMembership(kafka, log);
  await customAssignor(kafka, log);
}
