/**
 * The little a store needs from a SQL database, so one implementation of the store runs
 * on SQLite and PostgreSQL alike. SQL is written with `?` placeholders; the PostgreSQL
 * driver rewrites them to `$1, $2, ...`.
 */
export type SqlValue = string | number | null;

export interface Db {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Run `work` in one transaction; rolled back if it throws. */
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
