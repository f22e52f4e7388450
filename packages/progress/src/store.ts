/**
 * Learner progress and accounts behind one small repository interface. Learners start
 * anonymous (a session id); creating an account links the session and keeps its progress.
 * Two implementations: SQLite (default, zero set-up) and PostgreSQL (DATABASE_URL), held
 * to the same behaviour by one contract test suite.
 */
export type Role = 'learner' | 'instructor';

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly createdMs: number;
}

export interface CheckResult {
  readonly learnerId: string;
  readonly exerciseId: string;
  readonly taskId: string;
  readonly passed: boolean;
  readonly message: string;
  readonly atMs: number;
}

export interface TaskProgress {
  readonly exerciseId: string;
  readonly taskId: string;
  readonly attempts: number;
  readonly passedAtMs: number | null;
  readonly lastMessage: string;
  /** When the task was last checked, and whether that latest check passed. */
  readonly lastCheckedMs: number;
  readonly lastPassed: boolean;
}

export interface ModuleRead {
  readonly moduleSlug: string;
  readonly firstReadMs: number;
  readonly lastReadMs: number;
  readonly reads: number;
}

export interface QuizScore {
  readonly moduleSlug: string;
  readonly bestScore: number;
  readonly lastScore: number;
  readonly total: number;
  readonly attempts: number;
  readonly lastMs: number;
}

export interface CohortMemberProgress {
  readonly account: Account;
  readonly tasks: readonly TaskProgress[];
  readonly modulesCompleted: readonly string[];
  readonly reads: readonly ModuleRead[];
  readonly quizzes: readonly QuizScore[];
}

export interface Cohort {
  readonly id: string;
  readonly name: string;
  readonly joinCode: string;
  readonly createdMs: number;
  readonly members: number;
}

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: 'EMAIL_TAKEN' | 'INVALID_INPUT' | 'NOT_FOUND' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

export interface ProgressStore {
  /** Create tables if needed; safe to call on every start. */
  migrate(): Promise<void>;
  /** The learner for a session id, created on first sight. Returns the learner id. */
  ensureLearner(sessionId: string, nowMs: number): Promise<string>;
  recordCheck(result: CheckResult): Promise<void>;
  progress(learnerId: string): Promise<TaskProgress[]>;
  completeModule(learnerId: string, moduleSlug: string, nowMs: number): Promise<void>;
  modulesCompleted(learnerId: string): Promise<string[]>;
  createAccount(input: { email: string; displayName: string; passwordHash: string; role: Role; nowMs: number }): Promise<Account>;
  accountByEmail(email: string): Promise<(Account & { passwordHash: string }) | null>;
  /** Attach a session's learner to an account; the account keeps the union of both progresses. */
  linkLearner(learnerId: string, accountId: string): Promise<void>;
  accountForLearner(learnerId: string): Promise<Account | null>;
  createCohort(instructorId: string, name: string, joinCode: string, nowMs: number): Promise<{ id: string; joinCode: string }>;
  joinCohort(accountId: string, joinCode: string): Promise<void>;
  cohortProgress(instructorId: string, cohortId: string): Promise<CohortMemberProgress[]>;
  /** The instructor's own cohorts, newest first. */
  cohortsOf(instructorId: string): Promise<Cohort[]>;
  /** A module page was opened; keeps the first and last time and a count. */
  recordModuleRead(learnerId: string, moduleSlug: string, nowMs: number): Promise<void>;
  moduleReads(learnerId: string): Promise<ModuleRead[]>;
  /** A quiz was submitted with `score` right answers out of `total`. */
  recordQuizScore(input: { learnerId: string; moduleSlug: string; score: number; total: number; atMs: number }): Promise<void>;
  quizScores(learnerId: string): Promise<QuizScore[]>;
  close(): Promise<void>;
}

export const limits = {
  emailCharsMax: 254,
  displayNameCharsMax: 80,
  messageCharsMax: 2000,
  idCharsMax: 100,
} as const;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > limits.emailCharsMax || !emailPattern.test(normalized)) {
    throw new StoreError('INVALID_INPUT', 'That does not look like an email address.');
  }
  return normalized;
}

export function checkId(value: string, what: string): string {
  if (value.length === 0 || value.length > limits.idCharsMax || !/^[A-Za-z0-9._:-]+$/.test(value)) {
    throw new StoreError('INVALID_INPUT', `${what} must be 1-${limits.idCharsMax} letters, digits, dots, dashes or colons.`);
  }
  return value;
}
