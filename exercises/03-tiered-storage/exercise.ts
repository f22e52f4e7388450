/**
 * Exercise 3: tiered storage (KIP-405). Checks read the topic's configs, the storage
 * layer's trace (segments copied to the remote tier, local deletes, remote reads) and
 * where replicas live after a reassignment.
 */
import { criterion, eventSeen, findTopic, movedFarLess, topicExists, type ExerciseManifest } from '@kil/grader';
import * as solution from './solution/main';
import starter from './starter/main';

const file = 'solution/main.ts';
const bootstrap = '--bootstrap-server localhost:9092';
const onMetrics = (e: { topic?: string }) => e.topic === 'metrics';

/** Partition 0 of `topic` has finished moving onto broker 4. */
function movedToBroker4(topic: string) {
  return criterion(`${topic}-0 has a replica on broker 4 and no reassignment in flight`, (view) => {
    const p = findTopic(view, topic)?.partitions[0];
    if (!p) return { passed: false, observed: `no partition ${topic}-0` };
    const done = p.replicas.includes(4) && p.addingReplicas.length === 0 && p.removingReplicas.length === 0;
    return { passed: done, observed: `${topic}-0 replicas [${p.replicas.join(',')}], adding [${p.addingReplicas.join(',')}], removing [${p.removingReplicas.join(',')}]` };
  });
}

export const tieredStorage: ExerciseManifest = {
  id: 'tiered-storage',
  title: 'Tiered storage',
  lab: { brokers: 3, controllers: 3 },
  setup: [],
  starter: [{ kind: 'code', file: 'starter/main.ts', program: starter }],
  tasks: [
    {
      id: 'enable-tiering',
      title: 'Create a tiered topic',
      description: 'Create `metrics` (1 partition, replication factor 3) with `remote.storage.enable=true`, small segments (`segment.bytes=16384`) and a small local tier (`local.retention.bytes=32768`).',
      criteria: [topicExists('metrics', { partitions: 1, replicationFactor: 3, configs: { 'remote.storage.enable': 'true', 'segment.bytes': '16384', 'local.retention.bytes': '32768' } })],
      hints: ['`kafka-topics --create` takes `--config key=value`, once per config.'],
      solution: [
        {
          kind: 'shell',
          line: `kafka-topics ${bootstrap} --create --topic metrics --partitions 1 --replication-factor 3 --config remote.storage.enable=true --config segment.bytes=16384 --config local.retention.bytes=32768`,
        },
      ],
    },
    {
      id: 'tier-segments',
      title: 'Produce past the local retention',
      description: 'Write about 120 KB to `metrics-0`. Rolled segments are copied to the remote tier, and the oldest are then deleted locally.',
      criteria: [
        eventSeen('at least two segments of metrics copied to the remote tier', 'log-tier-copy', onMetrics, 2),
        eventSeen('a local segment of metrics deleted by local retention', 'log-retention-delete', onMetrics),
        criterion('metrics still starts at offset 0 (the remote tier keeps it)', (view) => {
          const p = findTopic(view, 'metrics')?.partitions[0];
          return p ? { passed: p.logStartOffset === 0 && p.highWatermark > 0, observed: `log start offset ${p.logStartOffset}, high watermark ${p.highWatermark}` } : { passed: false, observed: 'no metrics-0' };
        }),
      ],
      hints: ['A producer loop of `send({ topic: "metrics", partition: 0, value })` with values of about 1 KB.'],
      solution: [{ kind: 'code', file, program: (kafka, log) => solution.fill(kafka, log) }],
      needs: ['tiered-storage'],
    },
    {
      id: 'read-remote',
      title: 'Read offset 0 from the remote tier',
      description: 'Assign `metrics-0`, seek to offset 0 and poll. The broker no longer has that segment on its disk and must fetch it from the remote tier.',
      criteria: [eventSeen('a fetch of metrics served from the remote tier', 'log-remote-read', onMetrics)],
      hints: ['`consumer.assign([{ topic: "metrics", partition: 0 }])`, then `consumer.seek(..., 0)` and `poll`.'],
      // The remote log manager copies and deletes every 30 s of lab time (remote.log.manager.task.interval.ms).
      solution: [{ kind: 'advance', ms: 60_000 }, { kind: 'code', file, program: solution.readOldest }],
      needs: ['tiered-storage'],
    },
    {
      id: 'reassign',
      title: 'Move a tiered and an untiered topic',
      description:
        'Create `metrics-local` like `metrics` but without tiering and fill it the same way (about 120 KB). Add broker 4 and move partition 0 of both topics onto it. The grader compares the bytes each move copied: the tiered move must copy at most half of what the untiered one copies.',
      criteria: [
        movedToBroker4('metrics'),
        movedToBroker4('metrics-local'),
        // A tiered replica copies only the leader's local segments (KIP-405); the untiered one copies the whole log.
        movedFarLess({ smaller: { topic: 'metrics', partition: 0 }, larger: { topic: 'metrics-local', partition: 0 }, ratioMax: 0.5 }),
      ],
      hints: ['`broker add`, then save a plan that lists broker 4 in the replicas with `write move.json \'{...}\'` and run `kafka-reassign-partitions --execute --reassignment-json-file move.json`.',
        'Fill `metrics-local` with as much data as `metrics` had: an empty topic moves no bytes and there is nothing to compare.',
        'The check result of this task shows the bytes each move copied and their ratio; the tiered move copies only what the leader still keeps locally.',
      ],
      solution: [
        { kind: 'shell', line: `kafka-topics ${bootstrap} --create --topic metrics-local --partitions 1 --replication-factor 3 --config segment.bytes=16384` },
        { kind: 'code', file, program: (kafka, log) => solution.fill(kafka, log, 'metrics-local') },
        { kind: 'shell', line: 'broker add' },
        {
          kind: 'shell',
          line: `write move.json '{"version":1,"partitions":[{"topic":"metrics","partition":0,"replicas":[4,2,3]},{"topic":"metrics-local","partition":0,"replicas":[4,2,3]}]}'`,
        },
        { kind: 'shell', line: `kafka-reassign-partitions ${bootstrap} --execute --reassignment-json-file move.json` },
        { kind: 'advance', ms: 30_000 },
      ],
      needs: ['tiered-storage', 'reassignment'],
    },
  ],
};
