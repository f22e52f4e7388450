/**
 * Hand-written snapshots and traces for the view tests, typed as the engine's own types so
 * that a change to the engine's shapes breaks these tests at compile time. The story: a
 * three-broker cluster with topic `orders` (RF 3, min.insync.replicas 2); broker 2 is
 * stopped, broker 1 became leader of orders-0 in epoch 3, broker 3 is still in the ISR and
 * slightly behind, so two records wait for acks=all.
 */
import type { BrokerSnapshot, ClusterSnapshot, ControllerSnapshot, PartitionSnapshot, ReplicaSnapshot, TraceEvent } from '@kil/engine';

export const nowMs = 60_000;

function broker(id: number, state: BrokerSnapshot['state'], metadataOffset: number): BrokerSnapshot {
  return { id, rack: `rack-${String.fromCharCode(96 + id)}`, state, host: 'localhost', port: 9091 + id, brokerEpoch: 10 + id, metadataOffset };
}

function controller(id: number, role: ControllerSnapshot['role'], over: Partial<ControllerSnapshot> = {}): ControllerSnapshot {
  return { id, state: 'running', role, epoch: 4, leaderId: 101, votedFor: 101, logEndOffset: 120, highWatermark: 118, ...over };
}

function replica(brokerId: number, logEndOffset: number, highWatermark: number, over: Partial<ReplicaSnapshot> = {}): ReplicaSnapshot {
  return { brokerId, logStartOffset: 0, logEndOffset, highWatermark, lastCaughtUpTimeMs: nowMs - 200, online: true, ...over };
}

/** orders-0 after broker 2 stopped: leader 1 (epoch 3), ISR [1,3], broker 3 two records behind. */
export const orders0: PartitionSnapshot = {
  topic: 'orders',
  partition: 0,
  leader: 1,
  leaderEpoch: 3,
  partitionEpoch: 5,
  replicas: [2, 1, 3],
  isr: [1, 3],
  addingReplicas: [],
  removingReplicas: [],
  logStartOffset: 0,
  logEndOffset: 12,
  highWatermark: 10,
  lastStableOffset: 10,
  replicaStates: [
    replica(2, 8, 8, { online: false, lastCaughtUpTimeMs: nowMs - 40_000 }),
    replica(1, 12, 10),
    replica(3, 10, 10, { lastCaughtUpTimeMs: nowMs - 150 }),
  ],
};

const orders1: PartitionSnapshot = {
  ...orders0,
  partition: 1,
  leader: 3,
  leaderEpoch: 1,
  partitionEpoch: 2,
  replicas: [3, 2, 1],
  isr: [3, 1],
  logEndOffset: 5,
  highWatermark: 5,
  lastStableOffset: 5,
  replicaStates: [replica(3, 5, 5), replica(2, 5, 5, { online: false }), replica(1, 5, 5)],
};

/** Every replica of orders-2 lives on broker 2, which is down: the partition is offline. */
const orders2: PartitionSnapshot = {
  ...orders0,
  partition: 2,
  leader: -1,
  leaderEpoch: 2,
  partitionEpoch: 3,
  replicas: [2],
  isr: [2],
  logEndOffset: 3,
  highWatermark: 3,
  lastStableOffset: 3,
  replicaStates: [replica(2, 3, 3, { online: false })],
};

