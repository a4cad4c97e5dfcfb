import { Injectable } from '@nestjs/common';
import type { PortalTicketWithThread } from '@crm/contracts';
import { toTicket, toTicketMessage, TicketRow } from '../tickets/ticket.mapper';
import { TicketRepository } from '../tickets/ticket.repository';

/** A ticket as its requester sees it: public messages only (never an internal note), no group, assignee or tags. */
export function toPortalTicket(row: TicketRow) {
  const { id, number, subject, status, channel, createdAt, updatedAt, version } = toTicket(row);
  return { id, number, subject, status, channel, createdAt, updatedAt, version };
}

@Injectable()
export class PortalThread {
  constructor(private readonly repository: TicketRepository) {}

  async of(row: TicketRow): Promise<PortalTicketWithThread> {
    const [messages, attachments] = await Promise.all([this.repository.messages(row.tenant_id, row.id), this.repository.attachments(row.tenant_id, row.id)]);
    return {
      ...toPortalTicket(row),
      messages: messages
        .filter((m) => m.kind === 'public')
        .map((m) => {
          const { id, authorType, body, attachments: files, createdAt } = toTicketMessage(
            m,
            attachments.filter((a) => a.message_id === m.id),
          );
          return { id, authorType, body, attachments: files, createdAt };
        }),
    };
  }
}
