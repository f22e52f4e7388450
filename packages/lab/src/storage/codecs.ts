/**
 * Node implementations of the engine's compression port, in the formats Kafka clients use:
 *   gzip    node:zlib
 *   snappy  snappyjs; we write the xerial framing Java producers send ("\x82SNAPPY\0", version,
 *           then length-prefixed raw blocks) and read both that and raw snappy (librdkafka)
 *   lz4     lz4js, the LZ4 frame format (Kafka's KafkaLZ4BlockOutputStream writes frames)
 *   zstd    zstd-codec (WebAssembly), which needs an asynchronous start-up, hence the factory
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { KafkaError, type CompressionCodec, type CompressionCodecs } from '@kil/engine';
import * as lz4 from 'lz4js';
import * as snappy from 'snappyjs';
import { ZstdCodec } from 'zstd-codec';

const XERIAL_MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00];
const XERIAL_HEADER_BYTES = 16;
/** Java's SnappyOutputStream compresses in 32 KiB blocks. */
const XERIAL_BLOCK_BYTES = 32 * 1024;

function corrupt(codec: string, e: unknown): KafkaError {
  return new KafkaError('CORRUPT_MESSAGE', `The ${codec} payload does not decompress: ${(e as Error).message}.`, 'The producer sent damaged compressed data; it will retry.');
}

function guard(codec: string, f: () => Uint8Array | null): Uint8Array {
  let out: Uint8Array | null;
  try {
    out = f();
  } catch (e) {
    throw corrupt(codec, e);
  }
  if (!out) throw corrupt(codec, new Error('decoder returned nothing'));
  return out;
}

export const gzipCodec: CompressionCodec = {
  compress: (data) => new Uint8Array(gzipSync(data)),
  decompress: (data) => guard('gzip', () => new Uint8Array(gunzipSync(data))),
};

export function isXerialFramed(data: Uint8Array): boolean {
  return data.length >= XERIAL_HEADER_BYTES && XERIAL_MAGIC.every((b, i) => data[i] === b);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** Encodes with the xerial framing (header, then int32 length + raw snappy block per 32 KiB). */
export function xerialSnappyCompress(data: Uint8Array): Uint8Array {
  const header = new Uint8Array(XERIAL_HEADER_BYTES);
  header.set(XERIAL_MAGIC);
  const hv = new DataView(header.buffer);
  hv.setInt32(8, 1);
  hv.setInt32(12, 1);
  const parts: Uint8Array[] = [header];
  for (let pos = 0; pos < data.length; pos += XERIAL_BLOCK_BYTES) {
    const block = snappy.compress(data.subarray(pos, Math.min(data.length, pos + XERIAL_BLOCK_BYTES)));
    const len = new Uint8Array(4);
    new DataView(len.buffer).setInt32(0, block.length);
    parts.push(len, block);
  }
  return concat(parts);
}

function xerialSnappyDecompress(data: Uint8Array): Uint8Array {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const parts: Uint8Array[] = [];
  let pos = XERIAL_HEADER_BYTES;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new Error('truncated xerial block length');
    const len = v.getInt32(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) throw new Error('xerial block runs past the end');
    parts.push(snappy.uncompress(data.subarray(pos, pos + len)));
    pos += len;
  }
  return concat(parts);
}

export const snappyCodec: CompressionCodec = {
  compress: xerialSnappyCompress,
  decompress: (data) => guard('snappy', () => (isXerialFramed(data) ? xerialSnappyDecompress(data) : snappy.uncompress(data))),
};

const LZ4_FRAME_MAGIC = 0x184d2204;

/**
 * lz4js decodes a truncated frame without complaint, so check the frame's shape first: the magic
 * number, and the EndMark (a zero block size) before the optional 4-byte content checksum.
 */
function checkLz4Frame(data: Uint8Array): void {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 11 || v.getUint32(0, true) !== LZ4_FRAME_MAGIC) throw new Error('not an LZ4 frame');
  const contentChecksum = (data[4]! & 0x04) !== 0;
  const endMark = data.length - (contentChecksum ? 8 : 4);
  if (v.getUint32(endMark, true) !== 0) throw new Error('LZ4 frame has no end mark (truncated)');
}

export const lz4Codec: CompressionCodec = {
  compress: (data) => lz4.compress(data),
  decompress: (data) =>
    guard('lz4', () => {
      checkLz4Frame(data);
      return lz4.decompress(data);
    }),
};

const ZSTD_MAGIC = 0xfd2fb528;

/** Byte length of the zstd frame at `pos` (RFC 8878 §3.1.1), walking block headers; throws if cut short. */
function zstdFrameLength(data: Uint8Array, pos: number): number {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (pos + 5 > data.length || v.getUint32(pos, true) !== ZSTD_MAGIC) throw new Error('not a zstd frame');
  const fhd = data[pos + 4]!;
  const singleSegment = (fhd & 0x20) !== 0;
  const fcsSize = [singleSegment ? 1 : 0, 2, 4, 8][fhd >> 6]!;
  const dictIdSize = [0, 1, 2, 4][fhd & 0x03]!;
  let p = pos + 5 + (singleSegment ? 0 : 1) + dictIdSize + fcsSize;
  for (;;) {
    if (p + 3 > data.length) throw new Error('zstd frame is truncated');
    const header = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
    const blockType = (header >> 1) & 0x03;
    if (blockType === 3) throw new Error('reserved zstd block type');
    p += 3 + (blockType === 1 ? 1 : header >>> 3);
    if (header & 1) break;
  }
  p += fhd & 0x04 ? 4 : 0;
  if (p > data.length) throw new Error('zstd frame is truncated');
  return p - pos;
}

function checkZstdFrames(data: Uint8Array): void {
  let pos = 0;
  while (pos < data.length) pos += zstdFrameLength(data, pos);
}

let zstdPromise: Promise<CompressionCodec> | undefined;

/** Starts the zstd WebAssembly module once and wraps it as a codec. */
export function loadZstdCodec(): Promise<CompressionCodec> {
  zstdPromise ??= new Promise((resolve) => {
    ZstdCodec.run((zstd) => {
      const streaming = new zstd.Streaming();
      resolve({
        compress: (data) => guard('zstd', () => streaming.compress(data, 3)),
        decompress: (data) =>
          guard('zstd', () => {
            checkZstdFrames(data);
            return streaming.decompress(data);
          }),
      });
    });
  });
  return zstdPromise;
}

/** All four codecs, for `new Log({ codecs })` in a Node process. */
export async function loadNodeCodecs(): Promise<CompressionCodecs> {
  return { gzip: gzipCodec, snappy: snappyCodec, lz4: lz4Codec, zstd: await loadZstdCodec() };
}

/** The codecs that need no start-up (all but zstd), for synchronous callers. */
export const syncNodeCodecs: CompressionCodecs = { gzip: gzipCodec, snappy: snappyCodec, lz4: lz4Codec };
