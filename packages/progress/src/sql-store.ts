/** The progress store over any `Db`: the same SQL on SQLite and PostgreSQL. */
import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import { schemaStatements, schemaVersion } from './schema';
import {
  checkId,
  limits,
  normalizeEmail,
  StoreError,
  type Account,
  type CheckResult,
  type CohortMemberProgress,
  type ProgressStore,
  type Role,
  type TaskProgress,
} from './store';

interface AccountRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  created_ms: number;
  password_hash: string;
}

interface TaskRow {
  exercise_id: string;
  task_id: string;
  attempts: number;
  passed_at_ms: number | null;
  last_message: string;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  createdMs: Number(row.created_ms),
});

const toTask = (row: TaskRow): TaskProgress => ({
  exerciseId: row.exercise_id,
  taskId: row.task_id,
  attempts: Number(row.attempts),
  passedAtMs: row.passed_at_ms === null ? null : Number(row.passed_at_ms),
  lastMessage: row.last_message,
});

export class SqlProgressStore implements ProgressStore {
  constructor(private readonly db: Db) {}

  async migrate(): Promise<void> {
    await this.db.transaction(async (db) => {
      for (const statement of schemaStatements) await db.run(statement);
      const rows = await db.all<{ version: number }>('SELECT version FROM schema_version');
      if (rows.length === 0) await db.run('INSERT INTO schema_version (version) VALUES (?)', [schemaVersion]);
    });
  }

  async ensureLearner(sessionId: string, nowMs: number): Promise<string> {
    checkId(sessionId, 'session id');
    await this.db.run('INSERT INTO learners (id, account_id, created_ms) VALUES (?, NULL, ?) ON CONFLICT (id) DO NOTHING', [sessionId, nowMs]);
    return sessionId;
  }

  async recordCheck(result: CheckResult): Promise<void> {
    checkId(result.exerciseId, 'exercise id');
    checkId(result.taskId, 'task id');
    const message = result.message.slice(0, limits.messageCharsMax);
    await this.db.run(
      `INSERT INTO task_progress (learner_id, exercise_id, task_id, attempts, passed_at_ms, last_message)
       VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT (learner_id, exercise_id, task_id) DO UPDATE SET
         attempts = task_progress.attempts + 1,
         passed_at_ms = COALESCE(task_progress.passed_at_ms, excluded.passed_at_ms),
         last_message = excluded.last_message`,
      [result.learnerId, result.exerciseId, result.taskId, result.passed ? result.atMs : null, message],
    );
  }

  async progress(learnerId: string): Promise<TaskProgress[]> {
    const rows = await this.db.all<TaskRow>(
      `SELECT exercise_id, task_id, attempts, passed_at_ms, last_message FROM task_progress
       WHERE learner_id IN (SELECT id FROM learners WHERE id = ? OR (account_id IS NOT NULL AND account_id = (SELECT account_id FROM learners WHERE id = ?)))
       ORDER BY exercise_id, task_id`,
      [learnerId, learnerId],
    );
    return mergeTasks(rows.map(toTask));
  }

  async completeModule(learnerId: string, moduleSlug: string, nowMs: number): Promise<void> {
    checkId(moduleSlug, 'module slug');
    await this.db.run(
      'INSERT INTO module_progress (learner_id, module_slug, completed_ms) VALUES (?, ?, ?) ON CONFLICT (learner_id, module_slug) DO NOTHING',
      [learnerId, moduleSlug, nowMs],
    );
  }

  async modulesCompleted(learnerId: string): Promise<string[]> {
    const rows = await this.db.all<{ module_slug: string }>(
      `SELECT DISTINCT module_slug FROM module_progress
       WHERE learner_id IN (SELECT id FROM learners WHERE id = ? OR (account_id IS NOT NULL AND account_id = (SELECT account_id FROM learners WHERE id = ?)))
       ORDER BY module_slug`,
      [learnerId, learnerId],
    );
    return rows.map((r) => r.module_slug);
  }

  async createAccount(input: { email: string; displayName: string; passwordHash: string; role: Role; nowMs: number }): Promise<Account> {
    const email = normalizeEmail(input.email);
    const displayName = input.displayName.trim().slice(0, limits.displayNameCharsMax);
    if (!displayName) throw new StoreError('INVALID_INPUT', 'Please give a display name.');
    const id = randomUUID();
    const inserted = await this.db.run(
      'INSERT INTO accounts (id, email, display_name, password_hash, role, created_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING',
      [id, email, displayName, input.passwordHash, input.role, input.nowMs],
    );
    if (inserted === 0) throw new StoreError('EMAIL_TAKEN', 'An account with that email already exists; log in instead.');
    return { id, email, displayName, role: input.role, createdMs: input.nowMs };
  }

