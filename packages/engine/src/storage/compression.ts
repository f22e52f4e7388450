/**
 * The compression port. Record batch v2 names its codec in attribute bits 0-2; the broker keeps
 * compressed batches as opaque bytes and only asks a codec when it must look at records
 * (compaction, key checks on compacted topics, timestamp search, the dump tool).
 * The engine ships no codec of its own: adapters inject gzip (node:zlib), snappy, lz4 and zstd.
 */
import { KafkaError } from '../errors';

export const compressionTypes = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionType = (typeof compressionTypes)[number];

export interface CompressionCodec {
  compress(data: Uint8Array): Uint8Array;
  decompress(data: Uint8Array): Uint8Array;
}

export type CompressionCodecs = Partial<Record<Exclude<CompressionType, 'none'>, CompressionCodec>>;

export function compressionTypeOf(codecId: number): CompressionType {
  const type = compressionTypes[codecId];
  if (type === undefined) {
    throw new KafkaError('CORRUPT_MESSAGE', `Unknown compression codec id ${codecId} in batch attributes.`, 'Codec ids are 0 (none), 1 (gzip), 2 (snappy), 3 (lz4) and 4 (zstd).');
  }
  return type;
}

export function codecFor(codecs: CompressionCodecs | undefined, type: Exclude<CompressionType, 'none'>): CompressionCodec {
  const codec = codecs?.[type];
  if (!codec) {
    throw new KafkaError('UNSUPPORTED_COMPRESSION_TYPE', `This broker has no ${type} codec installed.`, 'Produce with compression.type=gzip or none, or start the broker with the node codecs.');
  }
  return codec;
}
