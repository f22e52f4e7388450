/**
 * Module 6 challenge: see min.insync.replicas refuse an acks=all write and then accept one,
 * without touching the topic. The refusal happens before the append (Kafka's
 * NOT_ENOUGH_REPLICAS, error 19), so the log never shows it; the criteria read the broker's
 * `produce-completed` event instead: topic and partition, with data
 * `{ acks: -1 | 0 | 1, error: ErrorName | null, records, ... }`. The broker tells only
 * changes of outcome per replica and acks level, so the refusal and the first success
 * after it are both there however many retries came in between.
 */
import { criterion, dataOf, topicExists, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';
import { isPartition } from './criteria';

const topic = 'payments';

function acksAll(e: TraceEvent): boolean {
  const acks = dataOf(e, 'acks');
  return acks === -1 || acks === 'all';
}

function produces(view: LabView): TraceEvent[] {
  return view.events.filter((e) => e.type === 'produce-completed' && isPartition(e, topic, 0) && acksAll(e));
}

function refusal(view: LabView): TraceEvent | undefined {
  return produces(view).find((e) => dataOf(e, 'error') === 'NOT_ENOUGH_REPLICAS');
}

function laterSuccess(view: LabView): TraceEvent | undefined {
  const refused = refusal(view);
  return refused ? produces(view).find((e) => e.seq > refused.seq && dataOf(e, 'error') === null) : undefined;
}

export const notEnoughReplicas = defineChallenge({
  id: '06-guarantees-not-enough-replicas',
  title: 'Refuse a write, then accept it, without touching the topic',
  module: '06-guarantees',
  lab: { brokers: 3, controllers: 3, topics: [{ name: topic, numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }] },
  tasks: [
    {
      id: 'not-enough-replicas',
      title: 'See NOT_ENOUGH_REPLICAS, then a successful acks=all write',
      description: 'An acks=all produce to `payments-0` fails with NOT_ENOUGH_REPLICAS; a later acks=all produce succeeds; `min.insync.replicas` stays 2 and the replication factor 3; no unclean election in between.',
      criteria: [
        criterion('an acks=all produce to payments-0 was rejected with NOT_ENOUGH_REPLICAS', (view) => {
          const refused = refusal(view);
          return refused ? { passed: true, observed: refused.message } : { passed: false, observed: 'no acks=all produce to payments-0 was rejected with NOT_ENOUGH_REPLICAS' };
        }),
        criterion('a later acks=all produce to payments-0 succeeded', (view) => {
          const ok = laterSuccess(view);
          return ok ? { passed: true, observed: ok.message } : { passed: false, observed: 'no successful acks=all produce to payments-0 after the refusal' };
        }),
        topicExists(topic, { replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }),
        criterion('no unclean leader election of payments-0 in between', (view) => {
          const refused = refusal(view);
          const ok = laterSuccess(view);
          if (!refused || !ok) return { passed: false, observed: 'the refusal and the later success have not both happened yet' };
          const unclean = view.events.find((e) => e.type === 'leader-elected' && isPartition(e, topic, 0) && e.seq > refused.seq && e.seq < ok.seq && /unclean/i.test(e.message));
          return unclean ? { passed: false, observed: unclean.message } : { passed: true, observed: 'every leader election in between was clean' };
        }),
      ],
      hints: [
        'With min.insync.replicas=2, an acks=all write needs at least two replicas in the ISR. How can the ISR drop to one without changing the topic?',
        'Stop two of the three brokers (`broker stop <id>`), produce with `--producer-property acks=all`, then start one broker again and produce once more.',
      ],
      solution: [
        { kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --describe --topic payments' },
        { kind: 'shell', line: 'broker stop 2' },
        { kind: 'shell', line: 'broker stop 3' },
        { kind: 'advance', ms: 5_000 },
        { kind: 'shell', line: 'kafka-console-producer --bootstrap-server localhost:9092 --topic payments --producer-property acks=all --producer-property delivery.timeout.ms=3000 --message refused', fails: true },
        { kind: 'shell', line: 'broker start 2' },
        { kind: 'advance', ms: 15_000 },
        { kind: 'shell', line: 'kafka-console-producer --bootstrap-server localhost:9092 --topic payments --producer-property acks=all --message accepted' },
      ],
    },
  ],
});
