import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor, createTicket, RpcRequest, ticketCreated, TicketWithThread } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { toTicket } from '../ticket.mapper';
import { TicketFieldValues } from '../../ticket-fields/ticket-field-values';
import { TicketRepository } from '../ticket.repository';
import { TicketThread } from '../ticket-thread';

/**
 * A new ticket with its first message (the requester's words, or what the agent took down), numbered
 * per tenant; `open` when it already has an assignee, else `new`.
 */
@Injectable()
export class CreateTicketService {
  constructor(
    private readonly repository: TicketRepository,
    private readonly thread: TicketThread,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly fields: TicketFieldValues,
  ) {}

  @Transactional()
  async create(actor: Actor, { ticket: input }: RpcRequest<typeof createTicket>): Promise<TicketWithThread> {
    const status = input.assigneeId ? 'open' : 'new';
    const customFields = await this.fields.apply(actor.tenantId, 'ticket.customFields', input.customFields, {}, null, status);
    const at = this.clock.now();
    const number = await this.repository.nextNumber(actor.tenantId);
    const row = await this.repository.insert(
      actor.tenantId,
      {
        id: randomUUID(),
        number,
        subject: input.subject,
        requesterId: input.requesterId,
        channel: input.channel,
        status,
        priority: input.priority,
        groupId: input.groupId,
        assigneeId: input.assigneeId,
        tags: [...new Set(input.tags)],
        customFields,
      },
      at,
    );
    // The first message is the requester's when there is one; an agent's note of a call otherwise.
    await this.repository.insertMessage(
      actor.tenantId,
      {
        id: randomUUID(),
        ticketId: row.id,
        kind: 'public',
        authorType: input.requesterId ? 'customer' : 'agent',
        authorId: input.requesterId ?? actor.userId,
        body: input.body,
      },
      at,
    );
    await this.events.publish(ticketCreated, { ticket: toTicket(row) }, { tenantId: actor.tenantId, subject: row.id, entityVersion: row.version });
    return this.thread.of(row);
  }
}
