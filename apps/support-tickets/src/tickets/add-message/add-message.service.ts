import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor, addTicketMessage, RpcRequest, ticketMessageAdded, TicketWithThread } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { OutgoingReplies } from '../../email-out/outgoing-replies';
import { checkVersion, ticketChangedMeanwhile, ticketClosed, ticketNotFound } from '../ticket-errors';
import { toTicket, toTicketMessage } from '../ticket.mapper';
import { TicketRepository } from '../ticket.repository';
import { TicketThread } from '../ticket-thread';

/**
 * An agent's public reply or internal note on the thread (a public reply on an email ticket is emailed). A public reply to a new ticket opens it
 * (someone answered); either moves the ticket's version, so If-Match catches two agents answering
 * at once. A closed ticket takes no more messages.
 */
@Injectable()
export class AddTicketMessageService {
  constructor(
    private readonly repository: TicketRepository,
    private readonly thread: TicketThread,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly replies: OutgoingReplies,
  ) {}

  @Transactional()
  async add(actor: Actor, { id, expectedVersion, message }: RpcRequest<typeof addTicketMessage>): Promise<TicketWithThread> {
    const row = await this.repository.lock(actor.tenantId, id);
    if (!row) throw ticketNotFound(id);
    checkVersion(expectedVersion, row.version);
    if (row.status === 'closed') throw ticketClosed(id);
    const at = this.clock.now();
    const opens = message.kind === 'public' && row.status === 'new';
    const updated = await this.repository.update(actor.tenantId, id, row.version, opens ? { status: 'open' } : {}, at);
    if (!updated) throw ticketChangedMeanwhile();
    const emailMessageId = message.kind === 'public' ? this.replies.messageIdFor(updated) : null;
    const added = await this.repository.insertMessage(
      actor.tenantId,
      { id: randomUUID(), ticketId: id, kind: message.kind, authorType: 'agent', authorId: actor.userId, body: message.body, emailMessageId },
      at,
    );
    // A public reply on an email ticket also goes to the requester by email.
    if (emailMessageId) await this.replies.queue(updated, added, at);
    const { body: _body, ...withoutBody } = toTicketMessage(added);
    await this.events.publish(
      ticketMessageAdded,
      { ticket: toTicket(updated), message: withoutBody },
      { tenantId: actor.tenantId, subject: id, entityVersion: updated.version },
    );
    return this.thread.of(updated);
  }
}
