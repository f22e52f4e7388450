/**
 * Module 2 challenge: make metrics-0 roll segments with topic-level settings only
 * (`segment.bytes` or `segment.ms`). The grader counts the `.log` files in the partition's
 * directory on its leader, and looks in the trace for any broker-level config change.
 */
import { criterion, dataOf, topicExists } from '@kil/grader';
import { defineChallenge } from './define';
import { partitionOf, segmentFiles } from './criteria';

const topic = 'metrics';
const segmentsMin = 3;
const produce = 'kafka-console-producer --bootstrap-server localhost:9092 --topic metrics';

export const rollSegments = defineChallenge({
  id: '02-broker-roll-segments',
  title: 'Make a partition roll',
  module: '02-broker',
  lab: { brokers: 3, controllers: 3, topics: [{ name: 'orders', numPartitions: 3, replicationFactor: 3 }] },
  tasks: [
    {
      id: 'roll-segments',
      title: 'Give metrics-0 at least three segments on its leader',
      description: 'Partition 0 of `metrics` consists of at least three log segments on its leader, using topic-level configuration only.',
      criteria: [
        topicExists(topic),
        criterion(`metrics-0 has at least ${segmentsMin} log segments on its leader`, (view) => {
          const p = partitionOf(view, topic, 0);
          if (!p) return { passed: false, observed: 'there is no partition metrics-0' };
          if (p.leader < 0) return { passed: false, observed: 'metrics-0 has no leader' };
          const files = segmentFiles(view, p.leader, topic, 0);
          return { passed: files.length >= segmentsMin, observed: `broker ${p.leader} (the leader) holds ${files.length} segment(s) of metrics-0: ${files.join(', ')}` };
        }),
        criterion('no broker-level configuration was changed', (view) => {
          // A config change without a topic is a broker (or cluster-default) change.
          const brokerChanges = view.events.filter((e) => e.type === 'config-changed' && e.topic === undefined && dataOf(e, 'resourceType') !== 'topic');
          return brokerChanges.length === 0
            ? { passed: true, observed: 'every config change was topic-level' }
            : { passed: false, observed: brokerChanges[0]!.message };
        }),
      ],
      hints: [
        'A segment rolls when it reaches segment.bytes or when it is older than segment.ms. Both can be set on the topic alone.',
        'Create `metrics` with `--config segment.bytes=1024` (or set it later with `kafka-configs --entity-type topics --entity-name metrics --alter --add-config segment.bytes=1024`) and produce a few kilobytes.',
        '`kafka-dump-log --files metrics-0/00000000000000000000.log` and `trace --type log-segment-rolled` show the rolls.',
      ],
      solution: [
        { kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --create --topic metrics --partitions 1 --replication-factor 3 --config segment.bytes=1024' },
        { kind: 'shell', line: `${produce} ${['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map((c) => `--message ${c.repeat(200)}`).join(' ')}` },
        { kind: 'shell', line: 'trace --type log-segment-rolled --topic metrics' },
      ],
    },
  ],
});
