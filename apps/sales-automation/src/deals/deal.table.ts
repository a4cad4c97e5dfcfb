import { sql, type Kysely, type Selectable } from 'kysely';
import { isoTimestampSql as iso } from '@crm/service-kit';
import type { DB, Deal as DealTable } from '../generated/kysely/database';

/** A deal row as the repository reads it: the date column as text (YYYY-MM-DD), never a local-midnight Date. */
export type DealRow = Omit<Selectable<DealTable>, 'expected_close_date'> & { expected_close_date: string | null };

/** Every column of `deal d`, the date as text. */
export function selectDeals(db: Kysely<DB>) {
  return db
    .selectFrom('deal as d')
    .select([
      'd.id',
      'd.tenant_id',
      'd.title',
      'd.contact_id',
      'd.company_id',
      'd.customer_name',
      'd.amount_minor',
      'd.currency',
      sql<string | null>`d.expected_close_date::text`.as('expected_close_date'),
      'd.owner_id',
      'd.pipeline_id',
      'd.stage_id',
      'd.position',
      'd.status',
      'd.lost_reason',
      'd.closed_at',
      'd.stage_entered_at',
      'd.lead_id',
      'd.lines',
      'd.version',
      'd.created_at',
      'd.updated_at',
      'd.deleted_at',
      'd.erp_order_number',
      'd.erp_system',
      'd.erp_order_acknowledged_at',
    ]);
}

/** The same columns as a RETURNING list (the date as text). */
export const DEAL_RETURNING = [
  'id',
  'tenant_id',
  'title',
  'contact_id',
  'company_id',
  'customer_name',
  'amount_minor',
  'currency',
  sql<string | null>`expected_close_date::text`.as('expected_close_date'),
  'owner_id',
  'pipeline_id',
  'stage_id',
  'position',
  'status',
  'lost_reason',
  'closed_at',
  'stage_entered_at',
  'lead_id',
  'lines',
  'version',
  'created_at',
  'updated_at',
  'deleted_at',
  'erp_order_number',
  'erp_system',
  'erp_order_acknowledged_at',
] as const;

/**
 * The columns of `deal d` named and shaped as replies carry a deal (the contract's dealSchema,
 * what toDeal makes of a row): `row_to_json` of a subquery selecting them writes the deal as JSON
 * text in Postgres, for lists handed on without being read here (JsonReply). row_to_json, not
 * json_build_object: about half the cost per row here (json_build_object resolves every
 * argument's type on every call).
 */
export const DEAL_JSON_COLUMNS = [
  'd.id',
  'd.title',
  'd.contact_id as contactId',
  'd.company_id as companyId',
  'd.customer_name as customerName',
  'd.amount_minor as amountMinor',
  'd.currency',
  sql<string | null>`d.expected_close_date::text`.as('expectedCloseDate'),
  'd.owner_id as ownerId',
  'd.pipeline_id as pipelineId',
  'd.stage_id as stageId',
  'd.position',
  'd.status',
  'd.lost_reason as lostReason',
  iso(sql.ref('d.closed_at')).as('closedAt'),
  iso(sql.ref('d.stage_entered_at')).as('stageEnteredAt'),
  'd.lead_id as leadId',
  sql<unknown>`coalesce(d.lines, '[]'::jsonb)`.as('lines'),
  sql<unknown>`CASE WHEN d.erp_order_number IS NOT NULL AND d.erp_system IS NOT NULL AND d.erp_order_acknowledged_at IS NOT NULL
    THEN json_build_object('system', d.erp_system, 'orderNumber', d.erp_order_number, 'acknowledgedAt', ${iso(sql.ref('d.erp_order_acknowledged_at'))}) END`.as('erpOrder'),
  'd.version',
  iso(sql.ref('d.created_at')).as('createdAt'),
  iso(sql.ref('d.updated_at')).as('updatedAt'),
] as const;
