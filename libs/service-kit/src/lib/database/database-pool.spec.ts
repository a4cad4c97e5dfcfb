import { createEmptyTestDatabase, TestDatabase } from '@crm/testing';
import { Client, Pool } from 'pg';
import { createDatabasePool, endDatabasePool } from './database-pool';

describe('the database pool', () => {
  let database: TestDatabase;
  let pool: Pool | undefined;

  beforeAll(async () => {
    database = await createEmptyTestDatabase({ key: 'database-pool' });
  });
  afterAll(async () => {
    await pool?.end();
    await database.drop();
  });

  it('outlives the server ending an idle connection: the lost connection is dropped and the next query opens another', async () => {
    pool = createDatabasePool({ url: database.url, max: 1 });
    const before = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [before]);
    } finally {
      await admin.end();
    }
    // No listener of the test's own: the pool's must take the idle client's error, or the process ends here.
    for (let waited = 0; pool.totalCount > 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.totalCount).toBe(0);
    const after = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    expect(after).not.toBe(before);
  });

  it('ends at shutdown: at once when every connection is idle, after the time limit when one is never released', async () => {
    const idle = createDatabasePool({ url: database.url, max: 2 });
    await idle.query('SELECT 1');
    await endDatabasePool(idle, 60_000);
    expect(idle.ended).toBe(true);

    const stuck = createDatabasePool({ url: database.url, max: 1 });
    const held = await stuck.connect();
    try {
      const started = Date.now();
      await endDatabasePool(stuck, 300);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect([stuck.ending, stuck.ended]).toEqual([true, false]);
    } finally {
      held.release();
    }
  });
});
