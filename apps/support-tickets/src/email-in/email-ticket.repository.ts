import { Injectable } from '@nestjs/common';
import type { OutboxMessageValues } from '@crm/messaging';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { TicketRow } from '../tickets/ticket.mapper';

export interface EmailFirstMessage {
  id: string;
  body: string;
  emailMessageId: string;
}

export interface EmailAttachmentValues {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  inline: boolean;
  storage_key: string;
}

/** The writes of a ticket opened by email. */
@Injectable()
export class EmailTicketRepository {
  constructor(private readonly db: Database) {}

  /**
   * The contact an address's latest linked ticket names (null: none yet): a known sender's new
   * ticket is theirs at once. A merge moves and an erasure clears these, so it is the current one.
   */
  async knownRequester(tenantId: string, email: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('ticket')
      .select('requester_id')
      .where('tenant_id', '=', tenantId)
      .where('requester_email', '=', email)
      .where('requester_id', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.requester_id ?? null;
  }

  /**
   * The ticket, its first message, its attachments and its event's outbox row in one statement
   * (atomic without an interactive transaction: EventPublisher.publishAlong). The message goes in
   * first and everything else only if it did: the unique (tenant, Message-ID) index is the duplicate
   * check. False when the email was already taken.
   */
  async create(ticket: TicketRow, message: EmailFirstMessage, attachments: EmailAttachmentValues[], outbox: OutboxMessageValues): Promise<boolean> {
    const { rows } = await sql<{ created: number }>`
      WITH m AS (
        INSERT INTO ticket_message (id, tenant_id, ticket_id, kind, author_type, author_id, body, created_at, email_message_id)
        VALUES (${message.id}::uuid, ${ticket.tenant_id}, ${ticket.id}::uuid, 'public', 'customer', ${ticket.requester_id}::uuid, ${message.body}, ${ticket.created_at}, ${message.emailMessageId})
        ON CONFLICT (tenant_id, email_message_id) DO NOTHING
        RETURNING id),
      t AS (
        INSERT INTO ticket (id, tenant_id, number, subject, requester_id, channel, status, priority, group_id, assignee_id, tags,
                            requester_email, requester_name, mailbox, reply_token, version, created_at, updated_at)
        SELECT ${ticket.id}::uuid, ${ticket.tenant_id}, ${ticket.number}, ${ticket.subject}, ${ticket.requester_id}::uuid, ${ticket.channel}, ${ticket.status}, ${ticket.priority},
               ${ticket.group_id}::uuid, NULL, ${ticket.tags}::text[], ${ticket.requester_email}, ${ticket.requester_name}, ${ticket.mailbox},
               ${ticket.reply_token}, ${ticket.version}, ${ticket.created_at}, ${ticket.updated_at}
        FROM m
        RETURNING id),
      a AS (
        INSERT INTO ticket_attachment (id, tenant_id, ticket_id, message_id, filename, content_type, size, inline, storage_key, created_at)
        SELECT x.id, ${ticket.tenant_id}, ${ticket.id}::uuid, ${message.id}::uuid, x.filename, x.content_type, x.size, x.inline, x.storage_key, ${ticket.created_at}
        FROM jsonb_to_recordset(${JSON.stringify(attachments)}::jsonb)
             AS x(id uuid, filename text, content_type text, size int, inline boolean, storage_key text)
        WHERE EXISTS (SELECT 1 FROM t)),
      o AS (
        INSERT INTO outbox_message (id, type, routing_key, tenant_id, subject, envelope, headers)
        SELECT ${outbox.id}::uuid, ${outbox.type}, ${outbox.routing_key}, ${outbox.tenant_id}, ${outbox.subject}, ${outbox.envelope}::jsonb, ${outbox.headers}::jsonb
        FROM t)
      SELECT count(*)::int AS created FROM t`.execute(this.db);
    return rows[0].created === 1;
  }
}
