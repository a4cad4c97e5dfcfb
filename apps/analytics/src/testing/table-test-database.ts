import { sql } from 'kysely';
import { createDatabasePool, TransactionalKysely } from '@crm/service-kit';
import { createTestDatabase, TestDatabase } from '@crm/testing';
import type { Pool } from 'pg';
import type { DB } from '../generated/kysely/database';

/**
 * A migrated analytics database of the test's own and the typed query builder on it, outside any
 * transaction (statements run on the pool): what a table module's shape test needs.
 */
export class TableTestDatabase {
  private constructor(
    private readonly database: TestDatabase,
    private readonly pool: Pool,
    readonly db: TransactionalKysely<DB>,
  ) {}

  static async create(): Promise<TableTestDatabase> {
    const database = await createTestDatabase('analytics');
    const pool = createDatabasePool({ url: database.url, max: 2 });
    return new TableTestDatabase(database, pool, new TransactionalKysely<DB>(pool, { isTransactionActive: () => false, tx: undefined }));
  }

  /** The table's columns as the migrations made them, sorted. */
  async columnsOf(table: keyof DB): Promise<string[]> {
    const result = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table} ORDER BY column_name`.execute(this.db);
    return result.rows.map((r) => r.column_name);
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.database.drop();
  }
}