  async accountByEmail(email: string): Promise<(Account & { passwordHash: string }) | null> {
    const rows = await this.db.all<AccountRow>('SELECT * FROM accounts WHERE email = ?', [email.trim().toLowerCase()]);
    const row = rows[0];
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async linkLearner(learnerId: string, accountId: string): Promise<void> {
    const changed = await this.db.run('UPDATE learners SET account_id = ? WHERE id = ?', [accountId, learnerId]);
    if (changed === 0) throw new StoreError('NOT_FOUND', 'No learner with that session.');
  }

  async accountForLearner(learnerId: string): Promise<Account | null> {
    const rows = await this.db.all<AccountRow>('SELECT a.* FROM accounts a JOIN learners l ON l.account_id = a.id WHERE l.id = ?', [learnerId]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async createCohort(instructorId: string, name: string, joinCode: string, nowMs: number): Promise<{ id: string; joinCode: string }> {
    const instructor = await this.db.all<{ role: Role }>('SELECT role FROM accounts WHERE id = ?', [instructorId]);
    if (instructor[0]?.role !== 'instructor') throw new StoreError('FORBIDDEN', 'Only instructors can create cohorts.');
    const id = randomUUID();
    await this.db.run('INSERT INTO cohorts (id, name, instructor_id, join_code, created_ms) VALUES (?, ?, ?, ?, ?)', [
      id,
      name.trim().slice(0, limits.displayNameCharsMax),
      instructorId,
      joinCode,
      nowMs,
    ]);
    return { id, joinCode };
  }

  async joinCohort(accountId: string, joinCode: string): Promise<void> {
    const cohorts = await this.db.all<{ id: string }>('SELECT id FROM cohorts WHERE join_code = ?', [joinCode]);
    const cohort = cohorts[0];
    if (!cohort) throw new StoreError('NOT_FOUND', 'No cohort has that join code; check it with your instructor.');
    await this.db.run('INSERT INTO cohort_members (cohort_id, account_id) VALUES (?, ?) ON CONFLICT (cohort_id, account_id) DO NOTHING', [
      cohort.id,
      accountId,
    ]);
  }

  async cohortProgress(instructorId: string, cohortId: string): Promise<CohortMemberProgress[]> {
    const owned = await this.db.all<{ id: string }>('SELECT id FROM cohorts WHERE id = ? AND instructor_id = ?', [cohortId, instructorId]);
    if (owned.length === 0) throw new StoreError('FORBIDDEN', 'That cohort is not yours.');
    const members = await this.db.all<AccountRow>(
      'SELECT a.* FROM accounts a JOIN cohort_members m ON m.account_id = a.id WHERE m.cohort_id = ? ORDER BY a.display_name',
      [cohortId],
    );
    const result: CohortMemberProgress[] = [];
    for (const member of members) {
      const tasks = await this.db.all<TaskRow>(
        `SELECT exercise_id, task_id, attempts, passed_at_ms, last_message FROM task_progress
         WHERE learner_id IN (SELECT id FROM learners WHERE account_id = ?) ORDER BY exercise_id, task_id`,
        [member.id],
      );
      const modules = await this.db.all<{ module_slug: string }>(
        'SELECT DISTINCT module_slug FROM module_progress WHERE learner_id IN (SELECT id FROM learners WHERE account_id = ?) ORDER BY module_slug',
        [member.id],
      );
      result.push({ account: toAccount(member), tasks: mergeTasks(tasks.map(toTask)), modulesCompleted: modules.map((m) => m.module_slug) });
    }
    return result;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Progress from several sessions of one account: attempts add up, the first pass counts. */
function mergeTasks(tasks: readonly TaskProgress[]): TaskProgress[] {
  const merged = new Map<string, TaskProgress>();
  for (const task of tasks) {
    const key = `${task.exerciseId}\u0000${task.taskId}`;
    const old = merged.get(key);
    if (!old) {
      merged.set(key, task);
      continue;
    }
    const passed = [old.passedAtMs, task.passedAtMs].filter((t): t is number => t !== null);
    merged.set(key, {
      ...old,
      attempts: old.attempts + task.attempts,
      passedAtMs: passed.length ? Math.min(...passed) : null,
      lastMessage: task.lastMessage,
    });
  }
  return [...merged.values()];
}
