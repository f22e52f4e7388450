/**
 * Module 8 challenge: make key `bob` vanish from a compacted topic, tombstone included.
 * A tombstone is only removed by a cleaning pass that runs after delete.retention.ms has
 * passed since the segment holding it was first cleaned, and never from the active
 * segment. Judged from the leader's segments (read as `kafka-dump-log` reads them), its
 * `log-clean` events and its cleaner-offset-checkpoint.
 */
import { criterion, dataOf, type LabView } from '@kil/grader';
import { parseCheckpoint, type TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';
import { isPartition, latestValues, partitionOf, storedRecords } from './criteria';

const topic = 'customers';
const kept = ['alice', 'carol', 'dave'];
const produce = 'kafka-console-producer --bootstrap-server localhost:9092 --topic customers --property parse.key=true --property key.separator=: --property null.marker=NULL';

function leaderRecords(view: LabView) {
  const p = partitionOf(view, topic, 0);
  if (!p || p.leader < 0) throw new Error('customers-0 has no leader to read from');
  return { leader: p.leader, records: storedRecords(view, p.leader, topic, 0) };
}

function tombstoneCleans(view: LabView, leader: number): TraceEvent[] {
  return view.events.filter((e) => e.type === 'log-clean' && e.node === leader && isPartition(e, topic, 0) && Number(dataOf(e, 'tombstonesRemoved')) > 0);
}

function cleanerCheckpoint(view: LabView, leader: number): number | null {
  const bytes = view.logDir?.(leader).read('', 'cleaner-offset-checkpoint');
  const entry = bytes ? parseCheckpoint(bytes)?.find(([t, p]) => t === topic && p === '0') : undefined;
  return entry?.[2] === undefined ? null : Number(entry[2]);
}

export const forgetBob = defineChallenge({
  id: '08-compaction-forget-bob',
  title: 'Forget a customer completely',
  module: '08-compaction',
  lab: { brokers: 3, controllers: 3, topics: [{ name: topic, numPartitions: 1, replicationFactor: 3, configs: { 'cleanup.policy': 'compact', 'segment.bytes': '1048576' } }] },
  tasks: [
    {
      id: 'forget-bob',
      title: 'Remove every record of bob, tombstone included',
      description: 'No record with key `bob` remains in `customers-0` on the leader; alice, carol and dave keep their latest values; the cleaner checkpoint has moved past the cleaning that removed the tombstone.',
      criteria: [
        criterion('no record with key bob in customers-0 on its leader', (view) => {
          const { leader, records } = leaderRecords(view);
          const bobs = records.filter((r) => r.key === 'bob');
          if (bobs.length > 0) return { passed: false, observed: `broker ${leader} still holds ${bobs.length} record(s) of bob, at offset(s) ${bobs.map((r) => r.offset).join(', ')}` };
          return tombstoneCleans(view, leader).length > 0
            ? { passed: true, observed: `broker ${leader} holds no record of bob` }
            : { passed: false, observed: 'no cleaning pass has removed a tombstone from customers-0 yet' };
        }),
        criterion(`${kept.join(', ')} still have their latest values`, (view) => {
          const latest = latestValues(leaderRecords(view).records);
          const missing = kept.filter((k) => latest.get(k) === undefined || latest.get(k) === null);
          return missing.length === 0
            ? { passed: true, observed: kept.map((k) => `${k}=${latest.get(k)}`).join(', ') }
            : { passed: false, observed: `no current value for ${missing.join(', ')}` };
        }),
        criterion('the cleaner checkpoint of customers-0 is past the cleaning that removed the tombstone', (view) => {
          const { leader } = leaderRecords(view);
          const clean = tombstoneCleans(view, leader).at(-1);
          const checkpoint = cleanerCheckpoint(view, leader);
          if (!clean) return { passed: false, observed: `the cleaner checkpoint of customers-0 is ${checkpoint ?? 'not written yet'}, and no tombstone was removed` };
          const cleanedTo = Number(dataOf(clean, 'toOffset'));
          return { passed: checkpoint !== null && checkpoint >= cleanedTo, observed: `cleaner checkpoint ${checkpoint ?? 'missing'}; the tombstone was removed by a pass up to offset ${cleanedTo}` };
        }),
      ],
      hints: [
        'Deleting a key takes a tombstone: a record with the key and a null value (`--property null.marker=NULL --message bob:NULL`).',
        'The cleaner never touches the active segment, and keeps a tombstone for delete.retention.ms after its segment was cleaned. Lower segment.ms, delete.retention.ms and min.cleanable.dirty.ratio on the topic.',
        'After the first cleaning, keep producing other keys so new segments roll, and let the cleaner run again.',
      ],
      solution: [
        { kind: 'shell', line: `${produce} --message alice:a1 --message bob:b1 --message carol:c1 --message dave:d1 --message bob:b2` },
        { kind: 'shell', line: 'kafka-configs --bootstrap-server localhost:9092 --entity-type topics --entity-name customers --alter --add-config segment.ms=1000,delete.retention.ms=0,min.cleanable.dirty.ratio=0.01,min.compaction.lag.ms=0' },
        { kind: 'shell', line: `${produce} --message bob:NULL` },
        { kind: 'advance', ms: 2_000 },
        { kind: 'shell', line: `${produce} --message alice:a2` },
        { kind: 'advance', ms: 30_000 },
        { kind: 'shell', line: `${produce} --message carol:c2` },
        { kind: 'advance', ms: 30_000 },
        { kind: 'shell', line: `${produce} --message dave:d2` },
        { kind: 'advance', ms: 30_000 },
      ],
    },
  ],
});
