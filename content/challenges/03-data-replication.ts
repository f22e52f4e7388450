/**
 * Module 3 challenge: make the leader of orders-0 drop a follower from the ISR and take it
 * back, with every broker and controller process left running. The leader only measures
 * how long a follower has not caught up (replica.lag.time.max.ms), so a network cut (or a
 * fenced broker) does it; stopping a broker would be the easy way the challenge forbids.
 */
import { criterion, dataOf, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';
import { eventsBetween, lifecycleEventTypes, listOf, partitionEvents, partitionOf } from './criteria';

const topic = 'orders';
const partition = 0;

function isrSize(event: TraceEvent, key: 'isr' | 'previousIsr'): number {
  return listOf(dataOf(event, key)).length;
}

/** Each 3→2 shrink of orders-0 with the first 2→3 expansion after it (or null). */
function roundTrips(view: LabView): { shrink: TraceEvent; expand: TraceEvent | null }[] {
  const expansions = partitionEvents(view, 'isr-expanded', topic, partition).filter((e) => isrSize(e, 'previousIsr') === 2 && isrSize(e, 'isr') === 3);
  return partitionEvents(view, 'isr-shrunk', topic, partition)
    .filter((e) => isrSize(e, 'previousIsr') === 3 && isrSize(e, 'isr') === 2)
    .map((shrink) => ({ shrink, expand: expansions.find((e) => e.seq > shrink.seq) ?? null }));
}

export const isrRoundTrip = defineChallenge({
  id: '03-data-replication-isr-round-trip',
  title: 'Shrink and regrow an ISR without stopping a broker',
  module: '03-data-replication',
  lab: { brokers: 3, controllers: 3, topics: [{ name: topic, numPartitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }] },
  tasks: [
    {
      id: 'isr-round-trip',
      title: 'Take a follower of orders-0 out of the ISR and bring it back',
      description: 'The ISR of `orders-0` goes from three replicas to two and back to three, with no broker or controller stopped, crashed or started in between.',
      criteria: [
        criterion('the ISR of orders-0 shrank from 3 replicas to 2', (view) => {
          const trips = roundTrips(view);
          return trips.length > 0 ? { passed: true, observed: trips[0]!.shrink.message } : { passed: false, observed: 'the ISR of orders-0 never went from 3 replicas to 2' };
        }),
        criterion('then it grew back from 2 replicas to 3', (view) => {
          const trip = roundTrips(view).find((t) => t.expand !== null);
          return trip ? { passed: true, observed: trip.expand!.message } : { passed: false, observed: 'no ISR expansion of orders-0 back to 3 replicas after a shrink' };
        }),
        criterion('no broker or controller stopped, crashed or started between the shrink and the expansion', (view) => {
          const trips = roundTrips(view).filter((t) => t.expand !== null);
          if (trips.length === 0) return { passed: false, observed: 'there is no shrink and expansion of orders-0 to look between yet' };
          for (const trip of trips) {
            const lifecycle = eventsBetween(view, trip.shrink.seq, trip.expand!.seq, (e) => lifecycleEventTypes.includes(e.type));
            if (lifecycle.length === 0) return { passed: true, observed: 'every broker and controller process kept running through the round trip' };
          }
          const last = trips[trips.length - 1]!;
          const lifecycle = eventsBetween(view, last.shrink.seq, last.expand!.seq, (e) => lifecycleEventTypes.includes(e.type));
          return { passed: false, observed: `between the shrink and the expansion: ${lifecycle[0]?.message ?? 'a node changed state'}` };
        }),
        criterion('all three replicas are in the ISR of orders-0 at the end', (view) => {
          const p = partitionOf(view, topic, partition);
          if (!p) return { passed: false, observed: 'there is no partition orders-0' };
          return { passed: p.isr.length === 3, observed: `the ISR of orders-0 is [${p.isr.join(',')}]` };
        }),
      ],
      hints: [
        'A leader drops a follower from the ISR when the follower has not caught up for replica.lag.time.max.ms (30 s by default). What stops a follower from fetching without stopping its process?',
        'Cut one follower of orders-0 off the network (`network partition <id>`), let more than 30 s of lab time pass, then `network heal` and let it catch up.',
        '`kafka-topics --describe --topic orders` shows the leader and the ISR of orders-0; `trace --type isr` shows the shrink and the expansion.',
      ],
      solution: [
        { kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --describe --topic orders' },
        { kind: 'shell', line: 'network partition 3' },
        { kind: 'advance', ms: 40_000 },
        { kind: 'shell', line: 'network heal' },
        { kind: 'advance', ms: 35_000 },
        { kind: 'shell', line: 'trace --type isr --topic orders' },
      ],
    },
  ],
});
