import { Controller } from '@nestjs/common';
import { emailEngaged, EventData, EventEnvelope } from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { RecordEmailEngagementService } from './record-email-engagement.service';

/** A tracked marketing email opened or a link in it clicked (the sales service's tracking). */
@Controller()
export class EmailEngagedHandler {
  constructor(private readonly service: RecordEmailEngagementService) {}

  @OnEvent(emailEngaged, { scope: 'tenant' })
  onEmailEngaged(data: EventData<typeof emailEngaged>, { tenantid }: EventEnvelope) {
    return this.service.record(tenantid, data);
  }
}
