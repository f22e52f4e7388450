/**
 * The group coordinator as a broker runs it: one GroupCoordinator shard per partition of
 * `__consumer_offsets` this broker leads (see coordinator-runtime.ts for loading, commit
 * waits and failover). Requests are routed by `groupCoordinatorPartition(groupId, n)`;
 * a broker that does not lead that partition answers NOT_COORDINATOR, one still loading
 * it COORDINATOR_LOAD_IN_PROGRESS.
 *
 * Held requests: JoinGroup and SyncGroup may wait for other members. Each waiting request
 * gets a reply address; the coordinator's later `deliver` entries are sent to it once the
 * records of the step that produced them are committed. When the shard unloads, every
 * waiting request is answered NOT_COORDINATOR so that its client looks for the new
 * coordinator at once.
 *
 * Transactional offset commits (TxnOffsetCommit) are written as transactional batches with
 * the producer's id and epoch; the partition's producer state fences a zombie's commit, and
 * the transaction marker later makes the offsets visible (or drops them).
 */
import type { ErrorName } from '../errors';
import { groupCoordinatorPartition } from '../group/common';
import { GroupCoordinator } from '../group/group-coordinator';
import type { GroupCoordinatorRecord } from '../group/records';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '../group/consumer-group';
import {
  groupCoordinatorConfigFrom, offsetDeleteError, type DeleteGroupsResult, type OffsetDeleteRequest, type OffsetDeleteResponse, type Delivery, type DescribedGroup, type GroupResult, type HeartbeatRequest,
  type HeartbeatResponse, type JoinGroupRequest, type JoinGroupResponse, type LeaveGroupRequest, type LeaveGroupResponse, type ListedGroup,
  type OffsetCommitRequest, type OffsetCommitResponse, type OffsetFetchRequest, type OffsetFetchResponse, type SyncGroupRequest,
  type SyncGroupResponse, type TxnOffsetCommitRequest,
} from '../group/types';
import type { NodeConfig } from '../cluster/config';
import type { MetadataImage } from '../metadata/image';
import type { RandomSource } from '../group/common';
import { decodeGroupRecords, encodeCoordinatorBatch } from './coordinator-records';
import { CoordinatorRuntime, type RuntimeHost, type Shard } from './coordinator-runtime';

export const OFFSETS_TOPIC = '__consumer_offsets';

interface GroupShardState {
  readonly coordinator: GroupCoordinator;
  /** Reply address → how to answer a held JoinGroup/SyncGroup (with its response, or an error). */
  readonly waiters: Map<string, (answer: Delivery | ErrorName) => void>;
}

export interface GroupHostOptions extends RuntimeHost {
  readonly config: NodeConfig;
  readonly rng: RandomSource;
  image(): MetadataImage;
}

const emptyBytes = new Uint8Array(0);

export function joinErrorResponse(error: ErrorName, memberId = ''): JoinGroupResponse {
  return { error, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}

export function syncErrorResponse(error: ErrorName): SyncGroupResponse {
  return { error, protocolType: null, protocolName: null, assignment: emptyBytes };
}

function offsetCommitError(req: { topics: OffsetCommitRequest['topics'] }, error: ErrorName): OffsetCommitResponse {
  return { topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, error })) })) };
}

export class GroupCoordinatorHost {
  readonly runtime: CoordinatorRuntime<GroupShardState>;
  private replySeq = 0;

  constructor(private readonly options: GroupHostOptions) {
    const config = groupCoordinatorConfigFrom(options.config.all());
    this.runtime = new CoordinatorRuntime<GroupShardState>(OFFSETS_TOPIC, options, {
      create: (partition) => ({
        coordinator: new GroupCoordinator({ config, rng: options.rng, partition, emit: (e) => options.emit({ ...e, node: options.brokerId }) }),
        waiters: new Map(),
      }),
      replay: (state, bytes, header) => {
        for (const record of decodeGroupRecords(bytes, header)) state.coordinator.replay(record);
      },
      completeLoad: (shard, nowMs) => shard.state.coordinator.completeLoad(nowMs),
      unload: (shard, error) => this.failWaiters(shard.state, error),
      nextDeadlineMs: (state) => state.coordinator.nextDeadlineMs(),
      onTimer: (shard, nowMs) => {
        const result = shard.state.coordinator.onTimer(nowMs);
        this.commit(shard, result.records, result.deliver, () => undefined);
      },
    });
  }

