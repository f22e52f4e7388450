/**
 * Module 7 challenge: the zombie scenario. A second InitProducerId for `billing-7` while a
 * transaction is open makes the coordinator fence it (Ongoing → PrepareEpochFence), bump
 * the epoch and abort that transaction, then bump once more for the new producer (KIP-98,
 * and the epoch-fence state of KIP-360/KIP-890); the old producer's next request is
 * refused, and the new one commits. Judged from the coordinator's and the partitions'
 * transaction events in that order: `txn-state-changed` to PrepareEpochFence, ABORT
 * `txn-marker-written` (commit false, producerId), `txn-producer-fenced` (the new epoch),
 * then the refusal (`producer-batch-rejected` from a partition leader, or the client's
 * `producer-fenced` when the coordinator refused it first) and COMMIT markers.
 */
import { criterion, dataOf, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';

const transactionalId = 'billing-7';
const topic = 'receipts';
const fencingErrors = ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'];

/** The coordinator met an open transaction of billing-7 when a second producer registered. */
function epochFence(view: LabView): TraceEvent | undefined {
  return view.events.find((e) => e.type === 'txn-state-changed' && dataOf(e, 'transactionalId') === transactionalId && dataOf(e, 'from') === 'Ongoing' && dataOf(e, 'to') === 'PrepareEpochFence');
}

/** The epoch bump that registered the new producer, after the open transaction was aborted. */
function fence(view: LabView): TraceEvent | undefined {
  const fenced = epochFence(view);
  return fenced ? view.events.find((e) => e.type === 'txn-producer-fenced' && e.seq > fenced.seq && dataOf(e, 'transactionalId') === transactionalId) : undefined;
}

/** The old producer refused: by a partition leader (a batch of the old epoch) or by the coordinator. */
function refusal(view: LabView, after: TraceEvent, producerId: unknown): TraceEvent | undefined {
  return view.events.find(
    (e) =>
      e.seq > after.seq &&
      fencingErrors.includes(String(dataOf(e, 'error'))) &&
      ((e.type === 'producer-batch-rejected' && dataOf(e, 'producerId') === producerId) || (e.type === 'producer-fenced' && dataOf(e, 'transactionalId') === transactionalId)),
  );
}

function markers(view: LabView, commit: boolean, afterSeq: number, producerId: unknown, beforeSeq = Number.POSITIVE_INFINITY): TraceEvent[] {
  return view.events.filter((e) => e.type === 'txn-marker-written' && e.topic === topic && e.seq > afterSeq && e.seq < beforeSeq && dataOf(e, 'commit') === commit && dataOf(e, 'producerId') === producerId);
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
  tasks: [
    {
      id: 'fenced-zombie',
      title: 'Fence the first billing-7 producer and commit with the second',
      description: 'A second producer with transactional id `billing-7` fences the first one while its transaction is open; that transaction is aborted on `receipts`, the first producer is refused, and the new epoch commits.',
      criteria: [
        criterion('the coordinator of billing-7 bumped the epoch while a transaction was open', (view) => {
          const open = epochFence(view);
          if (!open) return { passed: false, observed: 'billing-7 was never fenced: no second InitProducerId met an open transaction' };
          const fenced = fence(view);
          return fenced ? { passed: true, observed: `${open.message} ${fenced.message}` } : { passed: false, observed: `${open.message} The new epoch has not been handed out yet.` };
        }),
        criterion('the open transaction ended with ABORT markers on receipts', (view) => {
          const open = epochFence(view);
          const fenced = fence(view);
          if (!open || !fenced) return { passed: false, observed: 'there is no fenced transaction to look at' };
          const aborts = markers(view, false, open.seq, dataOf(fenced, 'producerId'), fenced.seq);
          return aborts.length > 0 ? { passed: true, observed: aborts.map((e) => e.message).join(' ') } : { passed: false, observed: 'no ABORT marker on receipts between the fence and the new epoch' };
        }),
        criterion('the first producer was refused with a fencing error', (view) => {
          const open = epochFence(view);
          if (!open || !fence(view)) return { passed: false, observed: 'there is no fenced producer yet' };
          const refused = refusal(view, open, dataOf(fence(view)!, 'producerId'));
          return refused ? { passed: true, observed: refused.message } : { passed: false, observed: 'no request of the old epoch was refused after the fence' };
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
