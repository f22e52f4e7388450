/**
 * How the coordinators' typed records travel in `__consumer_offsets` and
 * `__transaction_state`: one record batch v2 per command, each record's key and value the
 * JSON form of the typed key and value (bytes fields as hex), a tombstone a null value.
 * Transactional offset commits go in a transactional batch with the producer's id and
 * epoch, so the partition's producer state tracks them like any transactional write, and
 * a transaction marker (control batch) replays as the group coordinator's EndTxnMarker.
 *
 * Deviation: Kafka writes versioned binary keys and values (GroupMetadataKey v2, ...);
 * this JSON form keeps the typed objects of the coordinators readable in kafka-dump-log,
 * but external tools cannot parse it.
 */
import type { GroupCoordinatorRecord } from '../group/records';
import { decodeRecordBatch, encodeRecordBatch, type BatchHeader } from '../storage';
import type { TransactionLogRecord } from '../txn/records';
import { decodeTxnMarker } from '../txn/markers';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toJsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: toHex(v) } : v)));
}

function fromJsonBytes(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes), (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && typeof (v as { $bytes?: unknown }).$bytes === 'string') return fromHex((v as { $bytes: string }).$bytes);
    return v;
  });
}

export interface CoordinatorBatchOptions {
  readonly timestampMs: number;
  /** For a transactional offset commit: the producer that owns it. */
  readonly producer?: { readonly producerId: number; readonly producerEpoch: number; readonly baseSequence: number };
}

/** One batch holding a command's records. */
export function encodeCoordinatorBatch(records: ReadonlyArray<{ readonly key: object; readonly value: object | null }>, options: CoordinatorBatchOptions): Uint8Array {
  const producer = options.producer;
  return encodeRecordBatch({
    records: records.map((r) => ({ key: toJsonBytes(r.key), value: r.value === null ? null : toJsonBytes(r.value), timestamp: options.timestampMs })),
    ...(producer === undefined ? {} : { producerId: producer.producerId, producerEpoch: producer.producerEpoch, baseSequence: producer.baseSequence, isTransactional: true }),
  });
}

/** The group coordinator records of one `__consumer_offsets` batch (a marker becomes EndTxnMarker). */
export function decodeGroupRecords(bytes: Uint8Array, header: BatchHeader): GroupCoordinatorRecord[] {
  if (header.isControl) {
    const marker = decodeTxnMarker(bytes, header.position);
    return marker === null ? [] : [{ key: { type: 'EndTxnMarker', producerId: marker.producerId }, value: { commit: marker.commit } }];
  }
  const producerId = header.isTransactional ? header.producerId : undefined;
  return decodeRecordBatch(bytes, undefined, header.position).records.map((r) => {
    const key = fromJsonBytes(r.key!) as GroupCoordinatorRecord['key'];
    const value = r.value === null ? null : fromJsonBytes(r.value);
    return (producerId === undefined ? { key, value } : { key, value, producerId }) as GroupCoordinatorRecord;
  });
}

/** The transaction log records of one `__transaction_state` batch. */
export function decodeTransactionRecords(bytes: Uint8Array, header: BatchHeader): TransactionLogRecord[] {
  if (header.isControl) return [];
  return decodeRecordBatch(bytes, undefined, header.position).records.map((r) => ({
    key: fromJsonBytes(r.key!) as TransactionLogRecord['key'],
    value: r.value === null ? null : (fromJsonBytes(r.value) as TransactionLogRecord['value']),
  }));
}
