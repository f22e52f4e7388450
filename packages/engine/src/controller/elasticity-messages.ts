/**
 * Requests the active controller serves for cluster elasticity, as brokers forward them:
 * AlterPartitionReassignments and ListPartitionReassignments (KIP-455), CreatePartitions
 * (KIP-195) and UnregisterBroker (KIP-631's `kafka-cluster unregister`). They join the
 * envelope in messages.ts; the decisions live in reassignment.ts and create-partitions.ts.
 */
import type { ErrorName } from '../errors';

export interface ReassignmentTarget {
  readonly topic: string;
  readonly partition: number;
  /** Target replicas, first = preferred leader; null cancels an ongoing reassignment. */
  readonly replicas: readonly number[] | null;
}

export interface AlterPartitionReassignmentsRequest {
  readonly api: 'AlterPartitionReassignments';
  readonly reassignments: readonly ReassignmentTarget[];
}
export interface ReassignmentResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: ErrorName;
  readonly errorMessage: string | null;
}
export interface AlterPartitionReassignmentsResponse {
  readonly api: 'AlterPartitionReassignments';
  readonly results: readonly ReassignmentResult[];
}

export interface ListPartitionReassignmentsRequest {
  readonly api: 'ListPartitionReassignments';
  /** null: every partition. */
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[] | null;
}
export interface OngoingReassignment {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}
export interface ListPartitionReassignmentsResponse {
  readonly api: 'ListPartitionReassignments';
  readonly reassignments: readonly OngoingReassignment[];
}

export interface CreatePartitionsTopic {
  readonly name: string;
  /** The new total partition count. */
  readonly count: number;
  /** Replicas for each new partition; null lets the controller place them. */
  readonly assignments: readonly (readonly number[])[] | null;
}
export interface CreatePartitionsRequest {
  readonly api: 'CreatePartitions';
  readonly topics: readonly CreatePartitionsTopic[];
  readonly validateOnly: boolean;
}
export interface CreatePartitionsResult {
  readonly name: string;
  readonly errorCode: ErrorName;
  readonly errorMessage: string | null;
}
export interface CreatePartitionsResponse {
  readonly api: 'CreatePartitions';
  readonly results: readonly CreatePartitionsResult[];
}

export interface UnregisterBrokerRequest {
  readonly api: 'UnregisterBroker';
  readonly brokerId: number;
}
export interface UnregisterBrokerResponse {
  readonly api: 'UnregisterBroker';
  readonly errorCode: ErrorName;
  readonly errorMessage: string | null;
}

export type ElasticityRequest = AlterPartitionReassignmentsRequest | ListPartitionReassignmentsRequest | CreatePartitionsRequest | UnregisterBrokerRequest;
export type ElasticityResponse = AlterPartitionReassignmentsResponse | ListPartitionReassignmentsResponse | CreatePartitionsResponse | UnregisterBrokerResponse;
