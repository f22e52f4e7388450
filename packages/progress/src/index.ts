import path from 'node:path';
import { PostgresDb } from './postgres';
import { SqlProgressStore } from './sql-store';
import { SqliteDb } from './sqlite';
import type { ProgressStore } from './store';

export * from './store';
export { hashPassword, verifyPassword, passwordCharsMin, passwordCharsMax } from './passwords';
export { SqlProgressStore } from './sql-store';
export { SqliteDb } from './sqlite';
export { PostgresDb } from './postgres';

/** PostgreSQL when DATABASE_URL is set, else a SQLite file under `dataDir`. */
export async function openProgressStore(options: { databaseUrl?: string; dataDir: string }): Promise<ProgressStore> {
  const db = options.databaseUrl ? new PostgresDb(options.databaseUrl) : new SqliteDb(path.join(options.dataDir, 'progress.sqlite'));
  const store = new SqlProgressStore(db);
  await store.migrate();
  return store;
}
export { cohortCsv, csvCell, cohortCsvHeader } from './csv';
