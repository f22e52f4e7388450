/**
 * KRaft's RPCs (KIP-595, KIP-630) as the simulated network carries them: Vote,
 * BeginQuorumEpoch, EndQuorumEpoch, Fetch and FetchSnapshot of `__cluster_metadata`.
 * Field names follow Kafka's message specs; records travel as values, not bytes.
 */
import type { ErrorName } from '../errors';
import type { RaftEntry, RaftSnapshot } from './raft-log';

export interface LeaderAndEpoch {
  readonly leaderId: number | null;
  readonly epoch: number;
}

export interface VoteRequest {
  readonly kind: 'VoteRequest';
  readonly candidateEpoch: number;
  readonly candidateId: number;
  readonly lastOffsetEpoch: number;
  /** The candidate's log end offset. */
  readonly lastOffset: number;
}

export interface VoteResponse {
  readonly kind: 'VoteResponse';
  readonly leaderEpoch: number;
  readonly leaderId: number | null;
  readonly voteGranted: boolean;
}

export interface BeginQuorumEpochRequest {
  readonly kind: 'BeginQuorumEpochRequest';
  readonly leaderEpoch: number;
  readonly leaderId: number;
}

export interface BeginQuorumEpochResponse {
  readonly kind: 'BeginQuorumEpochResponse';
  readonly errorCode: ErrorName;
  readonly leaderEpoch: number;
  readonly leaderId: number | null;
}

export interface EndQuorumEpochRequest {
  readonly kind: 'EndQuorumEpochRequest';
  readonly leaderEpoch: number;
  readonly leaderId: number;
  /** Voters ordered by how far their logs reach: the first should run for leader first. */
  readonly preferredSuccessors: readonly number[];
}

export interface RaftFetchRequest {
  readonly kind: 'RaftFetchRequest';
  readonly correlationId: number;
  readonly replicaId: number;
  /** The epoch the fetcher believes current. */
  readonly currentLeaderEpoch: number;
  readonly fetchOffset: number;
  readonly lastFetchedEpoch: number;
  readonly maxWaitMs: number;
}

export interface RaftFetchResponse {
  readonly kind: 'RaftFetchResponse';
  readonly correlationId: number;
  readonly errorCode: ErrorName;
  readonly currentLeader: LeaderAndEpoch;
  readonly highWatermark: number;
  /** Set when the fetcher's log diverges: truncate to this epoch's end offset. */
  readonly divergingEpoch: { readonly epoch: number; readonly endOffset: number } | null;
  /** Set when the fetch offset is below the log start: fetch this snapshot instead. */
  readonly snapshotId: { readonly endOffset: number; readonly epoch: number } | null;
  readonly records: readonly RaftEntry[];
}

export interface FetchSnapshotRequest {
  readonly kind: 'FetchSnapshotRequest';
  readonly correlationId: number;
  readonly replicaId: number;
  readonly currentLeaderEpoch: number;
  readonly snapshotId: { readonly endOffset: number; readonly epoch: number };
}

export interface FetchSnapshotResponse {
  readonly kind: 'FetchSnapshotResponse';
  readonly correlationId: number;
  readonly errorCode: ErrorName;
  readonly currentLeader: LeaderAndEpoch;
  readonly snapshot: RaftSnapshot | null;
}

export type RaftMessage =
  | VoteRequest
  | VoteResponse
  | BeginQuorumEpochRequest
  | BeginQuorumEpochResponse
  | EndQuorumEpochRequest
  | RaftFetchRequest
  | RaftFetchResponse
  | FetchSnapshotRequest
  | FetchSnapshotResponse;

const raftKinds: ReadonlySet<string> = new Set<RaftMessage['kind']>([
  'VoteRequest',
  'VoteResponse',
  'BeginQuorumEpochRequest',
  'BeginQuorumEpochResponse',
  'EndQuorumEpochRequest',
  'RaftFetchRequest',
  'RaftFetchResponse',
  'FetchSnapshotRequest',
  'FetchSnapshotResponse',
]);

export function isRaftMessage(message: { readonly kind: string }): message is RaftMessage {
  return raftKinds.has(message.kind);
}
