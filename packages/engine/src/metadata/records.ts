/**
 * The records the KRaft controller writes to `__cluster_metadata`, with Kafka's record
 * names and field names (camelCase as in Kafka's generated Java classes). Only fields
 * the lab uses are modelled; tagged fields for KIP-858 directories and KIP-966 eligible
 * leader replicas are left out (see SCOPE.md).
 */

/** Sentinel values used by PartitionRecord and PartitionChangeRecord, as in Kafka. */
export const NO_LEADER = -1;
export const NO_LEADER_CHANGE = -2;

/** ConfigRecord.resourceType values (Kafka's ConfigResource.Type). */
export const ConfigResourceType = { TOPIC: 2, BROKER: 4 } as const;

export interface BrokerEndpoint {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** 0 = PLAINTEXT. */
  readonly securityProtocol: number;
}

export interface RegisterBrokerRecord {
  readonly type: 'RegisterBrokerRecord';
  readonly brokerId: number;
  readonly incarnationId: string;
  readonly brokerEpoch: number;
  readonly endPoints: readonly BrokerEndpoint[];
  readonly rack: string | null;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
}

export interface UnregisterBrokerRecord {
  readonly type: 'UnregisterBrokerRecord';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

export interface TopicRecord {
  readonly type: 'TopicRecord';
  readonly name: string;
  readonly topicId: string;
}

export interface PartitionRecord {
  readonly type: 'PartitionRecord';
  readonly partitionId: number;
  readonly topicId: string;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly removingReplicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly leader: number;
  readonly leaderRecoveryState: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
}

export interface ConfigRecord {
  readonly type: 'ConfigRecord';
  readonly resourceType: number;
  readonly resourceName: string;
  readonly name: string;
  /** null deletes the override. */
  readonly value: string | null;
}

export interface PartitionChangeRecord {
  readonly type: 'PartitionChangeRecord';
  readonly partitionId: number;
  readonly topicId: string;
  /** null: unchanged. */
  readonly isr: readonly number[] | null;
  /** NO_LEADER_CHANGE (-2): unchanged; NO_LEADER (-1): offline; otherwise the new leader. */
  readonly leader: number;
  readonly replicas: readonly number[] | null;
  readonly removingReplicas: readonly number[] | null;
  readonly addingReplicas: readonly number[] | null;
  /** -1: unchanged; 0: recovered; 1: recovering after an unclean election. */
  readonly leaderRecoveryState: number;
}

export interface FenceBrokerRecord {
  readonly type: 'FenceBrokerRecord';
  readonly id: number;
  readonly epoch: number;
}

export interface UnfenceBrokerRecord {
  readonly type: 'UnfenceBrokerRecord';
  readonly id: number;
  readonly epoch: number;
}

export interface RemoveTopicRecord {
  readonly type: 'RemoveTopicRecord';
  readonly topicId: string;
}

export interface FeatureLevelRecord {
  readonly type: 'FeatureLevelRecord';
  readonly name: string;
  readonly featureLevel: number;
}

export interface BrokerRegistrationChangeRecord {
  readonly type: 'BrokerRegistrationChangeRecord';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  /** -1: unfenced, 0: no change, 1: fenced. */
  readonly fenced: number;
  /** 0: no change, 1: in controlled shutdown. */
  readonly inControlledShutdown: number;
}

export interface ProducerIdsRecord {
  readonly type: 'ProducerIdsRecord';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly nextProducerId: number;
}

export interface NoOpRecord {
  readonly type: 'NoOpRecord';
}

export type MetadataRecord =
  | RegisterBrokerRecord
  | UnregisterBrokerRecord
  | TopicRecord
  | PartitionRecord
  | ConfigRecord
  | PartitionChangeRecord
  | FenceBrokerRecord
  | UnfenceBrokerRecord
  | RemoveTopicRecord
  | FeatureLevelRecord
  | BrokerRegistrationChangeRecord
  | ProducerIdsRecord
  | NoOpRecord;

/** A PartitionChangeRecord with every optional field at "no change". */
export function partitionChange(
  topicId: string,
  partitionId: number,
  change: Partial<Omit<PartitionChangeRecord, 'type' | 'topicId' | 'partitionId'>>,
): PartitionChangeRecord {
  return {
    type: 'PartitionChangeRecord',
    topicId,
    partitionId,
    isr: null,
    leader: NO_LEADER_CHANGE,
    replicas: null,
    removingReplicas: null,
    addingReplicas: null,
    leaderRecoveryState: -1,
    ...change,
  };
}
