/**
 * Module 4 challenge: lose the active controller, let the remaining voters elect another
 * (KIP-595), and prove the cluster is still manageable by creating a topic while the old
 * leader is down. Judged from the quorum's election events, the node lifecycle events and
 * the topic's creation in the trace, and the controllers' states at the end.
 */
import { criterion, topicExists, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';

const topic = 'after-failover';

interface Failover {
  /** The controller that led and went down. */
  readonly deposed: number;
  readonly down: TraceEvent;
  /** The election another controller won after that. */
  readonly elected: TraceEvent | null;
}

function leaderAt(view: LabView, seq: number): number | null {
  const elections = view.events.filter((e) => e.type === 'quorum-leader-elected' && e.seq < seq);
  return elections[elections.length - 1]?.node ?? null;
}

/** Every stop or crash of the controller that led the quorum at that moment. */
function failovers(view: LabView): Failover[] {
  const controllers = new Set(view.snapshot.controllers.map((c) => c.id));
  return view.events
    .filter((e) => (e.type === 'node-stop-requested' || e.type === 'node-crashed') && e.node !== undefined && controllers.has(e.node) && leaderAt(view, e.seq) === e.node)
    .map((down) => ({
      deposed: down.node!,
      down,
      elected: view.events.find((e) => e.type === 'quorum-leader-elected' && e.seq > down.seq && e.node !== down.node) ?? null,
    }));
}

function restartedBetween(view: LabView, node: number, afterSeq: number, beforeSeq: number): boolean {
  return view.events.some((e) => e.type === 'node-started' && e.node === node && e.seq > afterSeq && e.seq < beforeSeq);
}

export const controllerFailover = defineChallenge({
  id: '04-control-plane-failover',
  title: 'Fail over the active controller and keep the cluster manageable',
  module: '04-control-plane',
  lab: { brokers: 3, controllers: 3, topics: [{ name: 'orders', numPartitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }] },
  tasks: [
    {
      id: 'failover',
      title: 'Elect a new active controller and create after-failover while the old one is down',
      description: 'Stop or crash the active controller, let another win the election, create `after-failover` (3 partitions, replication factor 3) while the old leader is still down, and finish with at least two controllers running.',
      criteria: [
        criterion('the active controller went down and another controller won a later election with a higher epoch', (view) => {
          const done = failovers(view).find((f) => f.elected !== null);
          if (done) return { passed: true, observed: `controller ${done.deposed} went down; ${done.elected!.message}` };
          const started = failovers(view)[0];
          return { passed: false, observed: started ? `controller ${started.deposed} went down but no other controller has won an election since` : 'the active controller has not been stopped or crashed' };
        }),
        criterion('after-failover was created while the deposed controller was down', (view) => {
          const created = view.events.find((e) => e.type === 'topic-created' && e.topic === topic);
          if (!created) return { passed: false, observed: `topic ${topic} has not been created` };
          const match = failovers(view).find((f) => f.elected !== null && f.elected.seq < created.seq && !restartedBetween(view, f.deposed, f.down.seq, created.seq));
          if (match) return { passed: true, observed: `${created.message} Controller ${match.deposed} was still down.` };
          return { passed: false, observed: `${created.message} At that moment no deposed controller was down with a new leader elected.` };
        }),
        topicExists(topic, { partitions: 3, replicationFactor: 3 }),
        criterion('at least two controllers running at the end', (view) => {
          const running = view.snapshot.controllers.filter((c) => c.state === 'running');
          return { passed: running.length >= 2, observed: `running controllers: ${running.map((c) => c.id).join(', ') || 'none'}` };
        }),
      ],
      hints: [
        '`kafka-metadata-quorum --bootstrap-server localhost:9092 describe --status` names the current leader (LeaderId).',
        'Stop that controller with `controller stop <id>` and wait a moment for the election; then create the topic with `kafka-topics --create` before you start the old leader again.',
        'Check the new leader and its epoch with `kafka-metadata-quorum describe --status`, and finish with `controller start <id>` if you like.',
      ],
      solution: [
        { kind: 'shell', line: 'kafka-metadata-quorum --bootstrap-server localhost:9092 describe --status' },
        { kind: 'shell', line: 'controller stop 102' },
        { kind: 'advance', ms: 5_000 },
        { kind: 'shell', line: 'kafka-metadata-quorum --bootstrap-server localhost:9092 describe --status' },
        { kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9092 --create --topic after-failover --partitions 3 --replication-factor 3' },
        { kind: 'shell', line: 'controller start 102' },
      ],
    },
  ],
});
