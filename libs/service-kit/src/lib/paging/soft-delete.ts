import { RawBuilder, sql, SqlBool } from 'kysely';

/** A soft-deleted record can be restored this long; after that it is as good as gone (NOT_FOUND). */
export const RESTORE_WINDOW_DAYS = 30;

export function restoreDeadline(now = new Date()): Date {
  return new Date(now.getTime() - RESTORE_WINDOW_DAYS * 24 * 60 * 60 * 1000);
}

/** Deleted longer ago than the window: neither listed, nor readable, nor restorable. */
export function isExpired(deletedAt: Date | null, now = new Date()): boolean {
  return deletedAt !== null && deletedAt < restoreDeadline(now);
}

/**
 * What a list shows of soft-deleted rows, on the `deleted_at` column as the query names it
 * (`c.deleted_at`): live ones only, or with `includeDeleted` those still restorable too.
 */
export function softDeleted(deletedAt: string, includeDeleted: boolean | undefined, now = new Date()): RawBuilder<SqlBool> {
  const column = sql.ref(deletedAt);
  return includeDeleted
    ? sql<SqlBool>`(${column} IS NULL OR ${column} >= ${restoreDeadline(now).toISOString()}::timestamptz)`
    : sql<SqlBool>`${column} IS NULL`;
}
