/**
 * The LogStore port on a real log directory (node:fs), in Kafka's layout:
 *   <root>/recovery-point-offset-checkpoint, <root>/<topic>-<partition>/00000000000000000000.log, ...
 *
 * Appends go through the OS page cache and `flush` is fsync, exactly as in Kafka. The process
 * cannot make the kernel forget dirty pages, so `crash()` simulates power loss by truncating
 * every file back to the size it had at its last fsync (tracked here). Files found on disk at
 * start-up count as flushed.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { storageError, type LogStore } from '@kil/engine';

export class FileLogStore implements LogStore {
  private readonly fds = new Map<string, number>();
  private readonly flushed = new Map<string, number>();

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  private path(dir: string, name: string): string {
    return dir === '' ? join(this.root, name) : join(this.root, dir, name);
  }

  private fd(path: string, create: boolean): number {
    let fd = this.fds.get(path);
    if (fd === undefined) {
      if (!create && !existsSync(path)) throw storageError(`File ${path} does not exist.`);
      fd = openSync(path, 'a+');
      this.fds.set(path, fd);
      if (!this.flushed.has(path)) this.flushed.set(path, create ? 0 : statSync(path).size);
    }
    return fd;
  }

  private closeFd(path: string): void {
    const fd = this.fds.get(path);
    if (fd !== undefined) closeSync(fd);
    this.fds.delete(path);
  }

  /** Bytes of the file known to be on stable storage (everything, for files found at start-up). */
  private flushedSize(path: string): number {
    return this.flushed.get(path) ?? statSync(path).size;
  }

  list(dir: string): string[] {
    const path = dir === '' ? this.root : join(this.root, dir);
    if (!existsSync(path)) return [];
    return readdirSync(path, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();
  }

  exists(dir: string, name: string): boolean {
    return existsSync(this.path(dir, name));
  }

  size(dir: string, name: string): number {
    const path = this.path(dir, name);
    if (!existsSync(path)) throw storageError(`File ${path} does not exist.`);
    return statSync(path).size;
  }

  read(dir: string, name: string, position: number, length: number): Uint8Array {
    const path = this.path(dir, name);
    const fd = this.fd(path, false);
    const want = Math.max(0, Math.min(length, statSync(path).size - position));
    const out = new Uint8Array(want);
    let done = 0;
    while (done < want) {
      const n = readSync(fd, out, done, want - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done === want ? out : out.subarray(0, done);
  }

  append(dir: string, name: string, bytes: Uint8Array): void {
    if (dir !== '') mkdirSync(join(this.root, dir), { recursive: true });
    const path = this.path(dir, name);
    const fd = this.fd(path, !existsSync(path));
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  }

  truncate(dir: string, name: string, size: number): void {
    const path = this.path(dir, name);
    ftruncateSync(this.fd(path, false), size);
    this.flushed.set(path, Math.min(this.flushedSize(path), size));
  }

  writeAtomic(dir: string, name: string, bytes: Uint8Array): void {
    if (dir !== '') mkdirSync(join(this.root, dir), { recursive: true });
    const path = this.path(dir, name);
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.closeFd(path);
    renameSync(tmp, path);
    this.flushed.set(path, bytes.length);
  }

  rename(dir: string, from: string, to: string): void {
    const a = this.path(dir, from);
    const b = this.path(dir, to);
    if (!existsSync(a)) throw storageError(`Cannot rename missing file ${a}.`);
    const flushed = this.flushedSize(a);
    this.closeFd(a);
    this.closeFd(b);
    renameSync(a, b);
    this.flushed.delete(a);
    this.flushed.set(b, flushed);
  }

  delete(dir: string, name: string): void {
    const path = this.path(dir, name);
    this.closeFd(path);
    this.flushed.delete(path);
    if (existsSync(path)) unlinkSync(path);
  }

  flush(dir: string, name: string): void {
    const path = this.path(dir, name);
    fsyncSync(this.fd(path, false));
    this.flushed.set(path, statSync(path).size);
  }

  unflushedBytes(dir: string, name: string): number {
    const path = this.path(dir, name);
    return this.size(dir, name) - this.flushedSize(path);
  }

  crash(dir?: string): void {
    const dirs = dir !== undefined ? [dir] : ['', ...readdirSync(this.root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)];
    for (const d of dirs) {
      for (const name of this.list(d)) {
        const path = this.path(d, name);
        const keep = this.flushedSize(path);
        if (statSync(path).size > keep) ftruncateSync(this.fd(path, false), keep);
      }
    }
  }

  /** Closes every open file descriptor. */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
