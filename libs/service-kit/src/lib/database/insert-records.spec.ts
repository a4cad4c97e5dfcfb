import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { insertRecords } from './insert-records';

interface Db {
  note: { id: string; tenant_id: string; tags: string[]; body: unknown; primary: boolean };
}

const db = new Kysely<Db>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const columns = { id: 'uuid', tenant_id: 'text', tags: 'text[]', body: 'text::jsonb', primary: 'boolean' } as const;
const record = (id: string) => ({ id, tenant_id: 't1', tags: ['a'], body: JSON.stringify({ n: 1 }), primary: true });

describe('insertRecords', () => {
  it('inserts any number of records with one statement text and one parameter (prepared once)', () => {
    const one = insertRecords<Db, 'note'>(db, 'note', columns, [record('1')]).compile();
    const many = insertRecords<Db, 'note'>(db, 'note', columns, [record('1'), record('2'), record('3')]).compile();
    expect(many.sql).toBe(one.sql);
    expect(one.sql).toBe(
      'insert into "note" ("id", "tenant_id", "tags", "body", "primary") SELECT "r"."id", "r"."tenant_id", "r"."tags", "r"."body"::jsonb, "r"."primary" ' +
        'FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "tenant_id" text, "tags" text[], "body" text, "primary" boolean)',
    );
    expect(many.parameters).toEqual([JSON.stringify([record('1'), record('2'), record('3')])]);
  });
});
