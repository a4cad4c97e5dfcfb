import type { ExpressionBuilder, Insertable, OnConflictBuilder, QueryCreator } from 'kysely';
import { unnestRows } from '@crm/service-kit';
import type { LifecycleStage } from '@crm/contracts';
import type { ContactView, DB } from '../generated/kysely/database';
import type { ContactState } from '../projection/contact-state';
import { addToCounters, CounterDelta } from './tenant-counters.table';

/**
 * contact_view (one row per contact ever seen, the projection's ContactState) as the code reads
 * and writes it: its projection, its row builder and its upsert, used by the single and the bulk
 * path alike. Read and written by ContactViewRepository, the event log's append (which reads the
 * row along) and the interaction fact's insert (which follows merges).
 */
export const contactViewTable = 'contact_view';

/** What an upsert rewrites: every column but the key. */
export const CONTACT_STATE_COLUMNS = [
  'lifecycle_stage',
  'company_id',
  'version',
  'deleted',
  'deleted_at',
  'changed_at',
  'merged_into_id',
  'erased',
  'erased_at',
] as const satisfies readonly (keyof ContactView)[];

/** contact_view's columns as a ContactState. */
export function contactState(eb: ExpressionBuilder<DB, 'contact_view'>) {
  return [
    'contact_view.contact_id as contactId',
    eb.ref('contact_view.lifecycle_stage').$castTo<LifecycleStage | null>().as('lifecycleStage'),
    'contact_view.company_id as companyId',
    'contact_view.version',
    'contact_view.deleted',
    eb.ref('contact_view.deleted_at').$castTo<Date | null>().as('deletedAt'),
    eb.ref('contact_view.changed_at').$castTo<Date | null>().as('changedAt'),
    'contact_view.merged_into_id as mergedIntoId',
    'contact_view.erased',
    eb.ref('contact_view.erased_at').$castTo<Date | null>().as('erasedAt'),
  ] as const;
}

/** The row of a contact's state. */
export function contactViewRow(tenantId: string, state: ContactState) {
  return {
    tenant_id: tenantId,
    contact_id: state.contactId,
    lifecycle_stage: state.lifecycleStage,
    company_id: state.companyId,
    version: state.version,
    deleted: state.deleted,
    deleted_at: state.deletedAt,
    changed_at: state.changedAt,
    merged_into_id: state.mergedIntoId,
    erased: state.erased,
    erased_at: state.erasedAt,
  } satisfies Required<Insertable<ContactView>>;
}

/** The state of an existing row is replaced by the new one (the projection decided it already). */
function replaceState(conflict: OnConflictBuilder<DB, 'contact_view'>) {
  return conflict
    .columns(['tenant_id', 'contact_id'])
    .doUpdateSet((eb) => Object.fromEntries(CONTACT_STATE_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)])));
}

/**
 * Writes the contacts' states (distinct contacts, one statement for any number) and adds `delta`
 * (what their counted stage changes did) to the tenant's counters in the same statement.
 */
export function upsertContactViews(db: QueryCreator<DB>, tenantId: string, states: readonly ContactState[], delta: CounterDelta) {
  const rows = states.map((state) => contactViewRow(tenantId, state));
  const counted = addToCounters(db, tenantId, delta);
  // Typed as the plain query creator: the counters' CTE is not read by the insert.
  const target = (counted ? db.with('counted', () => counted) : db) as QueryCreator<DB>;
  return target
    .insertInto('contact_view')
    .columns(['tenant_id', ...CONTACT_COLUMNS_BUT_TENANT])
    .expression((eb) =>
      eb
        .selectFrom(
          unnestRows(
            rows.map(({ tenant_id: _tenant, ...row }) => row),
            {
              contact_id: 'uuid',
              lifecycle_stage: 'text',
              company_id: 'uuid',
              version: 'integer',
              deleted: 'boolean',
              deleted_at: 'timestamptz',
              changed_at: 'timestamptz',
              merged_into_id: 'uuid',
              erased: 'boolean',
              erased_at: 'timestamptz',
            },
            's',
          ),
        )
        .select((eb) => [eb.val(tenantId).as('tenant_id'), ...CONTACT_COLUMNS_BUT_TENANT.map((column) => eb.ref(`s.${column}`).as(column))]),
    )
    .onConflict(replaceState);
}

const CONTACT_COLUMNS_BUT_TENANT = ['contact_id', ...CONTACT_STATE_COLUMNS] as const;
