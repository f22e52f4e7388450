/** The progress store over any `Db`: the same SQL on SQLite and PostgreSQL. */
import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import { migrations, schemaStatements, schemaVersion } from './schema';
import {
  checkId,
  limits,
  normalizeEmail,
  StoreError,
  type Account,
  type CheckResult,
  type Cohort,
  type ModuleRead,
  type QuizScore,
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
  last_checked_ms: number;
  last_passed: number;
}

const taskColumns = 'exercise_id, task_id, attempts, passed_at_ms, last_message, last_checked_ms, last_passed';

/** Every learner row of the same person: the session itself and all sessions of its account. */
const sameLearners = `SELECT id FROM learners WHERE id = ? OR (account_id IS NOT NULL AND account_id = (SELECT account_id FROM learners WHERE id = ?))`;

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
  lastCheckedMs: Number(row.last_checked_ms),
  lastPassed: Number(row.last_passed) === 1,
});

export class SqlProgressStore implements ProgressStore {
  constructor(private readonly db: Db) {}

  async migrate(): Promise<void> {
    await this.db.transaction(async (db) => {
      for (const statement of schemaStatements) await db.run(statement);
      const rows = await db.all<{ version: number }>('SELECT version FROM schema_version');
      let version = rows[0] ? Number(rows[0].version) : 1;
      if (rows.length === 0) await db.run('INSERT INTO schema_version (version) VALUES (?)', [version]);
      for (; version < schemaVersion; version++) {
        for (const statement of migrations[version] ?? []) await db.run(statement);
      }
      await db.run('UPDATE schema_version SET version = ?', [version]);
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
      `INSERT INTO task_progress (learner_id, exercise_id, task_id, attempts, passed_at_ms, last_message, last_checked_ms, last_passed)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?)
       ON CONFLICT (learner_id, exercise_id, task_id) DO UPDATE SET
         attempts = task_progress.attempts + 1,
         passed_at_ms = COALESCE(task_progress.passed_at_ms, excluded.passed_at_ms),
         last_message = excluded.last_message,
         last_checked_ms = excluded.last_checked_ms,
         last_passed = excluded.last_passed`,
      [result.learnerId, result.exerciseId, result.taskId, result.passed ? result.atMs : null, message, result.atMs, result.passed ? 1 : 0],
    );
  }

  async progress(learnerId: string): Promise<TaskProgress[]> {
    const rows = await this.db.all<TaskRow>(
      `SELECT ${taskColumns} FROM task_progress WHERE learner_id IN (${sameLearners}) ORDER BY exercise_id, task_id`,
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
        `SELECT ${taskColumns} FROM task_progress WHERE learner_id IN (SELECT id FROM learners WHERE account_id = ?) ORDER BY exercise_id, task_id`,
        [member.id],
      );
      const modules = await this.db.all<{ module_slug: string }>(
        'SELECT DISTINCT module_slug FROM module_progress WHERE learner_id IN (SELECT id FROM learners WHERE account_id = ?) ORDER BY module_slug',
        [member.id],
      );
      const anyLearner = await this.db.all<{ id: string }>('SELECT id FROM learners WHERE account_id = ? LIMIT 1', [member.id]);
      const learner = anyLearner[0]?.id;
      result.push({
        account: toAccount(member),
        tasks: mergeTasks(tasks.map(toTask)),
        modulesCompleted: modules.map((m) => m.module_slug),
        reads: learner ? await this.moduleReads(learner) : [],
        quizzes: learner ? await this.quizScores(learner) : [],
      });
    }
    return result;
  }

