import { Injectable } from '@nestjs/common';
import { Deal, DomainError, recordDealErpOrder } from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { ErpBus } from '../../erp-auth/erp-bus';
import type { ErpClient } from '../../erp-auth/erp-client';
import { SyncLogRepository } from '../../sync-log/sync-log.repository';
import type { RecordErpOrderBody } from './record-erp-order.dto';

/**
 * The sales service stores the number on the deal (it refuses a deal not won, or another number
 * than the one it holds); either way the attempt is in the sync log, so an admin sees why an
 * acknowledgement did not land.
 */
@Injectable()
export class RecordErpOrderService {
  constructor(
    private readonly bus: ErpBus,
    private readonly syncLog: SyncLogRepository,
  ) {}

  async record(client: ErpClient, dealId: string, { system, orderNumber }: RecordErpOrderBody): Promise<Deal> {
    const entry = { tenantId: client.tenantId, clientId: client.clientId, direction: 'inbound' as const, object: 'deals', system, externalId: orderNumber, recordId: dealId, operation: 'erp-order' };
    try {
      const deal = await this.bus.call(recordDealErpOrder, { id: dealId, system, orderNumber }, client);
      await this.syncLog.record([{ ...entry, status: 'applied' }]);
      return deal;
    } catch (error) {
      const code = error instanceof RemoteError || error instanceof DomainError ? error.code : 'UNAVAILABLE';
      await this.syncLog.record([{ ...entry, status: 'failed', error: code }]);
      throw error;
    }
  }
}
