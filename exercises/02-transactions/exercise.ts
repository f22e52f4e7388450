/**
 * Exercise 2: transactions. Checks read the transaction coordinator's state changes,
 * the group coordinator's offset commits and each partition's last stable offset.
 */
import { criterion, dataOf, eventSeen, everyPartition, topicExists, totalHighWatermark, type ExerciseManifest, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import * as solution from './solution/main';
import starter from './starter/main';

const file = 'solution/main.ts';
const tx = (id: string, to: string) => (e: TraceEvent) => dataOf(e, 'transactionalId') === id && dataOf(e, 'to') === to;
const ofGroup = (id: string) => (e: TraceEvent) => dataOf(e, 'groupId') === id;

const noOpenTransactions = everyPartition(
  'every ledger partition has its last stable offset at the high watermark (no transaction left open)',
  'ledger',
  (p) => p.lastStableOffset === p.highWatermark,
  (p) => `ledger-${p.partition}: LSO ${p.lastStableOffset}, HW ${p.highWatermark}`,
);

/** The property files beside the code, as a learner first sees them. */
const startingProperties: ExerciseManifest['properties'] = [
  {
    file: 'producer.properties',
    kind: 'producer',
    text: [
      '# Every kafka.producer() your program creates starts from these; options passed in code win.',
      '# acks=all: a write is acknowledged once every in-sync replica has it (min.insync.replicas at least).',
      'acks=all',
      'enable.idempotence=true',
      '# The coordinator aborts a transaction left open longer than this.',
      'transaction.timeout.ms=60000',
      '',
    ].join('\n'),
  },
  {
    file: 'consumer.properties',
    kind: 'consumer',
    text: [
      '# Every kafka.consumer() your program creates starts from these; options passed in code win.',
      'auto.offset.reset=earliest',
      '# read_uncommitted returns records of open and aborted transactions too;',
      '# read_committed stops at the last stable offset and skips aborted records.',
      'isolation.level=read_uncommitted',
      '',
    ].join('\n'),
  },
  {
    file: 'ledger.properties',
    kind: 'topic',
    topic: 'ledger',
    text: [
      '# Topic configs of ledger, applied to the topic (IncrementalAlterConfigs) each time you press Run.',
      '# How many replicas must have a write before an acks=all producer hears back.',
      'min.insync.replicas=1',
      '',
    ].join('\n'),
  },
];

export const transactions: ExerciseManifest = {
  id: 'transactions',
  title: 'Transactions',
  lab: {
    brokers: 3,
    controllers: 3,
    topics: [
      { name: 'payments', numPartitions: 3, replicationFactor: 3 },
      { name: 'ledger', numPartitions: 3, replicationFactor: 3 },
    ],
  },
  // Six payments are waiting in `payments` when the lab starts (and again after `lab reset`).
  setup: [
    'kafka-console-producer --bootstrap-server localhost:9092 --topic payments --property parse.key=true --property key.separator=: ' +
      ['account-1:10', 'account-2:20', 'account-0:30', 'account-1:40', 'account-2:50', 'account-0:60'].map((m) => `--message ${m}`).join(' '),
  ],
  properties: startingProperties,
  starter: [{ kind: 'code', file: 'starter/main.ts', program: starter }],
  tasks: [
    {
      id: 'durable-ledger',
      title: 'Make the ledger durable',
      description:
        'In the `ledger.properties` tab set `min.insync.replicas=2` and press Run: the file is applied to topic `ledger` as an IncrementalAlterConfigs. With `acks=all` (see `producer.properties`) a ledger write is then acknowledged only once two replicas have it.',
      criteria: [topicExists('ledger', { configs: { 'min.insync.replicas': '2' } })],
      hints: [
        'Edit the `ledger.properties` tab beside the code, then press Run; any program will do, the file is applied first.',
        'From the terminal the same change is `kafka-configs --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name ledger --add-config min.insync.replicas=2`.',
      ],
      solution: [{ kind: 'code', file, program: solution.durableLedger }],
    },
    {
      id: 'commit',
      title: 'Commit a consume-transform-produce transaction',
      description: 'With transactional id `ledger-writer`, read the payments waiting in `payments` in group `ledger-app`, write one `ledger` line per payment, add the consumer offsets to the transaction and commit.',
      criteria: [
        eventSeen('transaction ledger-writer reached CompleteCommit', 'txn-state-changed', tx('ledger-writer', 'CompleteCommit')),
        criterion('ledger holds at least one record', (view: LabView) => {
          const n = totalHighWatermark(view, 'ledger');
          return { passed: n > 0, observed: `ledger holds ${n} record(s) below its high watermarks` };
        }),
        eventSeen('group ledger-app committed offsets through the transaction', 'txn-offset-commit-pending', ofGroup('ledger-app')),
      ],
      hints: ['`initTransactions()`, `beginTransaction()`, `send()`, `sendOffsetsToTransaction(consumer.currentOffsets(), consumer.groupMetadata())`, `commitTransaction()`.', 'The consumer needs `autoOffsetReset: "earliest"` to see payments written before it started.'],
      solution: [{ kind: 'code', file, program: solution.commitLoop }],
      needs: ['transactions', 'consumer-groups'],
    },
    {
      id: 'abort',
      title: 'Abort a transaction',
      description: 'Run the loop once more but call `abortTransaction()` instead of committing.',
      criteria: [eventSeen('transaction ledger-writer reached CompleteAbort', 'txn-state-changed', tx('ledger-writer', 'CompleteAbort'))],
      hints: ['Everything is the same as before except the last call.'],
      solution: [{ kind: 'code', file, program: solution.abortOne }],
      needs: ['transactions', 'consumer-groups'],
    },
    {
      id: 'isolation',
      title: 'Compare read_committed and read_uncommitted',
      description: 'Read `ledger` to the end with a `read_committed` consumer in group `auditors` and commit its position; do the same with `read_uncommitted` in group `auditors-dirty`. `isolation.level` in `consumer.properties` sets it for every consumer (or pass `isolationLevel` in code). Log how many lines each saw: only the second counts the aborted ones.',
      criteria: [
        eventSeen('group auditors committed offsets on ledger', 'offset-committed', ofGroup('auditors')),
        eventSeen('group auditors-dirty committed offsets on ledger', 'offset-committed', ofGroup('auditors-dirty')),
        noOpenTransactions,
      ],
      hints: ['Set `isolation.level=read_committed` and `group.id=auditors` in `consumer.properties`, run an auditor, then switch both to the dirty pair and run again; or `kafka.consumer({ groupId: "auditors", isolationLevel: "read_committed" })` in code.', 'Poll a few times, then `commitSync()`.'],
      solution: [{ kind: 'code', file, program: solution.compareIsolation }],
      needs: ['transactions', 'consumer-groups'],
    },
    {
      id: 'fence',
      title: 'Fence a zombie',
      description: 'Open a transaction with one `ledger-writer` producer, then call `initTransactions()` on a second producer with the same id. The first is now a zombie: its commit must fail.',
      criteria: [eventSeen('ledger-writer was fenced by a newer epoch', 'txn-producer-fenced', (e) => dataOf(e, 'transactionalId') === 'ledger-writer')],
      hints: ['The coordinator bumps the epoch on every InitProducerId; the old producer still has the old epoch.'],
      solution: [{ kind: 'code', file, program: solution.fenceZombie }],
      needs: ['transactions'],
    },
    {
      id: 'hanging',
      title: 'Find and abort a hanging transaction',
      description: 'Leave a transaction of `stuck-writer` open on `ledger` (a long `transactionTimeoutMs`), see how it holds back the last stable offset with `kafka-transactions find-hanging`, then abort it yourself.',
      criteria: [
        eventSeen('transaction stuck-writer was aborted', 'txn-state-changed', tx('stuck-writer', 'CompleteAbort')),
        criterion('stuck-writer was aborted by you, not by its timeout', (view) => {
          const timedOut = view.events.some((e) => e.type === 'txn-timed-out' && dataOf(e, 'transactionalId') === 'stuck-writer');
          return { passed: !timedOut, observed: timedOut ? 'the coordinator aborted it when transaction.timeout.ms ran out' : 'no timeout abort of stuck-writer' };
        }),
        noOpenTransactions,
      ],
      hints: ['`kafka-transactions --bootstrap-server localhost:9092 find-hanging --broker-id 1` lists open transactions per partition.', 'A new producer with the same transactional id aborts what the old one left open when it calls `initTransactions()`.'],
      solution: [
        { kind: 'code', file, program: async (kafka) => solution.openHanging(kafka) },
        { kind: 'shell', line: 'kafka-transactions --bootstrap-server localhost:9092 find-hanging --broker-id 1' },
        { kind: 'code', file, program: async (kafka) => solution.abortHanging(kafka) },
      ],
      needs: ['transactions'],
    },
  ],
};
