import { Controller } from '@nestjs/common';
import { dealWon, EventData, EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { RequestSalesOrderService } from './request-sales-order.service';

/** A deal won in the CRM asks the ERP for its sales order. */
@Controller()
export class DealWonHandler {
  constructor(private readonly service: RequestSalesOrderService) {}

  @OnEvent(dealWon, { scope: 'tenant' })
  onDealWon({ deal }: EventData<typeof dealWon>, { tenantid }: EventEnvelope) {
    return this.service.request(tenantid, deal);
  }
}
