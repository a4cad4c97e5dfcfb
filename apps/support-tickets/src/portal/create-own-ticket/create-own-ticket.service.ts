import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PortalTicketWithThread, ticketCreated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { toTicket } from '../../tickets/ticket.mapper';
import { TicketRepository } from '../../tickets/ticket.repository';
import { PortalThread } from '../portal-view';

/**
 * A ticket a customer opens from the portal, a chat or the web form: theirs by address, in the
 * given group or the tenant's first mailbox's, answered by email through that mailbox.
 */
@Injectable()
export class CreateOwnTicketService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly thread: PortalThread,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async create(tenantId: string, email: string, input: { subject: string; body: string | null; channel: string; groupId?: string | null; requesterName?: string | null }) {
    const at = this.clock.now();
    const number = await this.tickets.nextNumber(tenantId);
    const mailbox = await this.tickets.firstMailbox(tenantId);
    const row = await this.tickets.insert(
      tenantId,
      {
        id: randomUUID(),
        number,
        subject: input.subject,
        requesterId: null,
        requesterEmail: email,
        requesterName: input.requesterName ?? null,
        channel: input.channel,
        status: 'new',
        priority: 'normal',
        groupId: input.groupId ?? mailbox?.group_id ?? null,
        assigneeId: null,
        tags: [],
        mailbox: mailbox?.address ?? null,
        replyToken: mailbox ? randomBytes(10).toString('hex') : null,
      },
      at,
    );
    if (input.body !== null) {
      await this.tickets.insertMessage(tenantId, { id: randomUUID(), ticketId: row.id, kind: 'public', authorType: 'customer', authorId: null, body: input.body }, at);
    }
    await this.events.publish(ticketCreated, { ticket: toTicket(row) }, { tenantId, subject: row.id, entityVersion: row.version });
    return row;
  }

  async createWithThread(tenantId: string, email: string, ticket: { subject: string; body: string }): Promise<PortalTicketWithThread> {
    return this.thread.of(await this.create(tenantId, email, { ...ticket, channel: 'portal' }));
  }
}
