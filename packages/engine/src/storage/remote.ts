/**
 * Tiered storage ports (KIP-405): the RemoteStorageManager (segment bytes and indexes in an
 * object store) and the RemoteLogMetadataManager (which segments are where, and in what state),
 * joined into one `RemoteStorage` port. Kafka keeps the metadata in `__remote_log_metadata`;
 * here the port owns it. The in-memory implementation serves labs and tests; a directory-backed
 * adapter lives in packages/lab.
 *
 * Segment states follow Kafka's lifecycle:
 *   COPY_SEGMENT_STARTED -> COPY_SEGMENT_FINISHED -> DELETE_SEGMENT_STARTED -> DELETE_SEGMENT_FINISHED
 * Only COPY_SEGMENT_FINISHED segments serve reads.
 */
import { KafkaError } from '../errors';

export type RemoteSegmentState = 'COPY_SEGMENT_STARTED' | 'COPY_SEGMENT_FINISHED' | 'DELETE_SEGMENT_STARTED' | 'DELETE_SEGMENT_FINISHED';
export type RemoteIndexType = 'OFFSET' | 'TIMESTAMP' | 'LEADER_EPOCH';

export interface RemoteLogSegmentMetadata {
  remoteLogSegmentId: string;
  topic: string;
  partition: number;
  startOffset: number;
  endOffset: number;
  maxTimestampMs: number;
  segmentSizeInBytes: number;
  /** Leader epoch -> first offset of that epoch within the segment. */
  segmentLeaderEpochs: Record<number, number>;
  eventTimestampMs: number;
  state: RemoteSegmentState;
}

export interface RemoteSegmentData {
  log: Uint8Array;
  offsetIndex: Uint8Array;
  timeIndex: Uint8Array;
  leaderEpochIndex: Uint8Array;
}

export interface RemoteStorage {
  copyLogSegmentData(metadata: RemoteLogSegmentMetadata, data: RemoteSegmentData): void;
  /** Bytes [startPosition, endPosition) of the segment; to its end when endPosition is omitted. */
  fetchLogSegment(metadata: RemoteLogSegmentMetadata, startPosition: number, endPosition?: number): Uint8Array;
  fetchIndex(metadata: RemoteLogSegmentMetadata, type: RemoteIndexType): Uint8Array;
  deleteLogSegmentData(metadata: RemoteLogSegmentMetadata): void;
  addRemoteLogSegmentMetadata(metadata: RemoteLogSegmentMetadata): void;
  updateRemoteLogSegmentMetadata(remoteLogSegmentId: string, state: RemoteSegmentState, eventTimestampMs: number): void;
  /** Segments of a partition not yet fully deleted, by start offset. */
  listRemoteLogSegments(topic: string, partition: number): RemoteLogSegmentMetadata[];
}

export function remoteStorageError(what: string): KafkaError {
  return new KafkaError('KAFKA_STORAGE_ERROR', what, 'Check the remote storage; the segment may have been deleted by retention.');
}

export class MemoryRemoteStorage implements RemoteStorage {
  private readonly data = new Map<string, RemoteSegmentData>();
  private readonly metadata = new Map<string, RemoteLogSegmentMetadata>();

  copyLogSegmentData(metadata: RemoteLogSegmentMetadata, data: RemoteSegmentData): void {
    // The object store keeps its own copy, as an upload would.
    this.data.set(metadata.remoteLogSegmentId, {
      log: data.log.slice(), offsetIndex: data.offsetIndex.slice(), timeIndex: data.timeIndex.slice(), leaderEpochIndex: data.leaderEpochIndex.slice(),
    });
  }

  private segment(metadata: RemoteLogSegmentMetadata): RemoteSegmentData {
    const d = this.data.get(metadata.remoteLogSegmentId);
    if (!d) throw remoteStorageError(`Remote segment ${metadata.remoteLogSegmentId} is not in the object store.`);
    return d;
  }

  fetchLogSegment(metadata: RemoteLogSegmentMetadata, startPosition: number, endPosition?: number): Uint8Array {
    const log = this.segment(metadata).log;
    return log.subarray(startPosition, endPosition ?? log.length);
  }

  fetchIndex(metadata: RemoteLogSegmentMetadata, type: RemoteIndexType): Uint8Array {
    const d = this.segment(metadata);
    return type === 'OFFSET' ? d.offsetIndex : type === 'TIMESTAMP' ? d.timeIndex : d.leaderEpochIndex;
  }

  deleteLogSegmentData(metadata: RemoteLogSegmentMetadata): void {
    this.data.delete(metadata.remoteLogSegmentId);
  }

  addRemoteLogSegmentMetadata(metadata: RemoteLogSegmentMetadata): void {
    this.metadata.set(metadata.remoteLogSegmentId, { ...metadata });
  }

  updateRemoteLogSegmentMetadata(remoteLogSegmentId: string, state: RemoteSegmentState, eventTimestampMs: number): void {
    const m = this.metadata.get(remoteLogSegmentId);
    if (!m) throw remoteStorageError(`No metadata for remote segment ${remoteLogSegmentId}.`);
    m.state = state;
    m.eventTimestampMs = eventTimestampMs;
  }

  listRemoteLogSegments(topic: string, partition: number): RemoteLogSegmentMetadata[] {
    return [...this.metadata.values()]
      .filter((m) => m.topic === topic && m.partition === partition && m.state !== 'DELETE_SEGMENT_FINISHED')
      .sort((a, b) => a.startOffset - b.startOffset)
      .map((m) => ({ ...m }));
  }
}
