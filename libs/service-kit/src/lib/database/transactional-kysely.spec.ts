import { createEmptyTestDatabase, TestDatabase } from '@crm/testing';
import { type Kysely, sql } from 'kysely';
import { Client, Pool } from 'pg';
import type { PrismaRawClient, TransactionSource } from './prisma-raw';
import { createDatabasePool, createPipelinedReads } from './database-pool';
import { MAX_NAMED_STATEMENT_PARAMETERS, statementName } from '@crm/messaging';
import { prepare, slot } from './prepared-query';
import { TransactionalKysely } from './transactional-kysely';

interface Note {
  id: number;
  tenant_id: string;
  body: string;
}
interface TestDb {
  note: Note;
}

/** A Prisma-like transaction client over one pg connection in BEGIN (what TransactionHost.tx is). */
function rawClientOn(client: Client): PrismaRawClient {
  return {
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as T,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await client.query(query, values)).rowCount ?? 0,
  };
}

describe('TransactionalKysely', () => {
  let database: TestDatabase;
  let pool: Pool;
  let txClient: Client;
  const transactions: TransactionSource & { active: boolean } = {
    active: false,
    isTransactionActive() {
      return this.active;
    },
    get tx() {
      return rawClientOn(txClient);
    },
  };
  let db: TransactionalKysely<TestDb>;

  beforeAll(async () => {
    database = await createEmptyTestDatabase({ key: 'kysely' });
    pool = createDatabasePool({ url: database.url, max: 1, forceGenericPlans: true });
    await pool.query('CREATE TABLE note (id int PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL)');
    txClient = new Client({ connectionString: database.url });
    await txClient.connect();
    db = new TransactionalKysely<TestDb>(pool, transactions);
  });

  afterAll(async () => {
    await txClient?.end();
    await pool?.end();
    await database?.drop();
  });

  it('runs outside a transaction on the pool, as a statement prepared once per connection', async () => {
    const insert = db.insertInto('note').values({ id: 1, tenant_id: 't1', body: 'hello' });
    expect((await insert.executeTakeFirst()).numInsertedOrUpdatedRows).toBe(1n);
    const select = db.selectFrom('note').select(['id', 'body']).where('tenant_id', '=', 't1');
    expect(await select.execute()).toEqual([{ id: 1, body: 'hello' }]);
    const prepared = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
    expect(prepared.rows.map((r) => r.name)).toContain(statementName(select.compile().sql));
    const plan = await pool.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode');
    expect(plan.rows[0].plan_cache_mode).toBe('force_generic_plan');
  });

  it('runs a statement with a list longer than MAX_NAMED_STATEMENT_PARAMETERS unnamed: one text per list length is never left prepared', async () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => i + 1_000);
    const short = db.selectFrom('note').select('id').where('id', 'in', ids(3));
    const long = db
      .selectFrom('note')
      .select('id')
      .where('id', 'in', ids(MAX_NAMED_STATEMENT_PARAMETERS + 1));
    expect(await short.execute()).toEqual([]);
    expect(await long.execute()).toEqual([]);
    const prepared = (await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).rows.map((r) => r.name);
    expect(prepared).toContain(statementName(short.compile().sql));
    expect(prepared).not.toContain(statementName(long.compile().sql));
  });

  it("inside a transaction runs on the transaction's client: its writes roll back with it", async () => {
    await txClient.query('BEGIN');
    transactions.active = true;
    try {
      await db.insertInto('note').values({ id: 2, tenant_id: 't1', body: 'in tx' }).execute();
      const updated = await db.updateTable('note').set({ body: 'changed' }).where('id', '=', 2).executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(1n);
      const seen = await db.selectFrom('note').select('body').where('id', '=', 2).executeTakeFirst();
      expect(seen).toEqual({ body: 'changed' });
      // Not yet visible to the pool's connection.
      expect((await pool.query('SELECT 1 FROM note WHERE id = 2')).rowCount).toBe(0);
    } finally {
      transactions.active = false;
      await txClient.query('ROLLBACK');
    }
    expect(await db.selectFrom('note').select('id').where('id', '=', 2).execute()).toEqual([]);
  });

  it('refuses to open a transaction of its own', async () => {
    await expect(db.transaction().execute(async () => undefined)).rejects.toThrow(/TransactionHost/);
  });

  it('given pipelined reads, runs a plain SELECT there, and on the pool a write, a locking SELECT, a SELECT whose WITH writes, raw SQL, and a plain SELECT sent through onPool', async () => {
    const reads = createPipelinedReads({ url: database.url, forceGenericPlans: true }, 1);
    const routed = new TransactionalKysely<TestDb>(pool, transactions, reads);
    try {
      const readsPid = (await reads.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid' })).rows[0].pid;
      const poolPid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const pid = sql<number>`pg_backend_pid()`.as('pid');
      await routed.insertInto('note').values({ id: 3, tenant_id: 't1', body: 'routed' }).execute();

      const plain = await routed.selectFrom('note').select(pid).where('id', '=', 3).executeTakeFirstOrThrow();
      const withRead = await routed
        .with('n', (q) => q.selectFrom('note').select('id').where('id', '=', 3))
        .selectFrom('n')
        .select(pid)
        .executeTakeFirstOrThrow();
      const locking = await routed.selectFrom('note').select(pid).where('id', '=', 3).forUpdate().executeTakeFirstOrThrow();
      const withWrite = await routed
        .with('changed', (q) => q.updateTable('note').set({ body: 'routed again' }).where('id', '=', 3).returning('id'))
        .selectFrom('changed')
        .select(pid)
        .executeTakeFirstOrThrow();
      const raw = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(routed);
      const updated = await routed.updateTable('note').set({ body: 'done' }).where('id', '=', 3).returning(pid).executeTakeFirstOrThrow();
      const plainOnPool = await routed.onPool.selectFrom('note').select(pid).where('id', '=', 3).executeTakeFirstOrThrow();

      expect([plain.pid, withRead.pid]).toEqual([readsPid, readsPid]);
      expect([locking.pid, withWrite.pid, raw.rows[0].pid, updated.pid, plainOnPool.pid]).toEqual([poolPid, poolPid, poolPid, poolPid, poolPid]);
      const prepared = await reads.query<{ name: string }>({ text: 'SELECT name FROM pg_prepared_statements' });
      expect(prepared.rows.map((r) => r.name)).toContain(statementName(routed.selectFrom('note').select(pid).where('id', '=', 3).compile().sql));
    } finally {
      await reads.end();
      await pool.query('DELETE FROM note WHERE id = 3');
    }
  });
});

