/**
 * Module 9 challenge: most of `metrics` lives only in the remote tier and a consumer still
 * reads it (KIP-405). Judged from the leader's local segments (its log directory), the
 * snapshot's log start offset, and the `log-tier-copy` and `log-remote-read` events.
 *
 * Deviation from the module text: the engine's followers keep their whole local log (only
 * leaders tier and apply local retention, see the engine's log-maintenance), so the local
 * size bound is checked on the leader, the replica that tiers.
 */
import { criterion, dataOf, findTopic, type LabView } from '@kil/grader';
import { defineChallenge } from './define';
import { partitionEvents, partitionOf, segmentFiles } from './criteria';

const topic = 'metrics';
const copiedMin = 5;

function leaderOf(view: LabView): number {
  const p = partitionOf(view, topic, 0);
  if (!p || p.leader < 0) throw new Error('metrics-0 has no leader');
  return p.leader;
}

/** The base offset of the oldest segment the leader still holds locally. */
function localLogStartOffset(view: LabView): number {
  const first = segmentFiles(view, leaderOf(view), topic, 0)[0];
  return first === undefined ? 0 : Number(first.replace(/\.log$/, ''));
}

function localBytes(view: LabView): number {
  const leader = leaderOf(view);
  const dir = view.logDir?.(leader);
  return segmentFiles(view, leader, topic, 0).reduce((sum, name) => sum + (dir?.read(`${topic}-0`, name)?.length ?? 0), 0);
}

export const remoteRead = defineChallenge({
  id: '09-tiered-storage-remote-read',
  title: 'Serve history from the remote tier',
  module: '09-tiered-storage',
  lab: {
    brokers: 3,
    controllers: 3,
    topics: [{ name: topic, numPartitions: 1, replicationFactor: 3, configs: { 'remote.storage.enable': 'true', 'segment.bytes': '1048576', 'local.retention.bytes': '2097152' } }],
  },
  tasks: [
    {
      id: 'remote-read',
      title: 'Tier most of metrics-0 and read its beginning back',
      description: 'At least five segments of `metrics-0` are copied to the remote tier, offset 0 is only remote (local log start offset above 0, log start offset still 0), the leader stays within its local retention, and a consumer read below the local log start offset from the remote tier.',
      criteria: [
        criterion(`at least ${copiedMin} segments of metrics-0 copied to the remote tier`, (view) => {
          const copied = new Set(partitionEvents(view, 'log-tier-copy', topic, 0).map((e) => dataOf(e, 'segmentBaseOffset')));
          return { passed: copied.size >= copiedMin, observed: `${copied.size} segment(s) copied` };
        }),
        criterion('the log start offset of metrics-0 is still 0', (view) => {
          const p = partitionOf(view, topic, 0);
          if (!p) return { passed: false, observed: 'there is no partition metrics-0' };
          return { passed: p.logStartOffset === 0, observed: `log start offset ${p.logStartOffset}` };
        }),
        criterion('the local log start offset on the leader is above 0 (offset 0 is remote only)', (view) => {
          const local = localLogStartOffset(view);
          return { passed: local > 0, observed: `broker ${leaderOf(view)} (the leader) holds metrics-0 locally from offset ${local}` };
        }),
        criterion('the leader keeps at most local.retention.bytes plus one segment locally', (view) => {
          const configs = findTopic(view, topic)?.configs ?? {};
          const bound = Number(configs['local.retention.bytes'] ?? '2097152') + Number(configs['segment.bytes'] ?? '1073741824');
          const bytes = localBytes(view);
          return { passed: bytes <= bound, observed: `${bytes} bytes local on the leader; the bound is ${bound}` };
        }),
        criterion('a fetch below the local log start offset was served by a remote read', (view) => {
          const local = localLogStartOffset(view);
          const reads = partitionEvents(view, 'log-remote-read', topic, 0).filter((e) => Number(dataOf(e, 'fromOffset')) < local);
          return reads.length > 0
            ? { passed: true, observed: `remote read from offset ${String(dataOf(reads[0]!, 'fromOffset'))}` }
            : { passed: false, observed: `no remote read below offset ${local}` };
        }),
      ],
      hints: [
        'Only rolled segments below the high watermark are copied, and local retention deletes local copies only after they are remote. You need well over five segments of data (segment.bytes is 1 MiB here).',
        'Produce about 8 MB: `kafka-producer-perf-test --topic metrics --num-records 8000 --record-size 1000 --throughput -1 --producer-props bootstrap.servers=localhost:9092 acks=all`, then let the remote log manager run (it runs every 30 s of lab time).',
        'Read from the beginning with `kafka-console-consumer --topic metrics --from-beginning --max-messages 5`: offset 0 is only in the remote tier now.',
      ],
      solution: [
        { kind: 'shell', line: 'kafka-producer-perf-test --topic metrics --num-records 8000 --record-size 1000 --throughput -1 --producer-props bootstrap.servers=localhost:9092 acks=all' },
        { kind: 'advance', ms: 60_000 },
        { kind: 'shell', line: 'kafka-console-consumer --bootstrap-server localhost:9092 --topic metrics --from-beginning --max-messages 5' },
      ],
    },
  ],
});
