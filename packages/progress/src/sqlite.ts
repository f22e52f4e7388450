/** SQLite through better-sqlite3: the default store, one file under .data/. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db, SqlValue } from './db';

export class SqliteDb implements Db {
  private readonly db: Database.Database;
  /** Serialises transactions: one connection cannot nest them. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL would let the last commits vanish on a power loss; FULL syncs the
    // WAL on every commit, so a write the store has acknowledged is on disk. Some SQLite
    // builds default to NORMAL for WAL, so the mode is set here rather than assumed.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.db.prepare(sql).all(...params) as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.db.prepare(sql).run(...params).changes;
  }

  transaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A PRAGMA's first value (integrity_check, synchronous, journal_mode), for checks and tests. */
  pragma(name: string): unknown {
    return this.db.pragma(name, { simple: true });
  }

  async close(): Promise<void> {
    // Waits for the queued transaction, so a close during a write does not cut it off.
    await this.queue;
    this.db.close();
  }
}
