import type { Selectable } from 'kysely';
import type { Ticket, TicketMessage } from '@crm/contracts';
import type { Ticket as TicketTable, TicketMessage as MessageTable } from '../generated/kysely/database';

export type TicketRow = Selectable<TicketTable>;
export type TicketMessageRow = Selectable<MessageTable>;

const iso = (value: Date | string): string => new Date(value).toISOString();

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    requesterId: row.requester_id,
    channel: row.channel as Ticket['channel'],
    status: row.status as Ticket['status'],
    priority: row.priority as Ticket['priority'],
    groupId: row.group_id,
    assigneeId: row.assignee_id,
    tags: row.tags,
    solvedAt: row.solved_at && iso(row.solved_at),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toTicketMessage(row: TicketMessageRow): TicketMessage {
  return {
    id: row.id,
    kind: row.kind as TicketMessage['kind'],
    authorType: row.author_type as TicketMessage['authorType'],
    authorId: row.author_id,
    body: row.body,
    createdAt: iso(row.created_at),
  };
}
