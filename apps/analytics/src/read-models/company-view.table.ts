import { sql, type Insertable, type QueryCreator } from 'kysely';
import type { CompanyView, DB } from '../generated/kysely/database';
import { addCounts } from './tenant-counters.table';

/**
 * company_view (one row per company ever seen: its highest version, deleted or not) as the code
 * reads and writes it. Read and written by CompanyViewRepository only.
 */

/** The row of a company at `version`; `deletedAt` null: it exists at that version. */
export function companyViewRow(tenantId: string, companyId: string, version: number, deletedAt: Date | null) {
  return {
    tenant_id: tenantId,
    company_id: companyId,
    version,
    deleted: deletedAt !== null,
    deleted_at: deletedAt,
  } satisfies Required<Insertable<CompanyView>>;
}

/**
 * The company takes this version's state if it is newer than the one it has (whatever the
 * arrival order, the highest version wins), and the tenant's company count follows, in one
 * statement.
 */
export function applyCompanyVersion(db: QueryCreator<DB>, row: ReturnType<typeof companyViewRow>) {
  return db
    .with('before', (db) => db.selectFrom('company_view').select('deleted').where('tenant_id', '=', row.tenant_id).where('company_id', '=', row.company_id))
    .with('saved', (db) =>
      db
        .insertInto('company_view')
        .values(row)
        .onConflict((conflict) =>
          conflict
            .columns(['tenant_id', 'company_id'])
            .doUpdateSet((eb) => ({ version: eb.ref('excluded.version'), deleted: eb.ref('excluded.deleted'), deleted_at: eb.ref('excluded.deleted_at') }))
            .whereRef('excluded.version', '>', 'company_view.version'),
        )
        .returning('deleted'),
    )
    .with('change', (db) =>
      db
        .selectFrom('saved')
        .leftJoin('before', (join) => join.onTrue())
        // Existing now minus existing before (no row before: did not exist).
        .select(sql<number>`(NOT ${sql.ref('saved.deleted')})::int - coalesce((NOT ${sql.ref('before.deleted')})::int, 0)`.as('companies')),
    )
    .insertInto('tenant_counters')
    .columns(['tenant_id', 'contacts_lead', 'contacts_prospect', 'contacts_customer', 'contacts_churned', 'companies'])
    .expression((eb) =>
      eb
        .selectFrom('change')
        .select((eb) => [
          eb.val(row.tenant_id).as('tenant_id'),
          sql.lit(0).as('contacts_lead'),
          sql.lit(0).as('contacts_prospect'),
          sql.lit(0).as('contacts_customer'),
          sql.lit(0).as('contacts_churned'),
          'change.companies',
        ])
        .where('change.companies', '<>', 0),
    )
    .onConflict(addCounts);
}
