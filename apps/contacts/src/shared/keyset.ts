import { Prisma } from '../generated/prisma/client';
import type { Cursor } from './cursor';

/**
 * One sortable column of a list. `indexDesc` says how the column is indexed with `id` after it:
 * ties are broken by id in the direction that lets one index scan serve the whole order
 * ((updated_at DESC, id) read forwards or backwards).
 */
export interface SortColumn {
  sql: Prisma.Sql;
  type: 'timestamptz' | 'text';
  indexDesc: boolean;
}

export interface SortSpec extends SortColumn {
  name: string;
  desc: boolean;
  idDesc: boolean;
}

export function sortSpec(sort: string, columns: Record<string, SortColumn>): SortSpec {
  const desc = sort.startsWith('-');
  const column = columns[desc ? sort.slice(1) : sort];
  // Forward index scan: (col indexDir, id asc); backward: both reversed.
  const idDesc = column.indexDesc ? !desc : desc;
  return { ...column, name: sort, desc, idDesc };
}

export function orderBySql(spec: SortSpec, id: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`ORDER BY ${spec.sql} ${spec.desc ? Prisma.raw('DESC') : Prisma.raw('ASC')}, ${id} ${spec.idDesc ? Prisma.raw('DESC') : Prisma.raw('ASC')}`;
}

/** Rows strictly after the cursor's row in the spec's order. */
export function afterCursorSql(spec: SortSpec, cursor: Cursor | undefined, id: Prisma.Sql): Prisma.Sql {
  if (!cursor) return Prisma.sql`TRUE`;
  const key = spec.type === 'timestamptz' ? Prisma.sql`${String(cursor.key)}::timestamptz` : Prisma.sql`${String(cursor.key)}`;
  const op = Prisma.raw(spec.desc ? '<' : '>');
  const opOrEqual = Prisma.raw(spec.desc ? '<=' : '>=');
  const idOp = Prisma.raw(spec.idDesc ? '<' : '>');
  return Prisma.sql`(${spec.sql} ${opOrEqual} ${key} AND (${spec.sql} ${op} ${key} OR ${id} ${idOp} ${cursor.id}::uuid))`;
}

/** The cursor value of a row's sort column. */
export function cursorKey(spec: SortSpec, value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}
