import type { Deal, DealLine } from '@crm/contracts';
import type { DealRow } from './deal.table';
import { isoTimestamp as iso } from '@crm/service-kit';


/** A row as replies and events carry it (money as numbers: minor units stay within safe integers, the contract checks it). */
export function toDeal(row: DealRow): Deal {
  return {
    id: row.id,
    title: row.title,
    contactId: row.contact_id,
    companyId: row.company_id,
    customerName: row.customer_name,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    expectedCloseDate: row.expected_close_date,
    ownerId: row.owner_id,
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    position: row.position,
    status: row.status as Deal['status'],
    lostReason: row.lost_reason,
    closedAt: row.closed_at ? iso(row.closed_at) : null,
    stageEnteredAt: iso(row.stage_entered_at),
    leadId: row.lead_id,
    lines: (row.lines ?? []) as DealLine[],
    erpOrder:
      row.erp_order_number && row.erp_system && row.erp_order_acknowledged_at
        ? { system: row.erp_system, orderNumber: row.erp_order_number, acknowledgedAt: iso(row.erp_order_acknowledged_at) }
        : null,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
