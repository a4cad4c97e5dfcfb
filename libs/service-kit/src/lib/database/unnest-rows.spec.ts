import { createEmptyTestDatabase, TestDatabase } from '@crm/testing';
import type { Pool } from 'pg';
import { createDatabasePool } from './database-pool';
import { TransactionalKysely } from './transactional-kysely';
import { arrayOf, unnestRows } from './unnest-rows';

interface Item {
  id: string;
  n: number;
  ok: boolean;
  at: Date | null;
  doc: object | null;
}
interface TestDb {
  item: Item;
}

describe('unnestRows and arrayOf', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: TransactionalKysely<TestDb>;

  beforeAll(async () => {
    database = await createEmptyTestDatabase({ key: 'unnest' });
    pool = createDatabasePool({ url: database.url, max: 1 });
    await pool.query('CREATE TABLE item (id uuid PRIMARY KEY, n int NOT NULL, ok boolean NOT NULL, at timestamptz, doc jsonb)');
    db = new TransactionalKysely<TestDb>(pool, { isTransactionActive: () => false, tx: undefined });
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const rows: Item[] = [
    { id: '00000000-0000-4000-8000-000000000001', n: 1, ok: true, at: new Date('2026-01-02T03:04:05.678Z'), doc: { a: [1, 'x'] } },
    { id: '00000000-0000-4000-8000-000000000002', n: -2, ok: false, at: null, doc: null },
  ];
  const types = { id: 'uuid', n: 'integer', ok: 'boolean', at: 'timestamptz', doc: 'jsonb' } as const;
  const insert = (items: Item[]) =>
    db
      .insertInto('item')
      .columns(['id', 'n', 'ok', 'at', 'doc'])
      .expression((eb) => eb.selectFrom(unnestRows(items, types, 'r')).selectAll('r'));

  it('inserts rows of typed columns from one array parameter per column', async () => {
    await insert(rows).execute();
    expect(await db.selectFrom('item').selectAll().orderBy('id').execute()).toEqual(rows);
  });

  it('has one statement text and as many parameters whatever the number of rows', () => {
    const [one, two] = [insert(rows.slice(0, 1)).compile(), insert(rows).compile()];
    expect(one.sql).toBe(two.sql);
    expect(two.parameters).toHaveLength(Object.keys(types).length);
  });

  it('matches any of an array parameter', async () => {
    const ids = rows.map((r) => r.id);
    const found = await db
      .selectFrom('item')
      .select('n')
      .where('id', '=', (eb) => eb.fn.any(arrayOf(ids, 'uuid')))
      .orderBy('n')
      .execute();
    expect(found).toEqual([{ n: -2 }, { n: 1 }]);
  });
});
