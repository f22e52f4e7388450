/**
 * Builds the ClusterSnapshot the visualisations and the shell render: nodes and their
 * roles, and every partition as the controller's committed metadata describes it, with
 * each replica's log as the broker holding it sees it.
 */
import { MetadataImage, type PartitionRegistration } from '../metadata/image';
import { NO_LEADER } from '../metadata/records';
import type { BrokerSnapshot, ClusterSnapshot, ControllerSnapshot, NodeState, PartitionSnapshot, ReplicaSnapshot, TopicSnapshot } from './api';
import type { Cluster, NodeSlot } from './cluster';
import { isInternalTopic } from '../controller/topic-validation';

/** The most recent committed metadata image any running controller holds. */
export function authoritativeImage(cluster: Cluster): MetadataImage {
  const active = cluster.activeController();
  if (active !== null) return active.committed;
  let best = MetadataImage.EMPTY;
  for (const slot of cluster.slots.values()) {
    const image = slot.controller?.committed;
    if (image !== undefined && image.offset > best.offset) best = image;
  }
  return best;
}

export function buildSnapshot(cluster: Cluster): ClusterSnapshot {
  const image = authoritativeImage(cluster);
  const slots = [...cluster.slots.values()];
  return {
    timeMs: cluster.nowMs(),
    clusterId: cluster.clusterId,
    activeControllerId: cluster.activeController() === null ? null : slots.find((s) => s.controller === cluster.activeController())?.id ?? null,
    brokers: slots.filter((s) => s.kind === 'broker').map((s) => brokerSnapshot(s, image)),
    controllers: slots.filter((s) => s.kind === 'controller').map(controllerSnapshot),
    topics: [...image.topicsById.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((topic): TopicSnapshot => ({
        name: topic.name,
        topicId: topic.id,
        internal: isInternalTopic(topic.name),
        configs: Object.fromEntries(image.topicConfigs(topic.name)),
        partitions: [...topic.partitions.entries()].sort(([a], [b]) => a - b).map(([id, reg]) => partitionSnapshot(cluster, topic.name, id, reg)),
      })),
    reassignments: cluster.reassignments.progress(
      (topic, partition, brokerId) => cluster.brokerNode(brokerId)?.replicaManager.get(topic, partition)?.log.sizeBytes ?? null,
      (topic, partition) => image.partition(topic, partition)?.leader ?? NO_LEADER,
    ),
  };
}

function slotState(slot: NodeSlot): NodeState {
  if (slot.status === 'stopped') return 'stopped';
  if (slot.status === 'crashed') return 'crashed';
  return 'running';
}

function brokerSnapshot(slot: NodeSlot, image: MetadataImage): BrokerSnapshot {
  const registration = image.brokers.get(slot.id);
  const node = slot.broker;
  let state = slotState(slot);
  if (state === 'running') {
    if (node === null || node.brokerEpoch < 0 || registration === undefined || registration.epoch !== node.brokerEpoch) state = 'starting';
    else if (registration.fenced) state = 'fenced';
  }
  return {
    id: slot.id,
    rack: slot.rack,
    state,
    host: node?.options.host ?? registration?.endPoints[0]?.host ?? 'localhost',
    port: node?.options.port ?? registration?.endPoints[0]?.port ?? 9092 + slot.id - 1,
    brokerEpoch: registration?.epoch ?? -1,
    metadataOffset: node?.image.offset ?? -1,
  };
}

function controllerSnapshot(slot: NodeSlot): ControllerSnapshot {
  const c = slot.controller;
  const raft = c?.raft;
  return {
    id: slot.id,
    state: slotState(slot),
    role: raft?.role ?? 'unattached',
    epoch: raft?.epoch ?? slot.raftLog.quorumState.epoch,
    leaderId: raft?.leaderId ?? null,
    votedFor: raft?.votedFor ?? slot.raftLog.quorumState.votedFor,
    logEndOffset: slot.raftLog.endOffset,
    highWatermark: raft?.highWatermark ?? 0,
  };
}

function partitionSnapshot(cluster: Cluster, topic: string, id: number, reg: PartitionRegistration): PartitionSnapshot {
  const replicaStates: ReplicaSnapshot[] = reg.replicas.map((brokerId) => {
    const node = cluster.brokerNode(brokerId);
    const local = node?.replicaManager.get(topic, id);
    const leaderPartition = reg.leader === NO_LEADER ? undefined : cluster.brokerNode(reg.leader)?.replicaManager.get(topic, id);
    const follower = leaderPartition?.followers.get(brokerId);
    return {
      brokerId,
      logStartOffset: local?.log.logStartOffset ?? -1,
      logEndOffset: local?.log.logEndOffset ?? -1,
      highWatermark: local?.log.highWatermark ?? -1,
      lastCaughtUpTimeMs: brokerId === reg.leader ? cluster.nowMs() : follower?.lastCaughtUpTimeMs ?? null,
      online: node !== null && local !== undefined,
    };
  });
  const leaderState = replicaStates.find((r) => r.brokerId === reg.leader);
  return {
    topic,
    partition: id,
    leader: reg.leader,
    leaderEpoch: reg.leaderEpoch,
    partitionEpoch: reg.partitionEpoch,
    replicas: reg.replicas,
    isr: reg.isr,
    addingReplicas: reg.addingReplicas,
    removingReplicas: reg.removingReplicas,
    logStartOffset: leaderState?.logStartOffset ?? -1,
    logEndOffset: leaderState?.logEndOffset ?? -1,
    highWatermark: leaderState?.highWatermark ?? -1,
    lastStableOffset: reg.leader === NO_LEADER ? -1 : cluster.brokerNode(reg.leader)?.replicaManager.get(topic, id)?.lastStableOffset ?? leaderState?.highWatermark ?? -1,
    replicaStates,
  };
}
