import type { CampaignSegment } from '@crm/contracts';
import { sql, type RawBuilder } from 'kysely';

const DAY_MS = 86_400_000;

/**
 * A segment as one SQL condition on `contact_copy c` (live contacts of the tenant, with `email_consent ec`
 * left-joined): every condition holds. Values are bound parameters; keys of custom fields go in a
 * JSON value (`@>`), never in the SQL text.
 */
export function segmentCondition(tenantId: string, segment: CampaignSegment, now: Date): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [sql`c.tenant_id = ${tenantId}`, sql`c.deleted_at IS NULL AND c.erased_at IS NULL AND c.merged_into_id IS NULL`];
  if (segment.tags.length) conditions.push(sql`c.tags @> ${segment.tags}::text[]`);
  if (Object.keys(segment.customFields).length) conditions.push(sql`c.custom_fields @> ${JSON.stringify(segment.customFields)}::jsonb`);
  if (segment.companyId) conditions.push(sql`c.company_id = ${segment.companyId}::uuid`);
  const boughtSince = (days: number) => sql`EXISTS (
    SELECT 1 FROM sales_order o WHERE o.tenant_id = c.tenant_id AND o.contact_id = c.id
      AND o.purchased_at >= ${new Date(now.getTime() - days * DAY_MS)} AND o.status NOT IN ('cancelled', 'refunded'))`;
  if (segment.lastPurchase?.withinDays !== undefined) conditions.push(boughtSince(segment.lastPurchase.withinDays));
  if (segment.lastPurchase?.notWithinDays !== undefined) conditions.push(sql`NOT ${boughtSince(segment.lastPurchase.notWithinDays)}`);
  if (segment.consent) conditions.push(sql`COALESCE(ec.status, 'never_asked') = ANY(${segment.consent}::text[])`);
  return sql<boolean>`(${sql.join(conditions, sql` AND `)})`;
}
