export * from './common';
export * from './records';
export * from './types';
export { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator';
export {
  ConsumerGroups, UNIFORM_ASSIGNOR, uniformAssign, formatPartitions, samePartitions,
  type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse, type TopicMetadataView,
} from './consumer-group';
export { OffsetStore, type StoredOffset } from './offsets';
export { selectProtocol, type ClassicGroup, type ClassicMember } from './classic-group';
