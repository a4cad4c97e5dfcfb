import type { Selectable } from 'kysely';
import type { Ticket, TicketAttachment, TicketMessage } from '@crm/contracts';
import type { Ticket as TicketTable, TicketAttachment as AttachmentTable, TicketMessage as MessageTable } from '../generated/kysely/database';
import { isoTimestamp as iso } from '@crm/service-kit';

export type TicketRow = Selectable<TicketTable>;
export type TicketMessageRow = Selectable<MessageTable>;
export type TicketAttachmentRow = Selectable<AttachmentTable>;


export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    requesterId: row.requester_id,
    requesterEmail: row.requester_email,
    requesterName: row.requester_name,
    channel: row.channel as Ticket['channel'],
    status: row.status as Ticket['status'],
    priority: row.priority as Ticket['priority'],
    groupId: row.group_id,
    assigneeId: row.assignee_id,
    tags: row.tags,
    solvedAt: row.solved_at && iso(row.solved_at),
    slaDueAt: row.sla_due_at && iso(row.sla_due_at),
    satisfaction: row.csat_rating && row.csat_at ? { rating: row.csat_rating as 'good' | 'bad', comment: row.csat_comment, ratedAt: iso(row.csat_at) } : null,
    mergedIntoId: row.merged_into_id,
    customFields: (row.custom_fields ?? {}) as Ticket['customFields'],
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toTicketAttachment(row: TicketAttachmentRow): TicketAttachment {
  return { id: row.id, filename: row.filename, contentType: row.content_type, size: row.size, inline: row.inline };
}

export function toTicketMessage(row: TicketMessageRow, attachments: TicketAttachmentRow[] = []): TicketMessage {
  return {
    id: row.id,
    kind: row.kind as TicketMessage['kind'],
    authorType: row.author_type as TicketMessage['authorType'],
    authorId: row.author_id,
    body: row.body,
    attachments: attachments.map(toTicketAttachment),
    createdAt: iso(row.created_at),
  };
}
