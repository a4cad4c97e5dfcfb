import { Controller } from '@nestjs/common';
import { dealCreated, dealLost, dealUpdated, dealWon, EventData, EventEnvelope, orderRecorded, orderStatusChanged, orderUpdated } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { RecordSalesActivityService } from './record-sales-activity.service';

/** The sales service's order and deal events: what a contact's timeline and lifetime value are made of. */
@Controller()
export class SalesEventsHandler {
  constructor(private readonly service: RecordSalesActivityService) {}

  @OnEvent(orderRecorded, { scope: 'tenant' })
  onOrderRecorded({ order }: EventData<typeof orderRecorded>, { tenantid }: EventEnvelope) {
    return this.service.recordOrder(tenantid, order);
  }

  @OnEvent(orderStatusChanged, { scope: 'tenant' })
  onOrderStatusChanged({ order }: EventData<typeof orderStatusChanged>, { tenantid }: EventEnvelope) {
    return this.service.recordOrder(tenantid, order);
  }

  // The ERP's later facts (invoice, payment, its status) arrive as updates of the order.
  @OnEvent(orderUpdated, { scope: 'tenant' })
  onOrderUpdated({ order }: EventData<typeof orderUpdated>, { tenantid }: EventEnvelope) {
    return this.service.recordOrder(tenantid, order);
  }

  @OnEvent(dealCreated, { scope: 'tenant' })
  onDealCreated({ deal }: EventData<typeof dealCreated>, { tenantid }: EventEnvelope) {
    return this.service.recordDeal(tenantid, deal);
  }

  // Title, amount or contact changed: the timeline shows the deal as it is now.
  @OnEvent(dealUpdated, { scope: 'tenant' })
  onDealUpdated({ deal }: EventData<typeof dealUpdated>, { tenantid }: EventEnvelope) {
    return this.service.recordDeal(tenantid, deal);
  }

  @OnEvent(dealWon, { scope: 'tenant' })
  onDealWon({ deal }: EventData<typeof dealWon>, { tenantid }: EventEnvelope) {
    return this.service.recordDeal(tenantid, deal);
  }

  @OnEvent(dealLost, { scope: 'tenant' })
  onDealLost({ deal }: EventData<typeof dealLost>, { tenantid }: EventEnvelope) {
    return this.service.recordDeal(tenantid, deal);
  }
}
