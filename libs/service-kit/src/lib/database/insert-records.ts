import { type Insertable, type InsertQueryBuilder, type InsertResult, type Kysely, sql } from 'kysely';

/**
 * The Postgres types of the columns a table module's records carry, as `jsonb_to_recordset`
 * declares them (`{ id: 'uuid', tags: 'text[]', phones: 'jsonb' }`): a module's constant, never
 * input. `'text::jsonb'`: a jsonb column whose records hold it as JSON text (what a module that
 * also writes it with `values()` gives), carried as text and cast.
 */
export type RecordColumns<Row> = { readonly [K in keyof Row & string]?: string };

/**
 * One INSERT for any number of records (one, or an import batch of 1,000): the records travel as
 * a single JSON parameter that Postgres unpacks (`jsonb_to_recordset`), so the statement text is
 * the same for every batch size (prepared once) and no thousands of parameters are bound in
 * JavaScript. jsonb columns take the records' values as they are (no JSON.stringify per column);
 * a column missing from a record is NULL, so a module's records set every column it declares.
 */
export function insertRecords<DB, T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  columns: NoInfer<RecordColumns<DB[T]>>,
  records: NoInfer<readonly Insertable<DB[T]>[]>,
): InsertQueryBuilder<DB, T, InsertResult> {
  const names = Object.keys(columns) as (keyof DB[T] & string)[];
  const types = names.map((name) => (columns[name] as string).split('::'));
  const declared = sql.join(names.map((name, i) => sql`${sql.id(name)} ${sql.raw(types[i][0])}`));
  const selected = sql.join(names.map((name, i) => (types[i][1] ? sql`${sql.ref(`r.${name}`)}::${sql.raw(types[i][1])}` : sql.ref(`r.${name}`))));
  return db
    .insertInto(table)
    .columns(names as never)
    .expression(sql`SELECT ${selected} FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(${declared})`);
}
