/** Node adapters for the engine's storage ports. */
export { FileLogStore } from './file-log-store';
export { DirectoryRemoteStorage } from './directory-remote-storage';
export { gzipCodec, snappyCodec, lz4Codec, loadZstdCodec, loadNodeCodecs, syncNodeCodecs, xerialSnappyCompress, isXerialFramed } from './codecs';
