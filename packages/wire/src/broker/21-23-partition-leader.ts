/**
 * DeleteRecords (api key 21) versions 0–2 and OffsetForLeaderEpoch (api key 23) versions 0–4.
 *
 * Behaviour: both are answered by the partition leader (NOT_LEADER_OR_FOLLOWER elsewhere,
 * UNKNOWN_TOPIC_OR_PARTITION for a partition nobody hosts). DeleteRecords moves the log
 * start offset (offset -1 means the high watermark; beyond it OFFSET_OUT_OF_RANGE) and
 * answers the new low watermark at once. OffsetForLeaderEpoch answers the largest epoch at or
 * below the requested one and the offset where it ended (the log end offset for the current
 * epoch), with KIP-320 fencing on `current_leader_epoch` (v2+).
 *
 * Deviations: DeleteRecords does not wait for followers to move their log start offset (the
 * engine's followers do not follow it); `timeout_ms` is not applied. OffsetForLeaderEpoch
 * from a follower (`replica_id` >= 0) is served like a consumer's.
 */
import { deleteRecords, offsetForLeaderEpoch } from '@kil/engine';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from '../messages/21-delete-records';
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from '../messages/23-offset-for-leader-epoch';
import { NONE, partitionErrorCode, type HandlerEnv } from './context';

export function handleDeleteRecords(env: HandlerEnv, request: DeleteRecordsRequest): DeleteRecordsResponse {
  const topics = request.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      try {
        const out = deleteRecords(env.cluster, env.brokerId, { topic: t.name, partition: p.partitionIndex, offset: p.offset });
        return { partitionIndex: p.partitionIndex, lowWatermark: out.lowWatermark, errorCode: out.error === null ? NONE : out.error.code };
      } catch (error) {
        return { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: partitionErrorCode(error) };
      }
    }),
  }));
  env.onWork?.();
  return { throttleTimeMs: 0, topics };
}

export function handleOffsetForLeaderEpoch(env: HandlerEnv, request: OffsetForLeaderEpochRequest): OffsetForLeaderEpochResponse {
  const topics = request.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      try {
        const out = offsetForLeaderEpoch(env.cluster, env.brokerId, { topic: t.topic, partition: p.partition, currentLeaderEpoch: p.currentLeaderEpoch, leaderEpoch: p.leaderEpoch });
        return { errorCode: out.error === null ? NONE : out.error.code, partition: p.partition, leaderEpoch: out.leaderEpoch, endOffset: out.endOffset };
      } catch (error) {
        return { errorCode: partitionErrorCode(error), partition: p.partition, leaderEpoch: -1, endOffset: -1 };
      }
    }),
  }));
  return { throttleTimeMs: 0, topics };
}
