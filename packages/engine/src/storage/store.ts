/**
 * The LogStore port: a directory of byte files, the shape Kafka's log layer has on disk.
 * A partition lives in directory `<topic>-<partition>`; broker-wide checkpoint files live in
 * the root directory "". The file-backed adapter (packages/lab) maps this onto node:fs; the
 * in-memory store below serves labs and the simulator.
 *
 * Durability model (what `crash()` throws away), matching Linux page-cache behaviour:
 *   - `append` lands in the page cache; it survives a crash only after `flush` (fsync).
 *   - `writeAtomic` is Kafka's checkpoint idiom (write temp file, fsync, rename): durable at once.
 *   - `truncate`, `rename`, `delete` are metadata operations and are treated as durable.
 * Bytes returned by `read` are an immutable snapshot: later truncation or appends never change
 * them, so fetch responses can hold on to views without copying.
 */
import { assert } from '../assert';
import { KafkaError } from '../errors';

export interface LogStore {
  /** File names directly inside `dir`, sorted. A missing directory lists as empty. */
  list(dir: string): string[];
  exists(dir: string, name: string): boolean;
  /** Current size in bytes, flushed or not. Throws KAFKA_STORAGE_ERROR for a missing file. */
  size(dir: string, name: string): number;
  /** Up to `length` bytes from `position`; shorter at the end of the file. */
  read(dir: string, name: string, position: number, length: number): Uint8Array;
  /** Appends to the file (creating it); not durable until `flush`. */
  append(dir: string, name: string, bytes: Uint8Array): void;
  /** Cuts the file to `size` bytes (durable). */
  truncate(dir: string, name: string, size: number): void;
  /** Replaces the whole file durably (temp file + fsync + rename). */
  writeAtomic(dir: string, name: string, bytes: Uint8Array): void;
  rename(dir: string, from: string, to: string): void;
  delete(dir: string, name: string): void;
  /** fsync: everything appended so far survives a crash. */
  flush(dir: string, name: string): void;
  /** Bytes of the file that a crash would lose right now. */
  unflushedBytes(dir: string, name: string): number;
  /** Fault injection: lose what is only in the page cache, for `dir` or everything. */
  crash(dir?: string): void;
}

export function storageError(what: string): KafkaError {
  return new KafkaError('KAFKA_STORAGE_ERROR', what, 'The log directory is damaged; restart the broker so that it recovers its logs.');
}

const MIN_CHUNK_BYTES = 4 * 1024;
const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * A growable file kept as a list of chunks. Growing never copies what is already stored, and
 * a truncation replaces the chunk it cuts so that views handed out earlier stay unchanged.
 */
class MemoryFile {
  private chunks: Uint8Array[] = [];
  private starts: number[] = [];
  size = 0;
  flushedSize = 0;

  append(bytes: Uint8Array): void {
    let src = 0;
    while (src < bytes.length) {
      const last = this.chunks.length - 1;
      let chunk = this.chunks[last];
      let used = chunk ? this.size - this.starts[last]! : 0;
      if (!chunk || used === chunk.length) {
        const previous = chunk ? chunk.length * 2 : 0;
        const capacity = Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, previous, bytes.length - src));
        chunk = new Uint8Array(capacity);
        this.chunks.push(chunk);
        this.starts.push(this.size);
        used = 0;
      }
      const n = Math.min(chunk.length - used, bytes.length - src);
      chunk.set(src === 0 && n === bytes.length ? bytes : bytes.subarray(src, src + n), used);
      src += n;
      this.size += n;
    }
  }

  private chunkIndexAt(position: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  read(position: number, length: number): Uint8Array {
    const end = Math.min(this.size, position + Math.max(0, length));
    if (position >= end) return new Uint8Array(0);
    let i = this.chunkIndexAt(position);
    const first = this.chunks[i]!;
    const firstStart = this.starts[i]!;
    if (end <= firstStart + first.length) return first.subarray(position - firstStart, end - firstStart);
    const out = new Uint8Array(end - position);
    let pos = position;
    while (pos < end) {
      const chunk = this.chunks[i]!;
      const start = this.starts[i]!;
      const take = Math.min(end, start + chunk.length) - pos;
      out.set(chunk.subarray(pos - start, pos - start + take), pos - position);
      pos += take;
      i++;
    }
    return out;
  }

  truncate(size: number): void {
    if (size >= this.size) return;
    if (size === 0) {
      this.chunks = [];
      this.starts = [];
    } else {
      const i = this.chunkIndexAt(size - 1);
      this.chunks.length = i + 1;
      this.starts.length = i + 1;
      const kept = this.chunks[i]!;
      const copy = new Uint8Array(kept.length);
      copy.set(kept.subarray(0, size - this.starts[i]!));
      this.chunks[i] = copy;
    }
    this.size = size;
    this.flushedSize = Math.min(this.flushedSize, size);
  }
}

export class MemoryLogStore implements LogStore {
  private readonly dirs = new Map<string, Map<string, MemoryFile>>();

  private dirMap(dir: string, create: boolean): Map<string, MemoryFile> | undefined {
    let d = this.dirs.get(dir);
    if (!d && create) {
      d = new Map();
      this.dirs.set(dir, d);
    }
    return d;
  }

  private file(dir: string, name: string): MemoryFile {
    const f = this.dirs.get(dir)?.get(name);
    if (!f) throw storageError(`File ${dir}/${name} does not exist.`);
    return f;
  }

  list(dir: string): string[] {
    return [...(this.dirs.get(dir)?.keys() ?? [])].sort();
  }
  exists(dir: string, name: string): boolean {
    return this.dirs.get(dir)?.has(name) ?? false;
  }
  size(dir: string, name: string): number {
    return this.file(dir, name).size;
  }
  read(dir: string, name: string, position: number, length: number): Uint8Array {
    assert(position >= 0, 'file positions are never negative');
    return this.file(dir, name).read(position, length);
  }
  append(dir: string, name: string, bytes: Uint8Array): void {
    const d = this.dirMap(dir, true)!;
    let f = d.get(name);
    if (!f) {
      f = new MemoryFile();
      d.set(name, f);
    }
    f.append(bytes);
  }
  truncate(dir: string, name: string, size: number): void {
    this.file(dir, name).truncate(size);
  }
  writeAtomic(dir: string, name: string, bytes: Uint8Array): void {
    const f = new MemoryFile();
    f.append(bytes.slice());
    f.flushedSize = f.size;
    this.dirMap(dir, true)!.set(name, f);
  }
  rename(dir: string, from: string, to: string): void {
    const d = this.dirMap(dir, false);
    const f = d?.get(from);
    if (!d || !f) throw storageError(`Cannot rename missing file ${dir}/${from}.`);
    d.delete(from);
    d.set(to, f);
  }
  delete(dir: string, name: string): void {
    this.dirs.get(dir)?.delete(name);
  }
  flush(dir: string, name: string): void {
    const f = this.file(dir, name);
    f.flushedSize = f.size;
  }
  unflushedBytes(dir: string, name: string): number {
    const f = this.file(dir, name);
    return f.size - f.flushedSize;
  }
  crash(dir?: string): void {
    for (const [d, files] of this.dirs) {
      if (dir !== undefined && d !== dir) continue;
      for (const f of files.values()) f.truncate(f.flushedSize);
    }
  }
}
