/**
 * The ZooKeeper-era controller (Kafka 1.1 to 3.x with `zookeeper.connect`), modelled as a
 * sequence of phases in virtual time rather than run as a second cluster.
 *
 * Failover, as KafkaController.onControllerFailover does it:
 *   detect   the dead controller's ZooKeeper session expires (crash) or is closed (clean
 *            stop), which deletes the ephemeral /controller znode and fires the watches;
 *   elect    brokers race to create /controller; the winner bumps /controller_epoch;
 *   reload   it knows nothing, so it reads /brokers/ids/<id>, /brokers/topics/<t> and
 *            /brokers/topics/<t>/partitions/<p>/state for every broker, topic and
 *            partition, pipelined up to `zookeeper.max.in.flight.requests`;
 *   push     UpdateMetadata with every partition to every broker, then LeaderAndIsr with
 *            each broker's replicas, one request at a time per broker.
 * Controlled shutdown: the broker asks the controller, which writes a new leader or a
 * smaller ISR to each affected partition's state znode, then pushes LeaderAndIsr to the
 * other replicas and UpdateMetadata to every broker.
 *
 * Deviations: the controller is assumed to fail alone (its broker's partition leaders are
 * not moved), so both modes do the same job; reads of /admin, /config and notification
 * znodes, watch registration and the topic deletion manager are left out (a constant);
 * brokers are symmetric; ZooKeeper session establishment is not modelled.
 */
import type { ControllerModelAssumptions } from './assumptions';
import { channelCost, pipelinedMs, stateBytes, Timeline, topicHeaderBytes, workloadOf, fmt, type ControllerFailure, type ModeOutcome, type PathStep } from './model';

const SYSTEMS = ['Kafka brokers (one of them is the controller)', 'ZooKeeper ensemble'] as const;

/** Reads of `count` znodes, pipelined, then decoded one by one on the controller thread. */
function reloadMs(count: number, a: ControllerModelAssumptions): { ms: number; detail: string } {
  const readMs = pipelinedMs(count, a.zkReadLatencyMs, a.zookeeperMaxInFlightRequests, a.zkReadsPerSec);
  const decodeMs = (count * a.znodeDecodeUs) / 1000;
  return { ms: readMs + decodeMs, detail: `${count} reads, ${a.zookeeperMaxInFlightRequests} in flight × ${a.zkReadLatencyMs} ms (at most ${a.zkReadsPerSec}/s): ${fmt(readMs)} ms + decode ${fmt(decodeMs)} ms` };
}

export function zookeeperControllerFailover(partitions: number, a: ControllerModelAssumptions, failure: ControllerFailure): ModeOutcome {
  const w = workloadOf(partitions, a);
  const t = new Timeline();
  const detectMs = failure === 'crash' ? a.zookeeperSessionTimeoutMs : 0;
  t.add('session-expiry', 'detect', 'ZooKeeper drops the old controller session; /controller vanishes', detectMs, failure === 'crash' ? `zookeeper.session.timeout.ms = ${detectMs} ms` : 'a clean stop closes the session at once');
  const electMs = a.networkRttMs + 2 * a.zkWriteLatencyMs;
  t.add('controller-election', 'elect', 'Brokers race to create /controller; the winner bumps /controller_epoch', electMs, `watch notification ${a.networkRttMs} ms + 2 writes × ${a.zkWriteLatencyMs} ms`);
  const brokers = reloadMs(w.brokers + 1, a);
  t.add('reload-brokers', 'reload', 'Read /brokers/ids and every broker registration', brokers.ms, brokers.detail);
  const topics = reloadMs(w.topics + 1, a);
  t.add('reload-topics', 'reload', 'Read /brokers/topics/<t> (replica assignments) for every topic', topics.ms, topics.detail);
  const states = reloadMs(w.partitions, a);
  t.add('reload-partitions', 'reload', 'Read /brokers/topics/<t>/partitions/<p>/state (leader, ISR, epochs) for every partition', states.ms, states.detail);
  const um = channelCost(w.partitions, updateMetadataBytes(w.partitions, w.topics, a), w.brokers, a);
  t.add('update-metadata', 'propagate', 'UpdateMetadata with every partition to every broker', um.totalMs, um.detail);
  const lai = channelCost(w.replicasPerBroker, leaderAndIsrBytes(w.replicasPerBroker, Math.min(w.topics, w.replicasPerBroker), a), w.brokers, a);
  t.add('leader-and-isr', 'propagate', 'LeaderAndIsr with its replicas to each broker', lai.totalMs, lai.detail);
  const path: PathStep[] = [
    { from: 'broker', to: 'ZooKeeper', message: 'create /controller (ephemeral), set /controller_epoch', style: 'write', count: 2, bytes: 0 },
    { from: 'controller', to: 'ZooKeeper', message: 'getChildren + getData /brokers/ids/<id>', style: 'read', count: w.brokers + 1, bytes: 0 },
    { from: 'controller', to: 'ZooKeeper', message: 'getChildren + getData /brokers/topics/<t>', style: 'read', count: w.topics + 1, bytes: 0 },
    { from: 'controller', to: 'ZooKeeper', message: 'getData /brokers/topics/<t>/partitions/<p>/state', style: 'read', count: w.partitions, bytes: 0 },
    { from: 'controller', to: 'every broker', message: 'UpdateMetadata (all partitions)', style: 'push', count: um.requests * w.brokers, bytes: um.bytesPerBroker * w.brokers },
    { from: 'controller', to: 'each broker', message: 'LeaderAndIsr (its replicas)', style: 'push', count: lai.requests * w.brokers, bytes: lai.bytesPerBroker * w.brokers },
  ];
  return { mode: 'zookeeper', scenario: 'failover', failure, partitions, totalMs: t.endMs, phases: t.phases, path, systems: SYSTEMS };
}