  /** The `__consumer_offsets` partition count (the topic's, or offsets.topic.num.partitions before it exists). */
  numPartitions(): number {
    return this.options.image().topic(OFFSETS_TOPIC)?.partitions.size ?? this.options.config.int('offsets.topic.num.partitions');
  }

  partitionFor(groupId: string): number {
    return groupCoordinatorPartition(groupId, this.numPartitions());
  }

  private failWaiters(state: GroupShardState, error: ErrorName): void {
    const waiting = [...state.waiters.values()];
    state.waiters.clear();
    for (const answer of waiting) answer(error);
  }

  /** Writes a step's records, then answers the caller and the held requests the step completed. */
  private commit(shard: Shard<GroupShardState>, records: readonly GroupCoordinatorRecord[], deliver: readonly Delivery[], respond: (error: ErrorName | null) => void, producer?: { producerId: number; producerEpoch: number; baseSequence: number }): void {
    const batch = records.length === 0 ? null : encodeCoordinatorBatch(records, { timestampMs: this.options.nowMs(), producer });
    this.runtime.write(shard, batch, (error) => {
      respond(error);
      for (const d of deliver) {
        const answer = shard.state.waiters.get(d.replyTo);
        if (answer === undefined) continue;
        shard.state.waiters.delete(d.replyTo);
        answer(error ?? d);
      }
    });
  }

  /** Runs a command on the group's shard and answers after its records commit. */
  private run<R>(groupId: string, errorResponse: (error: ErrorName) => R, command: (c: GroupCoordinator, nowMs: number) => GroupResult<R>, respond: (response: R) => void): void {
    const shard = this.runtime.active(this.partitionFor(groupId));
    if (typeof shard === 'string') return respond(errorResponse(shard));
    const result = command(shard.state.coordinator, this.options.nowMs());
    this.commit(shard, result.records, result.deliver, (error) => {
      if (error !== null) respond(errorResponse(error));
      else if (result.response !== null) respond(result.response);
    });
    this.runtime.poll();
  }

  /** Like `run`, for JoinGroup/SyncGroup whose answer may be held: it gets a reply address. */
  private runHeld<R extends JoinGroupResponse | SyncGroupResponse>(
    groupId: string,
    errorResponse: (error: ErrorName) => R,
    command: (c: GroupCoordinator, nowMs: number, replyTo: string) => GroupResult<R>,
    respond: (response: R) => void,
  ): void {
    const shard = this.runtime.active(this.partitionFor(groupId));
    if (typeof shard === 'string') return respond(errorResponse(shard));
    // A held request is answered exactly once: by a later delivery, by an unload, or here.
    let answered = false;
    const answer = (response: R): void => {
      if (answered) return;
      answered = true;
      respond(response);
    };
    const replyTo = `reply-${this.options.brokerId}-${++this.replySeq}`;
    shard.state.waiters.set(replyTo, (a) => answer(typeof a === 'string' ? errorResponse(a) : (a.response as R)));
    const result = command(shard.state.coordinator, this.options.nowMs(), replyTo);
    if (result.response !== null) shard.state.waiters.delete(replyTo);
    this.commit(shard, result.records, result.deliver, (error) => {
      if (error !== null) {
        shard.state.waiters.delete(replyTo);
        answer(errorResponse(error));
      } else if (result.response !== null) answer(result.response);
    });
    this.runtime.poll();
  }

  joinGroup(req: JoinGroupRequest, respond: (r: JoinGroupResponse) => void): void {
    this.runHeld(req.groupId, (e) => joinErrorResponse(e, req.memberId), (c, now, replyTo) => c.joinGroup(req, now, replyTo), respond);
  }

  syncGroup(req: SyncGroupRequest, respond: (r: SyncGroupResponse) => void): void {
    this.runHeld(req.groupId, syncErrorResponse, (c, now, replyTo) => c.syncGroup(req, now, replyTo), respond);
  }

  heartbeat(req: HeartbeatRequest, respond: (r: HeartbeatResponse) => void): void {
    this.run(req.groupId, (error) => ({ error }), (c, now) => c.heartbeat(req, now), respond);
  }

  leaveGroup(req: LeaveGroupRequest, respond: (r: LeaveGroupResponse) => void): void {
    this.run(req.groupId, (error) => ({ error, members: [] }), (c, now) => c.leaveGroup(req, now), respond);
  }

  offsetCommit(req: OffsetCommitRequest, respond: (r: OffsetCommitResponse) => void): void {
    this.run(req.groupId, (e) => offsetCommitError(req, e), (c, now) => c.offsetCommit(req, now), respond);
  }

