/**
 * Module 7 challenge: the zombie scenario. A second InitProducerId for `billing-7` while a
 * transaction is open makes the coordinator bump the epoch and abort that transaction
 * (KIP-98, and the epoch-fence state of KIP-360/KIP-890); the old producer's next write is
 * refused, and the new one commits. Judged from the coordinator's and the partitions'
 * transaction events: `txn-producer-fenced`, `txn-marker-written` (commit true/false,
 * producerId), `producer-batch-rejected` and `txn-state-changed`.
 */
import { criterion, dataOf, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';

const transactionalId = 'billing-7';
const topic = 'receipts';
const fencingErrors = ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'];

function fence(view: LabView): TraceEvent | undefined {
  return view.events.find((e) => e.type === 'txn-producer-fenced' && dataOf(e, 'transactionalId') === transactionalId);
}

function markers(view: LabView, commit: boolean, afterSeq: number, producerId: unknown): TraceEvent[] {
  return view.events.filter((e) => e.type === 'txn-marker-written' && e.topic === topic && e.seq > afterSeq && dataOf(e, 'commit') === commit && dataOf(e, 'producerId') === producerId);
}

export const fencedZombie = defineChallenge({
  id: '07-transactions-fenced-zombie',
  title: 'Fence a zombie and keep the output clean',
  module: '07-transactions',
  lab: {
    brokers: 3,
    controllers: 3,
    topics: [
      { name: 'orders', numPartitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      { name: 'receipts', numPartitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
    ],
  },
  pending:
    'the lab has no built-in transactional producers yet: `clients producer --transactional-id` needs a lab host that runs producers against the engine, and neither the live lab nor the grading lab provides one (`kafka-console-producer` does not send a transactional.id either).',
  tasks: [
    {
      id: 'fenced-zombie',
      title: 'Fence the first billing-7 producer and commit with the second',
      description: 'A second producer with transactional id `billing-7` fences the first one while its transaction is open; that transaction is aborted on `receipts`, the first producer is refused, and the new epoch commits.',
      criteria: [
        criterion('the coordinator of billing-7 bumped the epoch while a transaction was open', (view) => {
          const fenced = fence(view);
          return fenced ? { passed: true, observed: fenced.message } : { passed: false, observed: 'billing-7 was never fenced: no second InitProducerId met an open transaction' };
        }),
        criterion('the open transaction ended with ABORT markers on receipts', (view) => {
          const fenced = fence(view);
          if (!fenced) return { passed: false, observed: 'there is no fenced transaction to look at' };
          const aborts = markers(view, false, fenced.seq, dataOf(fenced, 'producerId'));
          return aborts.length > 0 ? { passed: true, observed: aborts.map((e) => e.message).join(' ') } : { passed: false, observed: 'no ABORT marker on receipts after the fence' };
        }),
        criterion('the first producer was refused with a fencing error', (view) => {
          const fenced = fence(view);
          if (!fenced) return { passed: false, observed: 'there is no fenced producer yet' };
          const refused = view.events.find((e) => e.type === 'producer-batch-rejected' && e.seq > fenced.seq && dataOf(e, 'producerId') === dataOf(fenced, 'producerId') && fencingErrors.includes(String(dataOf(e, 'error'))));
          return refused ? { passed: true, observed: refused.message } : { passed: false, observed: 'no write of the old epoch was refused after the fence' };
        }),
        criterion('a later billing-7 transaction with the new epoch committed on receipts', (view) => {
          const fenced = fence(view);
          if (!fenced) return { passed: false, observed: 'there is no new epoch yet' };
          const commits = markers(view, true, fenced.seq, dataOf(fenced, 'producerId'));
          return commits.length > 0 ? { passed: true, observed: commits[0]!.message } : { passed: false, observed: 'no COMMIT marker on receipts from billing-7 after the fence' };
        }),
      ],
      hints: [
        'A transactional producer registers with InitProducerId; a second registration with the same transactional.id bumps the epoch and fences the first.',
        'Run `clients producer --topic receipts --rate 5 --transactional-id billing-7`, and while it runs start a second one with the same command.',
      ],
      solution: [
        { kind: 'shell', line: 'clients producer --topic receipts --rate 5 --acks all --transactional-id billing-7' },
        { kind: 'advance', ms: 3_000 },
        { kind: 'shell', line: 'clients producer --topic receipts --rate 5 --acks all --transactional-id billing-7' },
        { kind: 'advance', ms: 10_000 },
        { kind: 'shell', line: 'kafka-transactions --bootstrap-server localhost:9092 describe --transactional-id billing-7' },
      ],
    },
  ],
});
