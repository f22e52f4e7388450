/**
 * OffsetDelete (API key 47, KIP-496): remove a group's committed offsets for some
 * partitions, as `kafka-consumer-groups --delete-offsets` asks. It runs on the group's
 * coordinator shard like every other group command: decide the records (one tombstone per
 * committed offset), replay them into the shard, append them to `__consumer_offsets`, and
 * answer once they are committed.
 *
 * Rules (Kafka's OffsetMetadataManager.deleteOffsets and the classic coordinator before it):
 * - an unknown or Dead group answers GROUP_ID_NOT_FOUND;
 * - a classic group whose protocol type is not `consumer` may lose offsets only while Empty
 *   (NON_EMPTY_GROUP otherwise);
 * - a partition of a topic the group's members subscribe to answers GROUP_SUBSCRIBED_TO_TOPIC
 *   and keeps its offset; other partitions answer NONE, with or without an offset to delete.
 *
 * Deviations: the decision is made here from the coordinator's public views and `replay`,
 * rather than as a GroupCoordinator command, so it emits no trace event of its own. A
 * KIP-848 consumer group's subscriptions are not visible from here: while such a group has
 * members, every requested topic counts as subscribed.
 */
import type { ErrorName } from '../errors';
import type { BrokerNode } from '../broker/broker-node';
import { encodeCoordinatorBatch } from '../broker/coordinator-records';
import { decodeSubscription } from '../clients/consumer-protocol';
import type { GroupCoordinator } from '../group/group-coordinator';
import type { GroupCoordinatorRecord } from '../group/records';

export interface OffsetDeleteRequest {
  readonly groupId: string;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitionIndexes: readonly number[] }>;
}

export interface OffsetDeleteResponse {
  /** Group-level error; partition errors are in `topics`. */
  readonly error: ErrorName;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly error: ErrorName }> }>;
}

function allPartitions(req: OffsetDeleteRequest, error: ErrorName): OffsetDeleteResponse['topics'] {
  return req.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, error })) }));
}

/** The group-level answer when the whole request fails (wrong coordinator, unknown group...). */
export function offsetDeleteError(req: OffsetDeleteRequest, error: ErrorName): OffsetDeleteResponse {
  return { error, topics: allPartitions(req, error) };
}

/**
 * The topics the group's members subscribe to, or an error that refuses the whole request.
 * A classic consumer group's subscriptions are in each member's protocol metadata.
 */
function subscribedTopics(coordinator: GroupCoordinator, groupId: string): Set<string> | 'all' | ErrorName {
  const listed = coordinator.listGroups().find((g) => g.groupId === groupId);
  if (!listed || listed.groupState === 'Dead') return 'GROUP_ID_NOT_FOUND';
  if (listed.groupType === 'consumer') return listed.groupState === 'Empty' ? new Set() : 'all';
  const group = coordinator.group(groupId);
  if (!group) return 'GROUP_ID_NOT_FOUND';
  if (group.protocolType !== 'consumer') return group.state === 'Empty' ? new Set() : 'NON_EMPTY_GROUP';
  const topics = new Set<string>();
  for (const member of group.members.values()) {
    for (const protocol of member.protocols) {
      try {
        for (const topic of decodeSubscription(protocol.metadata).topics) topics.add(topic);
      } catch {
        // Metadata that is not a consumer subscription subscribes to nothing we can name.
      }
    }
  }
  return topics;
}

/** Decides the answer and the tombstones for one request against one coordinator shard. */
export function decideOffsetDelete(coordinator: GroupCoordinator, req: OffsetDeleteRequest, nowMs: number): { response: OffsetDeleteResponse; records: GroupCoordinatorRecord[] } {
  const subscribed = subscribedTopics(coordinator, req.groupId);
  if (typeof subscribed === 'string' && subscribed !== 'all') return { response: offsetDeleteError(req, subscribed), records: [] };
  const committed = coordinator.offsetFetch({ groupId: req.groupId, topics: req.topics }, nowMs);
  const records: GroupCoordinatorRecord[] = [];
  const topics = req.topics.map((t) => {
    const isSubscribed = subscribed === 'all' || subscribed.has(t.name);
    const partitions = t.partitionIndexes.map((partitionIndex) => {
      if (isSubscribed) return { partitionIndex, error: 'GROUP_SUBSCRIBED_TO_TOPIC' as ErrorName };
      const offset = committed.topics.find((c) => c.name === t.name)?.partitions.find((p) => p.partitionIndex === partitionIndex)?.committedOffset ?? -1;
      if (offset >= 0) records.push({ key: { type: 'OffsetCommitKey', group: req.groupId, topic: t.name, partition: partitionIndex }, value: null });
      return { partitionIndex, error: 'NONE' as ErrorName };
    });
    return { name: t.name, partitions };
  });
  return { response: { error: 'NONE', topics }, records };
}

/** Serves OffsetDelete on `node`: routed to the group's shard, answered after the tombstones commit. */
export function offsetDeleteOnBroker(node: BrokerNode, req: OffsetDeleteRequest, nowMs: number, respond: (response: OffsetDeleteResponse) => void): void {
  const host = node.groupCoordinator;
  const shard = host.runtime.active(host.partitionFor(req.groupId));
  if (typeof shard === 'string') return respond(offsetDeleteError(req, shard));
  const { response, records } = decideOffsetDelete(shard.state.coordinator, req, nowMs);
  // As in the coordinator's own commands, records are replayed before they are written.
  for (const record of records) shard.state.coordinator.replay(record);
  const batch = records.length === 0 ? null : encodeCoordinatorBatch(records, { timestampMs: nowMs });
  host.runtime.write(shard, batch, (error) => respond(error === null ? response : offsetDeleteError(req, error)));
  host.runtime.poll();
}
