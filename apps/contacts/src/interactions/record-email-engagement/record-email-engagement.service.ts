import { Injectable } from '@nestjs/common';
import { EventData, emailEngaged, interactionLogged } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { toInteraction } from '../interaction.mapper';
import { InteractionRepository } from '../interaction.repository';

/** Who logged an interaction that tracking recorded (not a user). */
export const EMAIL_TRACKING_LOGGER = 'email-tracking';

/**
 * The sales service's tracked opens and clicks on the contact's timeline, as email interactions
 * without a direction (an open is not a reply: an inbound email would end sequences as
 * `replied`). A contact deleted or erased meanwhile gets nothing. Runs in the consumer's
 * transaction with the inbox row, so a redelivery logs nothing twice.
 */
@Injectable()
export class RecordEmailEngagementService {
  constructor(
    private readonly repository: InteractionRepository,
    private readonly events: EventPublisher,
  ) {}

  async record(tenantId: string, engagement: EventData<typeof emailEngaged>): Promise<void> {
    if (!(await this.repository.lockLiveContact(tenantId, engagement.contactId))) return;
    const what = engagement.templateName ? `“${engagement.templateName}”` : 'a marketing email';
    const row = await this.repository.create(tenantId, {
      contactId: engagement.contactId,
      channel: 'email',
      direction: null,
      subject: engagement.kind === 'opened' ? `Opened ${what}` : `Clicked a link in ${what}`.slice(0, 500),
      body: engagement.url,
      occurredAt: new Date(engagement.at),
      loggedBy: EMAIL_TRACKING_LOGGER,
    });
    const { body: _body, ...withoutBody } = toInteraction(row);
    await this.events.publish(interactionLogged, { interaction: withoutBody }, { tenantId, subject: row.id });
  }
}
