/** PostgreSQL through node-postgres, for deployments with several web instances. */
import pg from 'pg';
import { toPostgresPlaceholders, type Db, type SqlValue } from './db';

// BIGINT columns hold millisecond times, well inside the safe integer range.
pg.types.setTypeParser(20, (value: string) => Number(value));

class PgClientDb implements Db {
  constructor(private readonly client: pg.PoolClient) {}
  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.client.query(toPostgresPlaceholders(sql), [...params])).rows as T[];
  }
  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.client.query(toPostgresPlaceholders(sql), [...params])).rowCount ?? 0;
  }
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return work(this);
  }
  async close(): Promise<void> {}
}

export class PostgresDb implements Db {
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 10 });
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.pool.query(toPostgresPlaceholders(sql), [...params])).rows as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.pool.query(toPostgresPlaceholders(sql), [...params])).rowCount ?? 0;
  }

  async transaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PgClientDb(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