  /** OffsetFetch reads state, but still waits for the shard's earlier writes to commit. */
  offsetFetch(req: OffsetFetchRequest, respond: (r: OffsetFetchResponse) => void): void {
    this.run(req.groupId, (error) => ({ error, topics: [] }), (c, now) => ({ records: [], deliver: [], response: c.offsetFetch(req, now) }), respond);
  }

  txnOffsetCommit(req: TxnOffsetCommitRequest, respond: (r: OffsetCommitResponse) => void): void {
    const shard = this.runtime.active(this.partitionFor(req.groupId));
    if (typeof shard === 'string') return respond(offsetCommitError(req, shard));
    // The partition's producer state is the fence: a zombie's epoch is older than the one it saw last.
    const partition = this.options.replicaManager.get(OFFSETS_TOPIC, shard.partition);
    const entry = partition?.producerState.entry(req.producerId);
    if (entry !== undefined && req.producerEpoch < entry.producerEpoch) return respond(offsetCommitError(req, 'PRODUCER_FENCED'));
    const last = entry !== undefined && entry.producerEpoch === req.producerEpoch ? entry.batches.at(-1) : undefined;
    const baseSequence = last === undefined ? 0 : (last.lastSeq + 1) % 2147483648;
    const result = shard.state.coordinator.txnOffsetCommit(req, this.options.nowMs());
    const producer = { producerId: req.producerId, producerEpoch: req.producerEpoch, baseSequence };
    this.commit(shard, result.records, result.deliver, (error) => respond(error === null ? result.response! : offsetCommitError(req, error)), producer);
    this.runtime.poll();
  }

  consumerGroupHeartbeat(req: ConsumerGroupHeartbeatRequest, respond: (r: ConsumerGroupHeartbeatResponse) => void): void {
    const topics = new Map<string, number>();
    for (const t of this.options.image().topicsById.values()) topics.set(t.name, t.partitions.size);
    const errorResponse = (error: ErrorName): ConsumerGroupHeartbeatResponse => ({ error, errorMessage: null, memberId: req.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null });
    this.run(req.groupId, errorResponse, (c, now) => c.consumerGroupHeartbeat(req, topics, now), respond);
  }

  describeGroups(groupIds: readonly string[], respond: (groups: Array<DescribedGroup & { generationId: number }>) => void): void {
    const out: Array<DescribedGroup & { generationId: number }> = [];
    let pending = groupIds.length;
    if (pending === 0) return respond(out);
    groupIds.forEach((groupId, index) => {
      const fail = (error: ErrorName): DescribedGroup & { generationId: number } => ({ error, groupId, groupState: '', protocolType: '', protocolData: '', members: [], generationId: -1 });
      this.run(groupId, fail, (c) => ({ records: [], deliver: [], response: { ...c.describeGroups([groupId])[0]!, generationId: c.group(groupId)?.generationId ?? -1 } }), (described) => {
        out[index] = described;
        if (--pending === 0) respond(out);
      });
    });
  }

  /** ListGroups: every group of every shard this broker leads, merged. */
  listGroups(statesFilter: readonly string[] = []): ListedGroup[] {
    const all: ListedGroup[] = [];
    for (const shard of this.runtime.shards.values()) if (shard.loaded) all.push(...shard.state.coordinator.listGroups(statesFilter));
    return all.sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  }

  deleteGroups(groupIds: readonly string[], respond: (results: DeleteGroupsResult[]) => void): void {
    const out: DeleteGroupsResult[] = [];
    let pending = groupIds.length;
    if (pending === 0) return respond(out);
    groupIds.forEach((groupId, index) => {
      this.run(groupId, (error) => [{ groupId, error }], (c, now) => c.deleteGroups([groupId], now), (results) => {
        out[index] = results[0] ?? { groupId, error: 'UNKNOWN_SERVER_ERROR' };
        if (--pending === 0) respond(out);
      });
    });
  }

  offsetDelete(req: OffsetDeleteRequest, respond: (r: OffsetDeleteResponse) => void): void {
    this.run(req.groupId, (error) => offsetDeleteError(req, error), (c, now) => c.offsetDelete(req, now), respond);
  }

  /** A transaction marker reached a `__consumer_offsets` partition: pending offsets become visible or are dropped. */
  onMarkerWritten(partition: number, producerId: number, commit: boolean): void {
    const shard = this.runtime.shards.get(partition);
    shard?.state.coordinator.replay({ key: { type: 'EndTxnMarker', producerId }, value: { commit } });
  }
}
