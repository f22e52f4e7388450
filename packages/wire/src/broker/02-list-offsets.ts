/**
 * ListOffsets (api key 2): versions 0–7 served (v0's `old_style_offsets` holds the one
 * answer; `max_num_offsets` is ignored beyond that).
 *
 * Behaviour: timestamps -2 (earliest = log start offset), -1 (latest: the high watermark, or
 * the last stable offset under read_committed), -3 (max timestamp, KIP-734), or a time in ms
 * (the first offset whose timestamp is at or after it, -1 when none). Answered by the
 * partition leader only (NOT_LEADER_OR_FOLLOWER elsewhere). `current_leader_epoch` (v4+) is
 * checked against the leader's epoch: FENCED_LEADER_EPOCH when the client's is older,
 * UNKNOWN_LEADER_EPOCH when newer (KIP-320).
 *
 * Deviations: -4/-5 (tiered storage offsets, v8+) are not served since v8 is not.
 */
import { KafkaError } from '@kil/engine';
import type { ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse } from '../messages/02-list-offsets';
import { errorCodeOf, NONE, partitionErrorCode, type HandlerEnv } from './context';

export async function handleListOffsets(env: HandlerEnv, request: ListOffsetsRequest): Promise<ListOffsetsResponse> {
  const isolationLevel = request.isolationLevel === 1 ? 'read_committed' : 'read_uncommitted';
  const topics = await Promise.all(
    request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(
        topic.partitions.map((p) => listPartition(env, topic.name, p.partitionIndex, p.timestamp, p.currentLeaderEpoch, isolationLevel)),
      ),
    })),
  );
  return { throttleTimeMs: 0, topics };
}

async function listPartition(
  env: HandlerEnv,
  topic: string,
  partition: number,
  timestamp: number,
  currentLeaderEpoch: number,
  isolationLevel: 'read_committed' | 'read_uncommitted',
): Promise<ListOffsetsPartitionResponse> {
  const failed = (errorCode: number): ListOffsetsPartitionResponse => ({ partitionIndex: partition, errorCode, oldStyleOffsets: [], timestamp: -1, offset: -1, leaderEpoch: -1 });
  try {
    const out = await env.engine(() => env.broker.listOffsets({ topic, partition, timestamp, isolationLevel }));
    if (out.error !== null) return failed(out.error.code);
    const epochError = leaderEpochError(topic, partition, currentLeaderEpoch, out.leaderEpoch);
    if (epochError !== null) return failed(errorCodeOf(epochError));
    return {
      partitionIndex: partition,
      errorCode: NONE,
      oldStyleOffsets: out.offset >= 0 ? [out.offset] : [],
      timestamp: out.timestamp,
      offset: out.offset,
      leaderEpoch: out.leaderEpoch,
    };
  } catch (error) {
    return failed(partitionErrorCode(error));
  }
}

/** KIP-320 fencing: a client that knows another leader epoch talks to the wrong leader. */
export function leaderEpochError(topic: string, partition: number, clientEpoch: number, leaderEpoch: number): KafkaError | null {
  if (clientEpoch < 0 || leaderEpoch < 0 || clientEpoch === leaderEpoch) return null;
  if (clientEpoch < leaderEpoch) {
    return new KafkaError('FENCED_LEADER_EPOCH', `${topic}-${partition} is in leader epoch ${leaderEpoch}; the request carried ${clientEpoch}.`, 'Refresh metadata and retry.');
  }
  return new KafkaError('UNKNOWN_LEADER_EPOCH', `${topic}-${partition} is in leader epoch ${leaderEpoch}; the request carried the newer ${clientEpoch}.`, 'This broker has not seen the new leader yet; retry shortly.');
}
