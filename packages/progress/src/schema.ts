/**
 * The schema, written once in the subset of SQL both SQLite and PostgreSQL accept.
 * Times are integer milliseconds since the epoch; booleans are integers 0/1.
 */
export const schemaVersion = 2;

export const schemaStatements: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('learner', 'instructor')),
    created_ms BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS learners (
    id TEXT PRIMARY KEY,
    account_id TEXT REFERENCES accounts(id),
    created_ms BIGINT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS learners_account ON learners(account_id)`,
  `CREATE TABLE IF NOT EXISTS task_progress (
    learner_id TEXT NOT NULL REFERENCES learners(id),
    exercise_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    passed_at_ms BIGINT,
    last_message TEXT NOT NULL,
    PRIMARY KEY (learner_id, exercise_id, task_id)
  )`,
  `CREATE TABLE IF NOT EXISTS module_progress (
    learner_id TEXT NOT NULL REFERENCES learners(id),
    module_slug TEXT NOT NULL,
    completed_ms BIGINT NOT NULL,
    PRIMARY KEY (learner_id, module_slug)
  )`,
  `CREATE TABLE IF NOT EXISTS cohorts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    instructor_id TEXT NOT NULL REFERENCES accounts(id),
    join_code TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS cohort_members (
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (cohort_id, account_id)
  )`,
  `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`,
];

/**
 * Steps from one version to the next; `migrations[n]` takes a version-n database to n+1.
 * Version 2: when each task was last checked and whether that check passed (for the
 * instructor's "latest check results"), module reads with timestamps, and quiz scores.
 */
export const migrations: Readonly<Record<number, readonly string[]>> = {
  1: [
    `ALTER TABLE task_progress ADD COLUMN last_checked_ms BIGINT NOT NULL DEFAULT 0`,
    `ALTER TABLE task_progress ADD COLUMN last_passed INTEGER NOT NULL DEFAULT 0`,
    `CREATE TABLE IF NOT EXISTS module_reads (
      learner_id TEXT NOT NULL REFERENCES learners(id),
      module_slug TEXT NOT NULL,
      first_read_ms BIGINT NOT NULL,
      last_read_ms BIGINT NOT NULL,
      reads INTEGER NOT NULL,
      PRIMARY KEY (learner_id, module_slug)
    )`,
    `CREATE TABLE IF NOT EXISTS quiz_scores (
      learner_id TEXT NOT NULL REFERENCES learners(id),
      module_slug TEXT NOT NULL,
      best_score INTEGER NOT NULL,
      last_score INTEGER NOT NULL,
      total INTEGER NOT NULL,
      attempts INTEGER NOT NULL,
      last_ms BIGINT NOT NULL,
      PRIMARY KEY (learner_id, module_slug)
    )`,
  ],
};
