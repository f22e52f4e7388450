/**
 * Durability of progress: a writer process is killed with SIGKILL in the middle of a burst
 * of writes; the database must then be intact and hold every write the writer had
 * acknowledged (printed `ack n` for, after the store's promise resolved). SQLite runs in
 * WAL mode with synchronous=FULL; PostgreSQL is also crashed and restarted, so it has to
 * recover from its own WAL.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPgServer, type PgServer } from './pg-server';
import { PostgresDb } from './postgres';
import { SqliteDb } from './sqlite';
import type { Db } from './db';

const writer = path.join(import.meta.dirname, 'durability-writer.ts');
/** Acks to see before the kill: enough that the burst is well under way. */
const acksBeforeKill = 300;

/** Run the writer against `target`, SIGKILL it once `acksBeforeKill` writes are acknowledged; returns the acked record numbers. */
function writeAndKill(target: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, target], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let pending = '';
    let stderr = '';
    let killed = false;
    const bound = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (match) acked.push(Number(match[1]));
      }
      if (!killed && acked.length >= acksBeforeKill) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(bound);
      if (signal === 'SIGKILL' && killed) resolve(acked);
      else reject(new Error(`writer ended before the kill (code ${code}, signal ${signal}, ${acked.length} acks): ${stderr}`));
    });
  });
}

async function durableTasks(db: Db): Promise<Set<number>> {
  const rows = await db.all<{ task_id: string; learner_id: string; message: string }>(
    "SELECT task_id, learner_id, last_message AS message FROM task_progress WHERE exercise_id = 'durability'",
  );
  const found = new Set<number>();
  for (const row of rows) {
    const n = Number(row.task_id.slice('task-'.length));
    // A row that is there must be whole: its learner and message belong to the same record.
    expect(row.learner_id).toBe(`durable-${n}`);
    expect(row.message).toBe(`record ${n}`);
    found.add(n);
  }
  return found;
}

function expectEveryAck(acked: readonly number[], found: ReadonlySet<number>): void {
  expect(acked.length).toBeGreaterThanOrEqual(acksBeforeKill);
  expect(acked.filter((n) => !found.has(n))).toEqual([]);
  // At most the one write in flight at the kill may have committed without its ack.
  expect(found.size - acked.length).toBeLessThanOrEqual(1);
}

describe('progress survives SIGKILL of the writing process', () => {
  it('SQLite (WAL, synchronous=FULL) is intact and keeps every acknowledged write', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kil-durable-'));
    const acked = await writeAndKill(dataDir);
    const file = path.join(dataDir, 'progress.sqlite');
    // The writer never closed the database, so recent commits live in the WAL, not yet checkpointed.
    expect(existsSync(`${file}-wal`) && statSync(`${file}-wal`).size).toBeGreaterThan(0);
    const db = new SqliteDb(file);
    try {
      expect(db.pragma('integrity_check')).toBe('ok');
      expect(db.pragma('journal_mode')).toBe('wal');
      expect(db.pragma('synchronous')).toBe(2);
      expectEveryAck(acked, await durableTasks(db));
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  let pg: PgServer | undefined;
  afterAll(() => pg?.stop());

  it('PostgreSQL is intact after the writer and the server crash, and keeps every acknowledged write', async () => {
    pg = startPgServer();
    const acked = await writeAndKill(pg.url);
    pg.crashAndRestart();
    const db = new PostgresDb(pg.url);
    try {
      await db.run('CREATE EXTENSION IF NOT EXISTS amcheck');
      // Every B-tree index agrees with its table (heapallindexed), and no table page is corrupt.
      const indexes = await db.all<{ name: string }>(
        "SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
      );
      expect(indexes.length).toBeGreaterThan(0);
      for (const { name } of indexes) await db.all('SELECT bt_index_check(?::regclass, true)', [name]);
      for (const table of ['learners', 'task_progress']) {
        expect(await db.all(`SELECT * FROM verify_heapam('${table}')`)).toEqual([]);
      }
      expectEveryAck(acked, await durableTasks(db));
    } finally {
      await db.close();
    }
  }, 120_000);
});
