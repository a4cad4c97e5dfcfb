import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { afterCursor, keysetOrder, pageRows, sortSpec } from './keyset';
import { softDeleted } from './soft-delete';

interface Db {
  item: { id: string; tenant_id: string; name_key: string; updated_at: Date; deleted_at: Date | null };
}

const db = new Kysely<Db>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const columns = {
  name: { column: 'i.name_key', type: 'text', indexDesc: false },
  updatedAt: { column: 'i.updated_at', type: 'timestamptz', indexDesc: true },
} as const;

const page = (sort: string, cursor?: { key: string }) => {
  const spec = sortSpec(sort, columns);
  return db
    .selectFrom('item as i')
    .select('i.id')
    .where('i.tenant_id', '=', 't1')
    .where(softDeleted('i.deleted_at', false))
    .where(afterCursor(spec, cursor && { sort, key: cursor.key, id: '0b7f4c1e-0000-4000-8000-000000000001' }, 'i.id'))
    .orderBy(keysetOrder(spec, 'i.id'))
    .limit(pageRows(20))
    .compile();
};

describe('keyset paging statements', () => {
  it('orders by the column then id the way its index reads, the page size written in (one plan per size)', () => {
    expect(page('-updatedAt').sql).toBe(
      'select "i"."id" from "item" as "i" where "i"."tenant_id" = $1 and "i"."deleted_at" IS NULL and TRUE order by "i"."updated_at" DESC, "i"."id" ASC limit 21',
    );
    expect(page('updatedAt').sql).toContain('order by "i"."updated_at" ASC, "i"."id" DESC');
    expect(page('name').sql).toContain('order by "i"."name_key" ASC, "i"."id" ASC');
  });

  it('starts strictly after the cursor, its key and id as typed parameters', () => {
    const compiled = page('-updatedAt', { key: '2026-11-23T10:00:00.000Z' });
    expect(compiled.sql).toContain('("i"."updated_at" <= $2::timestamptz AND ("i"."updated_at" < $3::timestamptz OR "i"."id" > $4::uuid))');
    expect(compiled.parameters).toEqual(['t1', '2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.000Z', '0b7f4c1e-0000-4000-8000-000000000001']);
  });

  it('shows restorable deleted rows only when asked to', () => {
    const deadline = new Date('2026-11-01T00:00:00.000Z');
    const compiled = db
      .selectFrom('item as i')
      .select('i.id')
      .where(softDeleted('i.deleted_at', true, new Date(deadline.getTime() + 30 * 86_400_000)))
      .compile();
    expect(compiled.sql).toBe('select "i"."id" from "item" as "i" where ("i"."deleted_at" IS NULL OR "i"."deleted_at" >= $1::timestamptz)');
    expect(compiled.parameters).toEqual([deadline.toISOString()]);
  });

  it("refuses page sizes outside the contracts' range and unknown sorts", () => {
    expect(() => pageRows(0)).toThrow(/out of range/);
    expect(() => pageRows(1001)).toThrow(/out of range/);
    expect(() => sortSpec('-nope', columns)).toThrow(/no sort column/);
  });
});
