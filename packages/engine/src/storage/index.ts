/**
 * Public storage API of the engine: record batch v2, the partition log, compaction, tiered
 * storage, the LogStore / RemoteStorage / compression ports and their in-memory implementations.
 */
export { crc32c } from './crc32c';
export {
  BatchIterator, readBatchHeader, listBatches, checkBatchIntegrity, assignOffsetAndEpoch, setLogAppendTime, writeCrc,
  RECORD_BATCH_OVERHEAD, LOG_OVERHEAD, MAGIC_V2, ATTR_COMPRESSION_MASK, ATTR_LOG_APPEND_TIME, ATTR_TRANSACTIONAL, ATTR_CONTROL, ATTR_DELETE_HORIZON,
  NO_PRODUCER_ID, NO_PARTITION_LEADER_EPOCH,
  type BatchHeader,
} from './batch';
export {
  encodeRecordBatch, decodeRecordBatch, recordsSection, encodeEndTxnMarker, controlRecordType,
  type KafkaRecord, type RecordHeader, type RecordInput, type DecodedRecordBatch, type EncodeRecordBatchOptions, type ControlRecordType,
} from './records';
export { compressionTypes, compressionTypeOf, codecFor, type CompressionType, type CompressionCodec, type CompressionCodecs } from './compression';
export {
  defaultLogConfig, logConfigFromProps, logConfigToProps, effectiveLocalRetentionMs, effectiveLocalRetentionBytes, hasCompactPolicy, hasDeletePolicy, LONG_MAX,
  type LogConfig, type CleanupPolicy,
} from './config';
export { MemoryLogStore, storageError, type LogStore } from './store';
export { logStoreContract, type StoreContractCase } from './store-contract';
export {
  MemoryRemoteStorage, remoteStorageError,
  type RemoteStorage, type RemoteLogSegmentMetadata, type RemoteSegmentData, type RemoteSegmentState, type RemoteIndexType,
} from './remote';
export { Log, type LogOptions, type AppendInfo, type AppendOrigin, type ReadOptions, type ReadResult, type SegmentInfo } from './log';
export { LeaderEpochCache, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, type EpochEntry } from './epoch-cache';
export { LogCleaner, cleanLog, cleanCleanableLogs, cleanedSomething, cleanableInfo, isCleanable, type CleanableInfo, type CleanSummary } from './cleaner';
export { dumpLog, dumpBatches, formatDump, type SegmentDump, type DumpedBatch, type DumpOptions } from './dump';
export { partitionDir, segmentFileName, parseCheckpoint, encodeCheckpoint } from './files';
export type { StorageEvent, StorageEventType, StorageEventBody, RollReason, RetentionReason } from './events';