export function zookeeperControlledShutdown(partitions: number, a: ControllerModelAssumptions): ModeOutcome {
  const w = workloadOf(partitions, a);
  const affected = w.replicasPerBroker;
  const t = new Timeline();
  t.add('controlled-shutdown-request', 'detect', 'The broker sends ControlledShutdown to the controller', a.networkRttMs, `one round trip, ${a.networkRttMs} ms`);
  const writeMs = pipelinedMs(affected, a.zkWriteLatencyMs, a.zookeeperMaxInFlightRequests, a.zkWritesPerSec);
  const decideMs = (affected * a.znodeDecodeUs) / 1000;
  t.add('zk-writes', 'commit', 'Write a new leader or a smaller ISR to each affected state znode', writeMs + decideMs, `${affected} writes, ${a.zookeeperMaxInFlightRequests} in flight × ${a.zkWriteLatencyMs} ms (at most ${a.zkWritesPerSec}/s): ${fmt(writeMs)} ms + decide ${fmt(decideMs)} ms`);
  const others = Math.max(1, w.brokers - 1);
  const laiStates = w.brokers > 1 ? Math.ceil((affected * (a.replicationFactor - 1)) / others) : 0;
  const lai = channelCost(laiStates, leaderAndIsrBytes(laiStates, Math.min(w.topics, laiStates), a), others, a);
  t.add('leader-and-isr', 'propagate', 'LeaderAndIsr to the other replicas of the affected partitions', lai.totalMs, lai.detail);
  const um = channelCost(affected, updateMetadataBytes(affected, Math.min(w.topics, affected), a), others, a);
  t.add('update-metadata', 'propagate', 'UpdateMetadata with the affected partitions to every broker', um.totalMs, um.detail);
  const path: PathStep[] = [
    { from: 'broker', to: 'controller', message: 'ControlledShutdown', style: 'push', count: 1, bytes: 0 },
    { from: 'controller', to: 'ZooKeeper', message: 'setData /brokers/topics/<t>/partitions/<p>/state', style: 'write', count: affected, bytes: 0 },
    { from: 'controller', to: 'other replicas', message: 'LeaderAndIsr (changed partitions)', style: 'push', count: lai.requests * others, bytes: lai.bytesPerBroker * others },
    { from: 'controller', to: 'every broker', message: 'UpdateMetadata (changed partitions)', style: 'push', count: um.requests * others, bytes: um.bytesPerBroker * others },
  ];
  return { mode: 'zookeeper', scenario: 'controlled-shutdown', failure: 'graceful', partitions, totalMs: t.endMs, phases: t.phases, path, systems: SYSTEMS };
}

function updateMetadataBytes(states: number, topics: number, a: ControllerModelAssumptions): number {
  return states * stateBytes(a.updateMetadataPartitionFixedBytes, a) + topics * topicHeaderBytes(a);
}

function leaderAndIsrBytes(states: number, topics: number, a: ControllerModelAssumptions): number {
  return states * stateBytes(a.leaderAndIsrPartitionFixedBytes, a) + topics * topicHeaderBytes(a);
}
