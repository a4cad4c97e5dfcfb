import { sql } from 'kysely';
import { isoTimestampSql } from '@crm/service-kit';

/**
 * The purchase summary of contact `c` as one row, in the contract's names and JSON types:
 * `lastPurchaseAt` (ISO text, or null) and `lifetimeValue` (per currency, in currency order),
 * from the orders that count. For the contact's detail JSON, written by Postgres (contactDetailJson).
 */
export const purchaseSummaryOfContact = sql<{ lastPurchaseAt: string | null; lifetimeValue: unknown }>`(SELECT
    ${isoTimestampSql(sql`max(t.last_at)`)} AS "lastPurchaseAt",
    coalesce(json_agg(json_build_object('currency', t.currency, 'amountMinor', t.amount_minor) ORDER BY t.currency), '[]'::json) AS "lifetimeValue"
  FROM (SELECT a.currency, sum(a.amount_minor) AS amount_minor, max(a.occurred_at) AS last_at FROM contact_activity a
    WHERE a.tenant_id = c.tenant_id AND a.contact_id = c.id AND a.kind = 'order' AND a.counts
    GROUP BY a.currency) t)`;
