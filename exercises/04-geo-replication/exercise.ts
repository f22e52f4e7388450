/**
 * Exercise 4: geo-replication. A lab with a primary and a secondary cluster, a link
 * between them, a mirror topic with preserved offsets, and a consumer group failed over
 * to the secondary. Checks read the mirroring events of the trace (`mirror-*`, a proposal
 * to the engine: see packages/grader/SCOPE.md) and the group's committed offsets.
 */
import { dataOf, eventSeen, type ExerciseManifest } from '@kil/grader';
import * as solution from './solution/main';
import starter from './starter/main';

const file = 'solution/main.ts';
const bootstrap = '--bootstrap-server localhost:9092';
const link = (e: { data?: Readonly<Record<string, unknown>> }) => e.data?.['linkName'] === 'dr';

export const geoReplication: ExerciseManifest = {
  id: 'geo-replication',
  title: 'Geo-replication',
  lab: { brokers: 3, controllers: 3, racks: ['us-east-a', 'us-east-b', 'us-east-c'], topics: [{ name: 'orders', numPartitions: 3, replicationFactor: 3 }] },
  setup: [],
  starter: [{ kind: 'code', file: 'starter/main.ts', program: starter }],
  tasks: [
    {
      id: 'link',
      title: 'Link the clusters and mirror orders',
      description: 'Create a link named `dr` from the primary to the secondary and a mirror topic `orders` on the secondary.',
      criteria: [
        eventSeen('cluster link dr created', 'mirror-link-created', link),
        eventSeen('mirror topic orders created over dr', 'mirror-topic-created', (e) => link(e) && dataOf(e, 'topic') === 'orders'),
      ],
      hints: ['A mirror topic keeps the same offsets as its source, byte for byte.'],
      solution: [
        { kind: 'shell', line: `cluster-link ${bootstrap} --create --link dr --target secondary` },
        { kind: 'shell', line: `cluster-link ${bootstrap} --mirror --link dr --topic orders` },
      ],
      needs: ['geo-replication'],
    },
    {
      id: 'consume',
      title: 'Consume on the primary',
      description: 'Write 30 orders and let group `billing` process some of them and commit.',
      criteria: [eventSeen('group billing committed offsets on orders', 'offset-committed', (e) => dataOf(e, 'groupId') === 'billing')],
      hints: ['`consumer.commitSync()` after a few polls.'],
      solution: [
        { kind: 'code', file, program: (kafka, log) => solution.writeOrders(kafka, log) },
        { kind: 'code', file, program: solution.consumeSome },
      ],
      needs: ['consumer-groups'],
    },
    {
      id: 'failover',
      title: 'Fail over billing to the secondary',
      description: 'Stop the primary, promote the mirror, and resume group `billing` on the secondary from its translated offsets.',
      criteria: [
        eventSeen('mirror topic orders promoted on the secondary', 'mirror-topic-promoted', (e) => dataOf(e, 'topic') === 'orders'),
        eventSeen('billing offsets translated to the secondary', 'mirror-offsets-synced', (e) => dataOf(e, 'groupId') === 'billing'),
      ],
      hints: ['Offsets sync on an interval: orders consumed after the last sync are read again after failover.'],
      solution: [{ kind: 'shell', line: `cluster-link ${bootstrap} --failover --link dr --topic orders` }],
      needs: ['geo-replication'],
    },
    {
      id: 'account',
      title: 'Account for lost and duplicated orders',
      description: 'Compare what the primary had, what the mirror had at failover, and where billing resumed: how many orders were lost, how many processed twice?',
      criteria: [eventSeen('a failover report for link dr', 'mirror-failover-report', link)],
      hints: ['Lost: written on the primary after the mirror\'s last fetch. Duplicated: consumed after the last offset sync.'],
      solution: [{ kind: 'shell', line: `cluster-link ${bootstrap} --describe --link dr` }],
      needs: ['geo-replication'],
    },
  ],
};