  async cohortsOf(instructorId: string): Promise<Cohort[]> {
    const rows = await this.db.all<{ id: string; name: string; join_code: string; created_ms: number; members: number }>(
      `SELECT c.id, c.name, c.join_code, c.created_ms, (SELECT COUNT(*) FROM cohort_members m WHERE m.cohort_id = c.id) AS members
       FROM cohorts c WHERE c.instructor_id = ? ORDER BY c.created_ms DESC, c.name`,
      [instructorId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, joinCode: r.join_code, createdMs: Number(r.created_ms), members: Number(r.members) }));
  }

  async recordModuleRead(learnerId: string, moduleSlug: string, nowMs: number): Promise<void> {
    checkId(moduleSlug, 'module slug');
    await this.db.run(
      `INSERT INTO module_reads (learner_id, module_slug, first_read_ms, last_read_ms, reads) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (learner_id, module_slug) DO UPDATE SET last_read_ms = excluded.last_read_ms, reads = module_reads.reads + 1`,
      [learnerId, moduleSlug, nowMs, nowMs],
    );
  }

  async moduleReads(learnerId: string): Promise<ModuleRead[]> {
    const rows = await this.db.all<{ module_slug: string; first_read_ms: number; last_read_ms: number; reads: number }>(
      `SELECT module_slug, MIN(first_read_ms) AS first_read_ms, MAX(last_read_ms) AS last_read_ms, SUM(reads) AS reads
       FROM module_reads WHERE learner_id IN (${sameLearners}) GROUP BY module_slug ORDER BY module_slug`,
      [learnerId, learnerId],
    );
    return rows.map((r) => ({ moduleSlug: r.module_slug, firstReadMs: Number(r.first_read_ms), lastReadMs: Number(r.last_read_ms), reads: Number(r.reads) }));
  }

  async recordQuizScore(input: { learnerId: string; moduleSlug: string; score: number; total: number; atMs: number }): Promise<void> {
    checkId(input.moduleSlug, 'module slug');
    if (!Number.isInteger(input.total) || input.total < 1 || input.total > 100 || !Number.isInteger(input.score) || input.score < 0 || input.score > input.total) {
      throw new StoreError('INVALID_INPUT', 'A quiz score must be a whole number between 0 and the number of questions.');
    }
    await this.db.run(
      `INSERT INTO quiz_scores (learner_id, module_slug, best_score, last_score, total, attempts, last_ms) VALUES (?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (learner_id, module_slug) DO UPDATE SET
         best_score = CASE WHEN excluded.best_score > quiz_scores.best_score THEN excluded.best_score ELSE quiz_scores.best_score END,
         last_score = excluded.last_score, total = excluded.total, attempts = quiz_scores.attempts + 1, last_ms = excluded.last_ms`,
      [input.learnerId, input.moduleSlug, input.score, input.score, input.total, input.atMs],
    );
  }

  async quizScores(learnerId: string): Promise<QuizScore[]> {
    const rows = await this.db.all<{ module_slug: string; best_score: number; last_score: number; total: number; attempts: number; last_ms: number }>(
      `SELECT module_slug, best_score, last_score, total, attempts, last_ms FROM quiz_scores
       WHERE learner_id IN (${sameLearners}) ORDER BY module_slug, last_ms`,
      [learnerId, learnerId],
    );
    // Several sessions of one account: the best score counts, the latest attempt is "last".
    const merged = new Map<string, QuizScore>();
    for (const r of rows) {
      const row: QuizScore = { moduleSlug: r.module_slug, bestScore: Number(r.best_score), lastScore: Number(r.last_score), total: Number(r.total), attempts: Number(r.attempts), lastMs: Number(r.last_ms) };
      const old = merged.get(row.moduleSlug);
      merged.set(row.moduleSlug, old ? { ...row, bestScore: Math.max(old.bestScore, row.bestScore), attempts: old.attempts + row.attempts } : row);
    }
    return [...merged.values()];
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
      ...(task.lastCheckedMs >= old.lastCheckedMs
        ? { lastMessage: task.lastMessage, lastCheckedMs: task.lastCheckedMs, lastPassed: task.lastPassed }
        : {}),
    });
  }
  return [...merged.values()];
}
