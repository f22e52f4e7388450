/**
 * How the console and perf producers turn records into a produce request: one uncompressed
 * batch that the engine encodes, or, when the producer asked for compression and the host
 * lent a codec, a record batch v2 compressed here (as a Kafka producer compresses on the
 * client). Without a codec the batch goes out uncompressed and the caller says so.
 */
import { encodeRecordBatch, type CompressionCodecs, type ProduceRecord, type ProduceRequest } from '@kil/engine';

export type Codec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface BatchPayload {
  readonly request: Pick<ProduceRequest, 'records' | 'batch'>;
  /** The codec actually used ('none' when the requested one is not available). */
  readonly codec: Codec;
}

export function batchPayload(records: readonly ProduceRecord[], codec: Codec, codecs: CompressionCodecs | undefined, nowMs: number): BatchPayload {
  if (codec === 'none' || codecs?.[codec] === undefined) return { request: { records }, codec: 'none' };
  const batch = encodeRecordBatch({
    records: records.map((r) => ({
      key: r.key ?? null,
      value: r.value ?? null,
      timestamp: r.timestamp ?? nowMs,
      headers: (r.headers ?? []).map((h) => ({ key: h.key, value: h.value })),
    })),
    compression: codec,
    codecs,
  });
  return { request: { batch }, codec };
}

/** The note a producer prints once when it cannot compress as asked. */
export function uncompressedNote(codec: Codec): string {
  return `compression.type=${codec} was requested, but this terminal has no ${codec} codec, so batches are sent uncompressed`;
}
