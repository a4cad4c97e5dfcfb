import { Injectable } from '@nestjs/common';
import { Interaction, interactionLogged, logInteraction, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { notFound } from '../../shared/errors';
import { textOrNull } from '../../shared/primary';
import { toInteraction } from '../interaction.mapper';
import { InteractionRepository } from '../interaction.repository';

/**
 * Adds an entry to a live contact's timeline. The contact itself is left as it is (no version,
 * no `updatedAt`): logging a call is not a change of the contact, and `contact.updated` would
 * tell every consumer nothing new. A "last activity" column would be the place for that.
 */
@Injectable()
export class LogInteractionService {
  constructor(
    private readonly repository: InteractionRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async log(tenantId: string, loggedBy: string, { contactId, interaction: input }: RpcRequest<typeof logInteraction>): Promise<Interaction> {
    if (!(await this.repository.lockLiveContact(tenantId, contactId))) throw notFound('contact', contactId);
    const row = await this.repository.create(tenantId, {
      contactId,
      channel: input.channel,
      direction: input.direction ?? null,
      subject: textOrNull(input.subject),
      body: input.body ?? null,
      occurredAt: input.occurredAt ? new Date(input.occurredAt) : new Date(),
      loggedBy,
    });
    const interaction = toInteraction(row);
    // Without the body: other services learn that and how the contact was reached, not what was said.
    const { body: _body, ...withoutBody } = interaction;
    await this.events.publish(interactionLogged, { interaction: withoutBody }, { tenantId, subject: interaction.id });
    return interaction;
  }
}
