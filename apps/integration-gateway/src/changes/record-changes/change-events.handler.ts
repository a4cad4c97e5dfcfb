import { Controller } from '@nestjs/common';
import { contactErased, contactMerged, dealWon, EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { FEED_EVENTS } from '../feed-events';
import { RecordChangesService } from './record-changes.service';

/**
 * The change feed's intake: one @OnEvent handler per feed event (the list is FEED_EVENTS, read
 * from the contracts, so a new event of a covered entity joins the feed without a change here).
 * One handler per event type in a service: the contact merged and erased events are handled by
 * ContactLifecycleHandler and the deal won event by DealWonHandler, which record them here too.
 */
@Controller()
export class ChangeEventsHandler {
  constructor(readonly changes: RecordChangesService) {}
}

export const HANDLED_ELSEWHERE: ReadonlySet<string> = new Set([contactMerged.name, contactErased.name, dealWon.name]);

for (const contract of FEED_EVENTS.filter((c) => !HANDLED_ELSEWHERE.has(c.name))) {
  const method = `on:${contract.name}`;
  const descriptor: PropertyDescriptor = {
    value: function (this: ChangeEventsHandler, data: unknown, envelope: EventEnvelope) {
      return this.changes.record({ ...envelope, data });
    },
    writable: true,
    configurable: true,
  };
  Object.defineProperty(ChangeEventsHandler.prototype, method, descriptor);
  OnEvent(contract, { scope: 'tenant' })(ChangeEventsHandler.prototype, method, descriptor as TypedPropertyDescriptor<never>);
}
