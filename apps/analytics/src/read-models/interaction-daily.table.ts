import type { OnConflictBuilder } from 'kysely';
import type { DB, InteractionDaily } from '../generated/kysely/database';

/**
 * interaction_daily (interactions per tenant, UTC day and channel) as the code writes it: counted
 * by the statement that records the facts (a CTE of it, recordInteractionFacts); read by
 * InteractionDailyRepository.
 */
export const INTERACTION_DAILY_COLUMNS = ['tenant_id', 'day', 'channel', 'count'] as const satisfies readonly (keyof InteractionDaily)[];

/** A day and channel the tenant has a count for already grows by the inserted count. */
export function addToDailyCount(conflict: OnConflictBuilder<DB, 'interaction_daily'>) {
  return conflict.columns(['tenant_id', 'day', 'channel']).doUpdateSet((eb) => ({ count: eb('interaction_daily.count', '+', eb.ref('excluded.count')) }));
}
