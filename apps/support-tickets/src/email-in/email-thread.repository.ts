import { Injectable } from '@nestjs/common';
import { Database } from '../infrastructure/database/database';
import type { TicketRow } from '../tickets/ticket.mapper';

/** The lookups that thread an inbound email into a ticket, tenant-scoped. */
@Injectable()
export class EmailThreadRepository {
  constructor(private readonly db: Database) {}

  /** The ticket one of these Message-IDs (in or out) belongs to; the first id that matches wins. */
  async byMessageIds(tenantId: string, messageIds: string[]): Promise<TicketRow | undefined> {
    if (!messageIds.length) return undefined;
    const rows = await this.db
      .selectFrom('ticket_message as m')
      .innerJoin('ticket as t', 't.id', 'm.ticket_id')
      .selectAll('t')
      .select('m.email_message_id')
      .where('m.tenant_id', '=', tenantId)
      .where('m.email_message_id', 'in', messageIds)
      .execute();
    const byId = new Map(rows.map(({ email_message_id, ...ticket }) => [email_message_id, ticket as TicketRow]));
    return messageIds.map((id) => byId.get(id)).find(Boolean);
  }

  byReplyToken(tenantId: string, token: string): Promise<TicketRow | undefined> {
    return this.db.selectFrom('ticket').selectAll().where('tenant_id', '=', tenantId).where('reply_token', '=', token).executeTakeFirst();
  }

  byNumber(tenantId: string, number: number): Promise<TicketRow | undefined> {
    return this.db.selectFrom('ticket').selectAll().where('tenant_id', '=', tenantId).where('number', '=', number).executeTakeFirst();
  }

  /** The ticket a merged one was merged into (followed to the last; a ticket not merged is itself). */
  async followMerges(tenantId: string, ticket: TicketRow | undefined): Promise<TicketRow | undefined> {
    let current = ticket;
    // Merges never make a cycle (a merged ticket is closed, and a closed ticket takes no merge); the bound is a guard.
    for (let hop = 0; current?.merged_into_id && hop < 10; hop++) {
      current = await this.db.selectFrom('ticket').selectAll().where('tenant_id', '=', tenantId).where('id', '=', current.merged_into_id).executeTakeFirst();
    }
    return current;
  }

  /** The ticket that already has this Message-ID (the same email delivered again). */
  async withMessage(tenantId: string, messageId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('ticket_message').select('ticket_id').where('tenant_id', '=', tenantId).where('email_message_id', '=', messageId).executeTakeFirst();
    return row?.ticket_id;
  }
}
