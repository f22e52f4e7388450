import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaStatements, schemaVersion } from './schema';
import { SqlProgressStore } from './sql-store';
import { SqliteDb } from './sqlite';

describe('schema migration', () => {
  it('upgrades a version-1 database in place and keeps its progress', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kil-migrate-')), 'old.sqlite');
    const old = new SqliteDb(file);
    for (const statement of schemaStatements) await old.run(statement);
    await old.run('INSERT INTO schema_version (version) VALUES (1)');
    await old.run("INSERT INTO learners (id, account_id, created_ms) VALUES ('s1', NULL, 1)");
    await old.run("INSERT INTO task_progress (learner_id, exercise_id, task_id, attempts, passed_at_ms, last_message) VALUES ('s1', 'e', 't', 1, 5, 'ok')");
    await old.close();

    const store = new SqlProgressStore(new SqliteDb(file));
    await store.migrate();
    await store.migrate();
    expect(await store.progress('s1')).toEqual([{ exerciseId: 'e', taskId: 't', attempts: 1, passedAtMs: 5, lastMessage: 'ok', lastCheckedMs: 0, lastPassed: false }]);
    await store.recordModuleRead('s1', 'broker', 9);
    expect((await store.moduleReads('s1')).length).toBe(1);
    await store.close();
    const check = new SqliteDb(file);
    expect(await check.all('SELECT version FROM schema_version')).toEqual([{ version: schemaVersion }]);
    await check.close();
  });
});
