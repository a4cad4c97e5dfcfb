import { Controller } from '@nestjs/common';
import type { EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { consumedFeedEventContracts } from '../change-scopes';
import { RecordChangesService } from './record-changes.service';

/**
 * Every domain event of the feed's services (contacts, sales-automation), one handler each, each
 * through the inbox: `onContactsContactCreatedV1`... They are alike, so they are made from the
 * contracts rather than written out: a contract added to libs/contracts is in the feed at once.
 */
@Controller()
export class RecordChangesHandler {
  constructor(readonly service: RecordChangesService) {}
}

for (const contract of consumedFeedEventContracts()) {
  const key = `on${contract.name
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;
  const descriptor: TypedPropertyDescriptor<(data: unknown, envelope: EventEnvelope) => Promise<void>> = {
    value(this: RecordChangesHandler, data: unknown, envelope: EventEnvelope) {
      return this.service.record({ ...envelope, data });
    },
    writable: true,
    configurable: true,
    enumerable: false,
  };
  OnEvent(contract, { scope: 'tenant' })(RecordChangesHandler.prototype, key, descriptor as never);
  Object.defineProperty(RecordChangesHandler.prototype, key, descriptor);
}
