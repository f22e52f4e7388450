/**
 * Requests brokers send to the active controller (KIP-631 registration and heartbeats,
 * AlterPartition from partition leaders, and admin requests the broker forwards, as
 * Kafka's ForwardingManager does). One envelope carries them all; the controller
 * answers NOT_CONTROLLER with a hint when it is not the active one.
 */
import type { ErrorName } from '../errors';
import type { BrokerEndpoint, MetadataRecord } from '../metadata/records';
import type { TraceInput } from '../sim/trace';
import type { NewTopic } from '../cluster/api';
import type { ElasticityRequest, ElasticityResponse } from './elasticity-messages';

export interface BrokerRegistrationRequest {
  readonly api: 'BrokerRegistration';
  readonly brokerId: number;
  readonly incarnationId: string;
  readonly rack: string | null;
  readonly listeners: readonly BrokerEndpoint[];
}
export interface BrokerRegistrationResponse {
  readonly api: 'BrokerRegistration';
  readonly errorCode: ErrorName;
  readonly message: string | null;
  readonly brokerEpoch: number;
}

export interface BrokerHeartbeatRequest {
  readonly api: 'BrokerHeartbeat';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly currentMetadataOffset: number;
  readonly wantFence: boolean;
  readonly wantShutDown: boolean;
}
export interface BrokerHeartbeatResponse {
  readonly api: 'BrokerHeartbeat';
  readonly errorCode: ErrorName;
  readonly isCaughtUp: boolean;
  readonly isFenced: boolean;
  readonly shouldShutDown: boolean;
}

export interface CreateTopicsRequest {
  readonly api: 'CreateTopics';
  readonly topics: readonly NewTopic[];
  readonly validateOnly: boolean;
}
export interface CreatableTopicResult {
  readonly name: string;
  readonly errorCode: ErrorName;
  readonly errorMessage: string | null;
  readonly suggestion: string | null;
  readonly topicId: string | null;
  readonly numPartitions: number;
  readonly replicationFactor: number;
}
export interface CreateTopicsResponse {
  readonly api: 'CreateTopics';
  readonly topics: readonly CreatableTopicResult[];
}

export interface DeleteTopicsRequest {
  readonly api: 'DeleteTopics';
  readonly names: readonly string[];
}
export interface DeletableTopicResult {
  readonly name: string;
  readonly errorCode: ErrorName;
  readonly errorMessage: string | null;
}
export interface DeleteTopicsResponse {
  readonly api: 'DeleteTopics';
  readonly topics: readonly DeletableTopicResult[];
}

export interface AlterPartitionItem {
  readonly topicId: string;
  readonly partitionIndex: number;
  readonly leaderEpoch: number;
  readonly newIsr: readonly number[];
  readonly partitionEpoch: number;
  /** 0 when an unclean leader has finished recovering, else -1 (no change). */
  readonly leaderRecoveryState: number;
}
export interface AlterPartitionRequest {
  readonly api: 'AlterPartition';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly partitions: readonly AlterPartitionItem[];
}
export interface AlterPartitionResult {
  readonly topicId: string;
  readonly partitionIndex: number;
  readonly errorCode: ErrorName;
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly partitionEpoch: number;
}
export interface AlterPartitionResponse {
  readonly api: 'AlterPartition';
  readonly partitions: readonly AlterPartitionResult[];
}

export interface ElectLeadersRequest {
  readonly api: 'ElectLeaders';
  /** 0 = preferred, 1 = unclean (Kafka's ElectionType). */
  readonly electionType: 0 | 1;
  /** null: every partition. */
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[] | null;
}
export interface ElectLeadersResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: ErrorName;
  readonly errorMessage: string | null;
}
export interface ElectLeadersResponse {
  readonly api: 'ElectLeaders';
  readonly results: readonly ElectLeadersResult[];
}

export interface AlterConfigsRequest {
  readonly api: 'IncrementalAlterConfigs';
  readonly resourceType: number;
  readonly resourceName: string;
  /** value null deletes the override. */
  readonly changes: readonly { readonly name: string; readonly value: string | null }[];
  readonly validateOnly: boolean;
}
export interface AlterConfigsResponse {
  readonly api: 'IncrementalAlterConfigs';
  readonly errorCode: ErrorName;
  readonly errorMessage: string | null;
}

export interface AllocateProducerIdsRequest {
  readonly api: 'AllocateProducerIds';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}
export interface AllocateProducerIdsResponse {
  readonly api: 'AllocateProducerIds';
  readonly errorCode: ErrorName;
  readonly producerIdStart: number;
  readonly producerIdLen: number;
}

export type ControllerRequestBody =
  | BrokerRegistrationRequest
  | BrokerHeartbeatRequest
  | CreateTopicsRequest
  | DeleteTopicsRequest
  | AlterPartitionRequest
  | ElectLeadersRequest
  | AlterConfigsRequest
  | AllocateProducerIdsRequest
  | ElasticityRequest;

export type ControllerResponseBody =
  | BrokerRegistrationResponse
  | BrokerHeartbeatResponse
  | CreateTopicsResponse
  | DeleteTopicsResponse
  | AlterPartitionResponse
  | ElectLeadersResponse
  | AlterConfigsResponse
  | AllocateProducerIdsResponse
  | ElasticityResponse;

/** The response type that answers a given request type. */
export type ResponseFor<R extends ControllerRequestBody> = Extract<ControllerResponseBody, { api: R['api'] }>;

export interface ControllerRequest {
  readonly kind: 'ControllerRequest';
  readonly correlationId: number;
  readonly body: ControllerRequestBody;
}

export interface ControllerResponse {
  readonly kind: 'ControllerResponse';
  readonly correlationId: number;
  /** NOT_CONTROLLER when the receiver is not the active controller; then body is null. */
  readonly errorCode: ErrorName;
  readonly leaderHint: number | null;
  readonly body: ControllerResponseBody | null;
}

export type ControllerMessage = ControllerRequest | ControllerResponse;

/**
 * What every controller decision returns (Kafka's ControllerResult): the records to
 * append and the response to send once they commit, plus trace events that say why.
 */
export interface ControllerResult<T> {
  readonly records: readonly MetadataRecord[];
  readonly response: T;
  readonly events?: readonly TraceInput[];
}