describe('PreparedQuery', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: TransactionalKysely<TestDb>;

  beforeAll(async () => {
    database = await createEmptyTestDatabase({ key: 'prepared' });
    pool = createDatabasePool({ url: database.url, max: 1 });
    await pool.query(`CREATE TABLE note (id int PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL)`);
    await pool.query(`INSERT INTO note VALUES (1, 't1', 'one'), (2, 't1', 'two'), (3, 't2', 'three')`);
    db = new TransactionalKysely<TestDb>(pool, { isTransactionActive: () => false, tx: undefined });
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('builds once and runs with each call’s arguments in their slots, constants kept', async () => {
    let builds = 0;
    const notesOf = prepare<[tenantId: string, minId: number]>()((kysely: Kysely<TestDb>) => {
      builds++;
      return kysely
        .selectFrom('note')
        .select(['id', 'body'])
        .where('tenant_id', '=', slot<string>(0))
        .where('id', '>=', slot<number>(1))
        .where('body', '<>', 'never')
        .orderBy('id');
    });
    expect(await notesOf.execute(db, ['t1', 2])).toEqual([{ id: 2, body: 'two' }]);
    expect(await notesOf.execute(db, ['t2', 0])).toEqual([{ id: 3, body: 'three' }]);
    expect(await notesOf.execute(db, ['t1', 0])).toEqual([
      { id: 1, body: 'one' },
      { id: 2, body: 'two' },
    ]);
    expect(builds).toBe(1);
  });
});
