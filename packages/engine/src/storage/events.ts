/**
 * Trace events for every storage action. Visualisations, the shell's event views and exercise
 * checks read these; they carry the figures a learner would look for in Kafka's own logs.
 */
export type RollReason = 'segment.bytes' | 'segment.ms' | 'index-full' | 'offset-overflow' | 'retention' | 'truncate-fully';
export type RetentionReason = 'retention.ms' | 'retention.bytes' | 'log-start-offset' | 'local.retention.ms' | 'local.retention.bytes';

interface Base {
  topic: string;
  partition: number;
  atMs: number;
}

export type StorageEvent = Base &
  (
    | { type: 'append'; role: 'leader' | 'follower'; baseOffset: number; lastOffset: number; recordCount: number; sizeBytes: number; segmentBaseOffset: number; position: number; partitionLeaderEpoch: number; logEndOffset: number }
    | { type: 'segment-rolled'; reason: RollReason; oldBaseOffset: number; oldSizeBytes: number; newBaseOffset: number }
    | { type: 'index-entry'; segmentBaseOffset: number; offset: number; position: number; timestampMs: number | undefined }
    | { type: 'flush'; fromOffset: number; recoveryPoint: number; bytes: number; trigger: 'flush.messages' | 'flush.ms' | 'roll' | 'explicit' | 'recovery' }
    | { type: 'truncate'; kind: 'to' | 'fully'; oldLogEndOffset: number; logEndOffset: number; bytesRemoved: number }
    | { type: 'log-start-offset'; oldLogStartOffset: number; logStartOffset: number; reason: 'delete-records' | 'retention' | 'remote-retention' }
    | { type: 'retention-delete'; reason: RetentionReason; tier: 'local' | 'remote'; segmentBaseOffset: number; segmentEndOffset: number; sizeBytes: number; logStartOffset: number }
    | { type: 'clean'; fromOffset: number; toOffset: number; dirtyRatio: number; segmentsBefore: number; segmentsAfter: number; bytesBefore: number; bytesAfter: number; recordsBefore: number; recordsAfter: number; tombstonesRemoved: number; abortedRemoved: number; markersRemoved: number }
    | { type: 'tier-copy'; remoteLogSegmentId: string; segmentBaseOffset: number; segmentEndOffset: number; sizeBytes: number }
    | { type: 'remote-read'; remoteLogSegmentId: string; fromOffset: number; nextOffset: number; bytes: number }
    | { type: 'recovery'; segmentBaseOffset: number; batches: number; truncatedBytes: number; deletedSegments: number; logEndOffset: number }
    | { type: 'crash'; lostBytes: number; logEndOffsetBefore: number; logEndOffset: number }
  );

export type StorageEventType = StorageEvent['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the log stamps topic, partition and time on it. */
export type StorageEventBody = DistributiveOmit<StorageEvent, 'topic' | 'partition' | 'atMs'>;
