/**
 * Module 11 challenge: a stretched cluster over two racks (east: brokers 1-3, west: 4-6)
 * and a topic whose writes survive a cut between them. With replicas split evenly across
 * the racks and min.insync.replicas at most the replicas one side holds, each side's
 * leader shrinks the ISR to its own rack and keeps committing. Judged from the topic's
 * placement and config in the snapshot, and from the network, ISR and high-watermark
 * events of the trace while the racks were cut apart.
 */
import { criterion, dataOf, findTopic, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';
import { listOf } from './criteria';

const topic = 'ledger';
const east = [1, 2, 3];
const west = [4, 5, 6];
const isrChangeTypes = ['isr-shrunk', 'isr-expanded', 'leader-elected', 'partition-offline'];

function contains(side: readonly number[], nodes: readonly number[]): boolean {
  return nodes.every((n) => side.includes(n));
}

/** Cuts that separated every east broker from every west broker, with the heal that ended each (or null). */
function regionCuts(view: LabView): { cut: TraceEvent; healed: TraceEvent | null }[] {
  return view.events
    .filter((e) => {
      if (e.type !== 'network-partitioned' || dataOf(e, 'oneWay') === true) return false;
      const a = listOf(dataOf(e, 'a'));
      const b = listOf(dataOf(e, 'b'));
      return (contains(a, east) && contains(b, west)) || (contains(a, west) && contains(b, east));
    })
    .map((cut) => ({ cut, healed: view.events.find((e) => e.type === 'network-healed' && e.seq > cut.seq) ?? null }));
}

function during(view: LabView, window: { cut: TraceEvent; healed: TraceEvent | null }, test: (e: TraceEvent) => boolean): TraceEvent[] {
  return view.events.filter((e) => e.seq > window.cut.seq && (window.healed === null || e.seq < window.healed.seq) && test(e));
}

function minIsr(view: LabView): number {
  return Number(findTopic(view, topic)?.configs['min.insync.replicas'] ?? '1');
}

export const surviveRegionCut = defineChallenge({
  id: '11-geo-replication-survive-region-cut',
  title: 'Keep writing safely through a region cut',
  module: '11-geo-replication',
  lab: {
    brokers: 6,
    controllers: 3,
    racks: ['east', 'east', 'east', 'west', 'west', 'west'],
    topics: [{ name: 'orders', numPartitions: 6, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }],
  },
  tasks: [
    {
      id: 'survive-region-cut',
      title: 'Write to every partition of ledger through an east-west cut',
      description:
        'Create `ledger` with 4 partitions, replicas split evenly between east and west and min.insync.replicas of at least 2; while brokers 4-6 are cut off from brokers 1-3, every partition keeps committing and none drops below its minimum ISR; heal the network and end with full ISRs.',
      criteria: [
        criterion('ledger has 4 partitions, each with as many replicas in east as in west', (view) => {
          const found = findTopic(view, topic);
          if (!found) return { passed: false, observed: `no topic named ${topic}` };
          const rackOf = new Map(view.snapshot.brokers.map((b) => [b.id, b.rack]));
          const uneven = found.partitions.filter((p) => {
            const e = p.replicas.filter((r) => rackOf.get(r) === 'east').length;
            const w = p.replicas.filter((r) => rackOf.get(r) === 'west').length;
            return e === 0 || e !== w;
          });
          const placement = found.partitions.map((p) => `ledger-${p.partition}: [${p.replicas.join(',')}]`).join(', ');
          return { passed: found.partitions.length === 4 && uneven.length === 0, observed: `${found.partitions.length} partition(s): ${placement}` };
        }),
        criterion('min.insync.replicas of ledger is at least 2', (view) => {
          const found = findTopic(view, topic);
          if (!found) return { passed: false, observed: `no topic named ${topic}` };
          const value = found.configs['min.insync.replicas'];
          return { passed: Number(value ?? '1') >= 2, observed: value === undefined ? 'ledger has no min.insync.replicas override (the broker default is 1)' : `min.insync.replicas=${value}` };
        }),
        criterion('while east and west were cut apart, every partition of ledger committed new records', (view) => {
          const partitions = findTopic(view, topic)?.partitions.map((p) => p.partition) ?? [];
          if (partitions.length === 0) return { passed: false, observed: `no topic named ${topic}` };
          const cuts = regionCuts(view);
          if (cuts.length === 0) return { passed: false, observed: 'brokers 4, 5 and 6 were never cut off from brokers 1, 2 and 3' };
          const best = cuts.map((w) => partitions.filter((p) => during(view, w, (e) => e.type === 'hw-advanced' && e.topic === topic && e.partition === p).length === 0));
          const missing = best.reduce((a, b) => (b.length < a.length ? b : a));
          return missing.length === 0
            ? { passed: true, observed: `all ${partitions.length} partitions of ledger advanced their high watermark during the cut` }
            : { passed: false, observed: `during the cut nothing was committed to ${missing.map((p) => `ledger-${p}`).join(', ')}` };
        }),
        criterion('no partition of ledger fell below its minimum ISR during the cut', (view) => {
          const cuts = regionCuts(view);
          if (cuts.length === 0 || !findTopic(view, topic)) return { passed: false, observed: 'there has been no east-west cut with ledger in place' };
          const min = minIsr(view);
          const below = cuts.flatMap((w) => during(view, w, (e) => e.topic === topic && isrChangeTypes.includes(e.type) && (e.type === 'partition-offline' || listOf(dataOf(e, 'isr')).length < min)));
          return below.length === 0 ? { passed: true, observed: `every ISR of ledger kept at least ${min} replicas` } : { passed: false, observed: below[0]!.message };
        }),
        criterion('after the network healed, every partition of ledger has a full ISR', (view) => {
          const found = findTopic(view, topic);
          if (!found) return { passed: false, observed: `no topic named ${topic}` };
          if (!regionCuts(view).some((w) => w.healed !== null)) return { passed: false, observed: 'the network has not been healed after an east-west cut' };
          const partial = found.partitions.filter((p) => p.isr.length !== p.replicas.length);
          return partial.length === 0
            ? { passed: true, observed: 'every ISR of ledger holds all of its replicas' }
            : { passed: false, observed: partial.map((p) => `ledger-${p.partition}: ISR [${p.isr.join(',')}] of [${p.replicas.join(',')}]`).join(', ') };
        }),
      ],
      hints: [
        'A side keeps accepting acks=all writes only if it holds at least min.insync.replicas replicas of the partition. With replication factor 3 one side has only one.',
        'Use replication factor 4 with two replicas per rack, e.g. `--replica-assignment 1:4:2:5,4:1:5:2,2:5:3:6,5:2:6:3`, and `--config min.insync.replicas=2`.',
        'Cut the racks with `network partition 4,5,6 --from 1,2,3`, wait past replica.lag.time.max.ms (30 s) so each leader shrinks its ISR to its own rack, produce to every partition, then `network heal`.',
      ],
      solution: [
        { kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --create --topic ledger --replica-assignment 1:4:2:5,4:1:5:2,2:5:3:6,5:2:6:3 --config min.insync.replicas=2' },
        { kind: 'shell', line: 'network partition 4,5,6 --from 1,2,3' },
        { kind: 'advance', ms: 40_000 },
        {
          kind: 'shell',
          line: 'kafka-console-producer --bootstrap-server localhost:9092 --topic ledger --producer-property acks=all --property parse.key=true --property key.separator=: --message alice:1 --message bob:1 --message carol:1 --message dave:1 --message frank:1 --message ivan:1 --message mallory:1 --message peggy:1',
        },
        { kind: 'shell', line: 'kafka-get-offsets --bootstrap-server localhost:9092 --topic ledger' },
        { kind: 'shell', line: 'network heal' },
        { kind: 'advance', ms: 40_000 },
        { kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --describe --topic ledger' },
      ],
    },
  ],
});
