/**
 * Transaction markers (control batches) as wire-protocol §6 describes them: attributes
 * 0x30 (transactional + control), one record whose key is `version i16 = 0 | type i16`
 * (0 ABORT, 1 COMMIT) and whose value is `version i16 = 0 | coordinatorEpoch i32`,
 * `baseSequence` -1. The byte layout is the storage layer's (`encodeEndTxnMarker`), so there
 * is exactly one batch encoder in the engine; this module adds the transaction view of it.
 */
import { readBatchHeader } from '../storage/batch';
import { controlRecordType, decodeRecordBatch, encodeEndTxnMarker } from '../storage/records';

export interface TxnMarker {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly commit: boolean;
  readonly coordinatorEpoch: number;
}

/** Encodes one marker batch for a partition; the partition leader assigns its offset on append. */
export function encodeTxnMarker(marker: TxnMarker & { timestampMs: number; baseOffset?: number; partitionLeaderEpoch?: number }): Uint8Array {
  return encodeEndTxnMarker({
    producerId: marker.producerId,
    producerEpoch: marker.producerEpoch,
    commit: marker.commit,
    coordinatorEpoch: marker.coordinatorEpoch,
    timestamp: marker.timestampMs,
    baseOffset: marker.baseOffset,
    partitionLeaderEpoch: marker.partitionLeaderEpoch,
  });
}

/** Reads a marker batch back (null when the batch is not a transaction marker). */
export function decodeTxnMarker(bytes: Uint8Array, position = 0): TxnMarker | null {
  const header = readBatchHeader(bytes, position);
  if (!header.isControl) return null;
  const record = decodeRecordBatch(bytes, undefined, position).records[0];
  const type = controlRecordType(record?.key ?? null);
  if (!record || type === undefined || !record.value || record.value.length < 6) return null;
  const value = new DataView(record.value.buffer, record.value.byteOffset, record.value.byteLength);
  return { producerId: header.producerId, producerEpoch: header.producerEpoch, commit: type === 'COMMIT', coordinatorEpoch: value.getInt32(2) };
}
