/**
 * Exercise 1: the consumer group protocol. Every check reads the group coordinator's
 * trace (joins, generations, protocols, static rejoins), never the code you wrote.
 */
import { groupStable, memberCountsInOrder, noEventAfter, usedProtocol, dataOf, criterion, generations, type ExerciseManifest } from '@kil/grader';
import * as solution from './solution/main';
import starter from './starter/main';

const builtIn = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'];
const file = 'solution/main.ts';

/** `consumer.properties` as a learner first sees it: defaults for every consumer the program creates. */
const consumerProperties = [
  '# Every kafka.consumer() your program creates starts from these; options passed in code win.',
  '# The assignors a member offers, in order of preference (Kafka class names or short names).',
  'partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor',
  '# How long the coordinator waits for a silent member (a static one keeps its slot that long).',
  'session.timeout.ms=45000',
  '',
].join('\n');

export const consumerGroups: ExerciseManifest = {
  id: 'consumer-groups',
  title: 'Consumer group protocol',
  lab: { brokers: 3, controllers: 3, topics: [{ name: 'clicks', numPartitions: 6, replicationFactor: 3 }] },
  setup: [],
  properties: [{ file: 'consumer.properties', kind: 'consumer', text: consumerProperties }],
  starter: [{ kind: 'code', file: 'starter/main.ts', program: starter }],
  tasks: [
    {
      id: 'run-group',
      title: 'Run a group of three',
      description: 'Start three consumers in group `clicks-readers`, subscribed to `clicks` with the `range` assignor, and poll them until the group is Stable.',
      criteria: [memberCountsInOrder('clicks-readers', [3]), groupStable('clicks-readers')],
      hints: [
        'Create each consumer with `kafka.consumer({ groupId: "clicks-readers", partitionAssignmentStrategy: ["range"] })` and call `subscribe(["clicks"])`.',
        'A consumer only joins while it polls: `await Promise.all(members.map((c) => c.poll(500)))`, a few times over.',
      ],
      solution: [{ kind: 'code', file, program: async (kafka, log) => { for (const m of await solution.runGroup(kafka, log)) await m.close(); } }],
      needs: ['consumer-groups'],
    },
    {
      id: 'scale',
      title: 'Scale down to two, then up to four',
      description: 'Close one member of `clicks-readers` and keep polling the other two; then add two more. Each change is a new generation.',
      criteria: [memberCountsInOrder('clicks-readers', [3, 2, 4])],
      hints: ['`await consumer.close()` sends LeaveGroup, which starts a rebalance at once.', 'New members join on their first poll; keep polling the old ones too.'],
      solution: [{ kind: 'code', file, program: solution.scale }],
      needs: ['consumer-groups'],
    },
    {
      id: 'cooperative',
      title: 'Rebalance cooperatively',
      description: 'Run group `clicks-coop` with the `cooperative-sticky` assignor, two members, then add a third. Count the partitions revoked in `onPartitionsRevoked` and compare with the eager group above.',
      criteria: [usedProtocol('clicks-coop', 'cooperative-sticky', 2), memberCountsInOrder('clicks-coop', [2, 3])],
      hints: ['Pass `partitionAssignmentStrategy: ["cooperative-sticky"]`, or leave it out of the code and set `partition.assignment.strategy=cooperative-sticky` in `consumer.properties`.', 'A cooperative rebalance takes two generations: first revoke what moves, then assign it.'],
      solution: [{ kind: 'code', file, program: solution.cooperative }],
      needs: ['consumer-groups'],
    },
    {
      id: 'static',
      title: 'Restart without a rebalance',
      description: 'Give the members of `clicks-static` a `groupInstanceId`. Close one and start a new consumer with the same id before `session.timeout.ms` passes: the group must stay at its generation.',
      criteria: [
        criterion('a static member of clicks-static rejoined without a rebalance', (view) => {
          const rejoin = view.events.find((e) => e.type === 'group-static-rejoin-no-rebalance' && dataOf(e, 'groupId') === 'clicks-static');
          return rejoin ? { passed: true, observed: rejoin.message } : { passed: false, observed: `no static rejoin; ${generations(view, 'clicks-static').length} generation(s) of clicks-static` };
        }),
        noEventAfter(
          'no rebalance of clicks-static after it first became Stable',
          'group-rebalance-started',
          (e) => e.type === 'group-assignment-completed' && dataOf(e, 'groupId') === 'clicks-static',
          (e) => dataOf(e, 'groupId') === 'clicks-static',
        ),
      ],
      hints: ['`kafka.consumer({ groupId: "clicks-static", groupInstanceId: "reader-b" })`.', 'A static member that closes does not send LeaveGroup; its slot waits for it until the session times out.'],
      solution: [{ kind: 'code', file, program: solution.staticMembership }],
      needs: ['consumer-groups'],
    },
    {
      id: 'custom-assignor',
      title: 'Write your own assignor',
      description: 'Give group `clicks-custom` an assignor of your own: an object with a `name` and an `assign(group)` that returns partitions per member. The group must choose it.',
      criteria: [usedProtocol('clicks-custom', { notBuiltIn: builtIn }), groupStable('clicks-custom')],
      hints: ['`assign` receives `{ partitionsPerTopic, members }` and returns `{ [memberId]: [{ topic, partition }] }`.', 'Every member must list your assignor, or the group cannot agree on a protocol.'],
      solution: [{ kind: 'code', file, program: solution.customAssignor }],
      needs: ['consumer-groups'],
    },
  ],
};
