/**
 * @kil/ui: React + SVG pictures of a Kafka Internals Lab cluster. Every view renders engine
 * snapshots, trace events or a small view-model built from them, and never changes the
 * cluster; interactive views hand lab commands to the host through `onAction`.
 */
export { ClusterView, partitionHealth, type ClusterViewProps } from './ClusterView';
export { ReplicationView, markerGroups, type ReplicationViewProps } from './ReplicationView';
export {
  replicationModelFromSnapshot,
  batchesFromEvents,
  findPartition,
  replicaRole,
  lagReason,
  defaultLagTimeMaxMs,
  type ReplicationModel,
  type ReplicaLogModel,
  type BatchModel,
  type AcksWaitingModel,
  type ReplicaRole,
  type ReplicationAdapterOptions,
} from './replication-model';
export { EventTimeline, LeaderElectionStory, type EventTimelineProps, type LeaderElectionStoryProps } from './EventTimeline';
export { eventCategory, eventCategories, eventHeadline, eventExplanation, filterEvents, groupEvents, nodeName, type EventCategory, type EventFilter, type EventGroup } from './event-format';
export { leaderElectionStory, type LeaderElectionStoryModel, type StoryStep, type StoryOptions } from './leader-election-story';
export { QuorumView, quorumSummary, quorumMajority, type QuorumViewProps, type QuorumSummary } from './QuorumView';
export { TimeControls, adjacentKeyEvent, indexOfSeq, isKeyEvent, defaultSpeeds, type TimeControlsProps } from './TimeControls';
export { DataTable, BrokersTable, ControllersTable, PartitionsTable, ReplicasTable, type Column, type DataTableProps, type SnapshotTableProps, type PartitionsTableProps, type ReplicasTableProps } from './DataTables';
export { RequestLifecycleView, requestsFromEvents, requestStages, totalMs, type RequestLifecycleModel, type RequestLifecycleViewProps, type RequestStage } from './RequestLifecycleView';
export { GroupView, GroupComparison, groupModelFromEvents, groupStates, type GroupModel, type GroupMemberModel, type GroupState, type GroupViewProps } from './GroupView';
export { TransactionView, transactionModelFromEvents, transactionPath, type TransactionModel, type TxnPartitionModel, type TransactionState } from './TransactionView';
export { CompactionView, compactionModel, type CompactionModel, type CompactionRecordModel, type CompactionOptions } from './CompactionView';
export { TieringView, tieringModelFromEvents, type TieringModel, type TieredSegmentModel } from './TieringView';
export { ReassignmentView, reassignmentModel, reassignmentsFromSnapshot, type ReassignmentModel, type ReassignmentReplicaModel, type ReassignmentPhase } from './ReassignmentView';
export { MirroringView, mirroringModelFromSnapshots, mirroringModelsFromGeo, type GeoMirrors, type MirroringModel, type MirrorTopicModel, type MirrorPartitionModel, type MirroringOptions } from './MirroringView';
export { nodeActions, primaryNodeAction, nodeIsUp, preferredElectionCommand, type ActionHandler, type NodeAction, type NodeKind } from './actions';
export { KilStyle, ViewFrame, baseCss, formatMs, formatClock, activateOnKey, type Theme } from './theme';
export { ControllerComparisonView, controllerChartModel, niceCeilingMs, compactCount, durationLabel, type ControllerComparisonViewProps, type ControllerChartModel, type ControllerChartPoint } from './ControllerComparisonView';
