/**
 * Module 1 challenge: a keyed topic whose six partitions each hold a record. The key
 * decides the partition (murmur2 of the key, modulo the partition count), so the learner
 * needs several keys; the grader reads the records on each partition's leader to see that
 * every one of them has a key.
 */
import { criterion, everyPartition, findTopic, topicExists } from '@kil/grader';
import { defineChallenge } from './define';
import { storedRecords } from './criteria';

const topic = 'events';
const produce = 'kafka-console-producer --bootstrap-server localhost:9092 --topic events --property parse.key=true --property key.separator=:';

export const keyedSpread = defineChallenge({
  id: '01-architecture-keyed-spread',
  title: 'Put a record in every partition',
  module: '01-architecture',
  lab: { brokers: 3, controllers: 3 },
  tasks: [
    {
      id: 'keyed-spread',
      title: 'Fill all six partitions of events with keyed records',
      description: 'Create `events` with 6 partitions and replication factor 3, then produce keyed records until every partition holds at least one.',
      criteria: [
        topicExists(topic, { partitions: 6, replicationFactor: 3 }),
        everyPartition(
          'every partition of events with an end offset of at least 1',
          topic,
          (p) => p.highWatermark >= 1,
          (p) => `events-${p.partition} ends at offset ${p.highWatermark}`,
        ),
        criterion('every record in events has a non-null key', (view) => {
          const found = findTopic(view, topic);
          if (!found) return { passed: false, observed: `no topic named ${topic}` };
          let total = 0;
          const unkeyed: string[] = [];
          for (const p of found.partitions) {
            if (p.leader < 0) return { passed: false, observed: `events-${p.partition} has no leader to read from` };
            const records = storedRecords(view, p.leader, topic, p.partition).filter((r) => !r.control);
            total += records.length;
            for (const r of records) if (r.key === null) unkeyed.push(`events-${p.partition} offset ${r.offset}`);
          }
          if (total === 0) return { passed: false, observed: 'events holds no records yet' };
          if (unkeyed.length > 0) return { passed: false, observed: `${unkeyed.length} of ${total} record(s) have no key, e.g. ${unkeyed.slice(0, 3).join(', ')}` };
          return { passed: true, observed: `all ${total} record(s) have a key` };
        }),
      ],
      hints: [
        'The key decides the partition: a record with key k goes to murmur2(k) mod 6. Records without a key do not count here.',
        'Produce with `--property parse.key=true --property key.separator=:` and `--message key:value`, using many different keys; `kafka-get-offsets --topic events` shows which partitions are still empty.',
        'The keys alice, bob, carol, dave, frank and ivan land on six different partitions.',
      ],
      solution: [
        { kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --create --topic events --partitions 6 --replication-factor 3' },
        { kind: 'shell', line: `${produce} --message alice:1 --message bob:1 --message carol:1 --message dave:1 --message frank:1 --message ivan:1` },
        { kind: 'shell', line: 'kafka-get-offsets --bootstrap-server localhost:9092 --topic events' },
      ],
    },
  ],
});
