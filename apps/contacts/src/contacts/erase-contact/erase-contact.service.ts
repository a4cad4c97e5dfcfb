import { Injectable } from '@nestjs/common';
import { contactErased, eraseContact, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { InteractionRepository } from '../../interactions/interaction.repository';
import { notFound } from '../../shared/errors';
import { ContactErasureRepository } from './contact-erasure.repository';

/**
 * Irreversible erasure (GDPR art. 17), in one transaction: the contact becomes a tombstone, its
 * timeline is deleted, the sent events about it or its interactions are scrubbed from the outbox,
 * and `contact.erased` tells the other services to erase their copies. Works on whatever the
 * service still holds: a soft-deleted contact too. Another tenant's or an erased one: NOT_FOUND.
 *
 * Events still unsent when this commits (say a `contact.updated` of a moment ago) are published
 * as they are: they precede `contact.erased` in the outbox's order, so consumers erase after.
 */
@Injectable()
export class EraseContactService {
  constructor(
    private readonly erasure: ContactErasureRepository,
    private readonly interactions: InteractionRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async erase(tenantId: string, { id }: RpcRequest<typeof eraseContact>): Promise<RpcResponse<typeof eraseContact>> {
    const erasedAt = new Date();
    // The contact first: its row lock keeps new interactions out while the timeline goes.
    const version = await this.erasure.tombstone(tenantId, id, erasedAt);
    if (version === null) throw notFound('contact', id);
    const interactionIds = await this.interactions.deleteAll(tenantId, id);
    await this.erasure.scrubSentEvents(tenantId, [id, ...interactionIds]);
    const reply = { id, erasedAt: erasedAt.toISOString() };
    await this.events.publish(contactErased, { contactId: id, erasedAt: reply.erasedAt }, { tenantId, subject: id, entityVersion: version });
    return reply;
  }
}
