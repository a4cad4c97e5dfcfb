import { sql } from 'kysely';

export interface PurchaseSummary {
  lastPurchaseAt: Date | null;
  lifetimeValue: { currency: string; amountMinor: number }[];
}

/** One currency's purchases as `purchasesOfContact` answers them (json: the sum as text, the time as ISO text). */
interface PurchaseTotal {
  currency: string;
  amountMinor: string;
  lastAt: string;
}

/**
 * Lifetime value per currency and last purchase of the contact `c` (the orders that count), as a
 * json array selected along with the contact: its read and its totals in one statement.
 */
export const purchasesOfContact = sql<PurchaseTotal[]>`(select coalesce(json_agg(p order by p.currency), '[]'::json) from (
  select a.currency, sum(a.amount_minor)::text as "amountMinor", max(a.occurred_at) as "lastAt" from contact_activity a
  where a.tenant_id = c.tenant_id and a.contact_id = c.id and a.kind = 'order' and a.counts
  group by a.currency) p)`;

export function purchaseSummaryOf(totals: PurchaseTotal[]): PurchaseSummary {
  const last = totals.reduce<Date | null>((max, t) => (max === null || new Date(t.lastAt) > max ? new Date(t.lastAt) : max), null);
  return { lastPurchaseAt: last, lifetimeValue: totals.map((t) => ({ currency: t.currency, amountMinor: Number(t.amountMinor) })) };
}
