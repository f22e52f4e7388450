/**
 * Glue between a partition's log and its ProducerStateManager: reading the producer fields
 * of a batch header (and, for a transaction marker, its COMMIT/ABORT type and coordinator
 * epoch), and walking a whole log batch by batch so that producer state can be rebuilt
 * from it, as Kafka's ProducerStateManager is rebuilt from the log on load.
 */
import { batchInfoFromHeader, type ProducerBatchInfo } from '../producer/producer-state';
import { BatchIterator, type BatchHeader, type Log } from '../storage';
import { decodeTxnMarker } from '../txn/markers';

/** Producer-state view of the batch at `position` in `bytes`. */
export function producerBatchInfo(bytes: Uint8Array, header: BatchHeader): ProducerBatchInfo {
  if (!header.isControl) return batchInfoFromHeader(header);
  const marker = decodeTxnMarker(bytes, header.position);
  return batchInfoFromHeader(header, marker === null ? undefined : marker.commit ? 'COMMIT' : 'ABORT', marker?.coordinatorEpoch);
}

/** Calls `visit` for every batch of concatenated batch bytes, in order. */
export function forEachBatch(bytes: Uint8Array, visit: (bytes: Uint8Array, header: BatchHeader) => void): void {
  const it = new BatchIterator(bytes);
  while (it.next()) visit(bytes, it.header());
}

/** Every batch of a log from `fromOffset` to its end, one segment read at a time. */
export function forEachLogBatch(log: Log, fromOffset: number, visit: (bytes: Uint8Array, header: BatchHeader) => void): void {
  let offset = Math.max(fromOffset, log.logStartOffset);
  while (offset < log.logEndOffset) {
    const read = log.read(offset, { maxBytes: Number.MAX_SAFE_INTEGER });
    if (read.bytes.length === 0) break;
    let last = offset;
    forEachBatch(read.bytes, (bytes, header) => {
      last = header.lastOffset;
      visit(bytes, header);
    });
    if (last < offset) break;
    offset = last + 1;
  }
}
