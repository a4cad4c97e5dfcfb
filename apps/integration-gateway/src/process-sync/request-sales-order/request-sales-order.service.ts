import { Injectable } from '@nestjs/common';
import { Deal, EventEnvelope, salesOrderRequested } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { RecordChangesService } from '../../changes/record-changes/record-changes.service';
import { SyncLogRepository } from '../../sync-log/sync-log.repository';

/**
 * Publishes `integration-gateway.sales-order.requested.v1` (what the ERP needs to create the order:
 * customer, amount, currency, lines) and logs the request; the change feed and the webhooks carry
 * it to the ERP. Runs in the consumer's transaction with its inbox row, so a redelivered
 * `deal.won` asks once.
 */
@Injectable()
export class RequestSalesOrderService {
  constructor(
    private readonly events: EventPublisher,
    private readonly syncLog: SyncLogRepository,
    private readonly changes: RecordChangesService,
  ) {}

  @Transactional()
  async request(won: EventEnvelope, deal: Deal): Promise<void> {
    const tenantId = won.tenantid;
    await this.changes.record(won);
    const requested = await this.events.publish(
      salesOrderRequested,
      {
        dealId: deal.id,
        title: deal.title,
        contactId: deal.contactId,
        companyId: deal.companyId,
        ownerId: deal.ownerId,
        amountMinor: deal.amountMinor,
        currency: deal.currency,
        lines: deal.lines,
        wonAt: deal.closedAt,
        requestedAt: new Date().toISOString(),
      },
      { tenantId, subject: deal.id, entityVersion: deal.version },
    );
    // Into the feed (and to webhooks) in the same transaction: this gateway's own event is not consumed back.
    await this.changes.record(requested);
    await this.syncLog.record([{ tenantId, direction: 'outbound', object: 'deals', recordId: deal.id, operation: 'sales-order-requested', status: 'requested' }]);
  }
}
