import type { Insertable, OnConflictBuilder, QueryCreator } from 'kysely';
import type { LifecycleStage } from '@crm/contracts';
import type { DB, TenantCounters } from '../generated/kysely/database';

/**
 * tenant_counters (one row per tenant: active contacts per stage, companies) as the code writes
 * it: deltas added in the statement that changes the view rows they summarise (a CTE of it), so
 * a view row and the counters change together; read by TenantCountersRepository.
 */
export type CounterDelta = Partial<Record<LifecycleStage | 'companies', number>>;

/** The counter column of each delta. */
export const COUNTER_COLUMNS = {
  lead: 'contacts_lead',
  prospect: 'contacts_prospect',
  customer: 'contacts_customer',
  churned: 'contacts_churned',
  companies: 'companies',
} as const satisfies Record<keyof CounterDelta, keyof TenantCounters>;

/** An existing tenant's counters grow by the inserted row's values. */
export function addCounts(conflict: OnConflictBuilder<DB, 'tenant_counters'>) {
  return conflict.column('tenant_id').doUpdateSet((eb) => ({
    contacts_lead: eb('tenant_counters.contacts_lead', '+', eb.ref('excluded.contacts_lead')),
    contacts_prospect: eb('tenant_counters.contacts_prospect', '+', eb.ref('excluded.contacts_prospect')),
    contacts_customer: eb('tenant_counters.contacts_customer', '+', eb.ref('excluded.contacts_customer')),
    contacts_churned: eb('tenant_counters.contacts_churned', '+', eb.ref('excluded.contacts_churned')),
    companies: eb('tenant_counters.companies', '+', eb.ref('excluded.companies')),
  }));
}

/** The row that adds `delta` to the tenant's counters. */
export function countersRow(tenantId: string, delta: CounterDelta) {
  return {
    tenant_id: tenantId,
    contacts_lead: delta.lead ?? 0,
    contacts_prospect: delta.prospect ?? 0,
    contacts_customer: delta.customer ?? 0,
    contacts_churned: delta.churned ?? 0,
    companies: delta.companies ?? 0,
  } satisfies Required<Insertable<TenantCounters>>;
}

/** Adds `delta` to the tenant's counters; undefined when it changes nothing (no statement needed). */
export function addToCounters(db: QueryCreator<DB>, tenantId: string, delta: CounterDelta) {
  if (!Object.values(delta).some((n) => n !== 0 && n !== undefined)) return undefined;
  return db.insertInto('tenant_counters').values(countersRow(tenantId, delta)).onConflict(addCounts);
}
