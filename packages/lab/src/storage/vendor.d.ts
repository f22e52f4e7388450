// Type declarations for the untyped codec packages used by the storage adapters.
declare module 'snappyjs' {
  export function compress(data: Uint8Array): Uint8Array;
  export function uncompress(data: Uint8Array, maxLength?: number): Uint8Array;
}

declare module 'lz4js' {
  export function compress(data: Uint8Array, maxSize?: number): Uint8Array;
  export function decompress(data: Uint8Array, maxSize?: number): Uint8Array;
}

declare module 'zstd-codec' {
  interface ZstdStreaming {
    compress(data: Uint8Array, level?: number): Uint8Array | null;
    decompress(data: Uint8Array, sizeHint?: number): Uint8Array | null;
  }
  interface ZstdApi {
    Streaming: new () => ZstdStreaming;
  }
  export const ZstdCodec: { run(callback: (zstd: ZstdApi) => void): void };
}