export const snapshot: ClusterSnapshot = {
  timeMs: nowMs,
  clusterId: 'kil-test-cluster',
  activeControllerId: 101,
  brokers: [broker(1, 'running', 118), broker(2, 'stopped', 96), broker(3, 'running', 117)],
  controllers: [controller(101, 'leader'), controller(102, 'follower', { logEndOffset: 120, highWatermark: 118 }), controller(103, 'follower', { logEndOffset: 110, highWatermark: 110 })],
  topics: [
    { name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', internal: false, partitions: [orders0, orders1, orders2], configs: { 'min.insync.replicas': '2' } },
    { name: '__consumer_offsets', topicId: 'BBBBBBBBBBBBBBBBBBBBBB', internal: true, partitions: [{ ...orders1, topic: '__consumer_offsets', partition: 0 }], configs: {} },
  ],
};

/** The same cluster before the stop: everything healthy. */
export const healthySnapshot: ClusterSnapshot = {
  ...snapshot,
  timeMs: 20_000,
  brokers: snapshot.brokers.map((b) => ({ ...b, state: 'running' })),
  topics: [
    {
      ...snapshot.topics[0]!,
      partitions: [
        {
          ...orders0,
          leader: 2,
          leaderEpoch: 2,
          isr: [2, 1, 3],
          logEndOffset: 8,
          highWatermark: 8,
          lastStableOffset: 8,
          replicaStates: [replica(2, 8, 8), replica(1, 8, 8), replica(3, 8, 8)],
        },
      ],
    },
  ],
};

let seq = 0;
function ev(timeMs: number, type: string, message: string, rest: Partial<TraceEvent> = {}): TraceEvent {
  seq += 1;
  return { seq, timeMs, type, message, ...rest };
}

/** The trace of the story above, in the shapes the engine emits. */
export const stopTrace: readonly TraceEvent[] = [
  ev(1_000, 'topic-created', 'Topic orders created with 3 partitions, replication factor 3', { node: 101, topic: 'orders', data: { partitions: 3, replicationFactor: 3 } }),
  ev(1_020, 'leader-elected', 'Broker 2 is the leader of orders-0 in epoch 2', { node: 101, topic: 'orders', partition: 0, data: { leader: 2, previousLeader: -1, leaderEpoch: 2 } }),
  ev(5_000, 'hw-advanced', 'High watermark of orders-0 advanced to 8', { node: 2, topic: 'orders', partition: 0, data: { highWatermark: 8, previousHighWatermark: 0 } }),
  ev(30_000, 'broker-controlled-shutdown', 'Broker 2 asked the controller for a controlled shutdown', { node: 2, data: { brokerId: 2 } }),
  ev(30_005, 'partition-change', 'PartitionChangeRecord for orders-0: leader 2 → 1, epoch 3, ISR [1,3]', { node: 101, topic: 'orders', partition: 0, data: { leader: 1, previousLeader: 2, leaderEpoch: 3, isr: [1, 3] } }),
  ev(30_010, 'leader-elected', 'Broker 1 is the leader of orders-0 in epoch 3', { node: 1, topic: 'orders', partition: 0, data: { leader: 1, previousLeader: 2, leaderEpoch: 3 } }),
  ev(30_012, 'follower-truncated', 'Broker 3 truncated orders-0 to offset 8 after the leader changed', { node: 3, topic: 'orders', partition: 0, data: { truncateOffset: 8, leaderEpoch: 3 } }),
  ev(30_020, 'broker-stopped', 'Broker 2 stopped', { node: 2, data: { brokerId: 2 } }),
  ev(30_050, 'isr-shrunk', 'ISR of orders-0 shrank from [2,1,3] to [1,3]: broker 2 stopped', { node: 1, topic: 'orders', partition: 0, data: { isr: [1, 3], previousIsr: [2, 1, 3], removed: [2] } }),
  ev(39_000, 'broker-fenced', 'Broker 2 was fenced: no heartbeat for 9000 ms', { node: 101, data: { brokerId: 2 } }),
  ev(45_000, 'hw-advanced', 'High watermark of orders-0 advanced to 10', { node: 1, topic: 'orders', partition: 0, data: { highWatermark: 10, previousHighWatermark: 8 } }),
  ev(59_000, 'produce', 'Broker 1 appended offsets 10..11 to orders-0 (acks=all)', { node: 1, topic: 'orders', partition: 0, data: { baseOffset: 10, lastOffset: 11, acks: -1 } }),
];
