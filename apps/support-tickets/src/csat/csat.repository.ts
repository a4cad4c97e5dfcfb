import { Injectable } from '@nestjs/common';
import { Database } from '../infrastructure/database/database';
import type { TicketRow } from '../tickets/ticket.mapper';

/** A ticket's CSAT columns: when its survey went out, and the requester's rating. */
@Injectable()
export class CsatRepository {
  constructor(private readonly db: Database) {}

  /** A ticket by its id alone: a rating link's signature names the tenant, checked against the row's. */
  ticket(id: string): Promise<TicketRow | undefined> {
    return this.db.selectFrom('ticket').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Marks the survey sent, once per ticket and only before any rating (undefined: sent already, or rated). */
  markSent(tenantId: string, ticketId: string, at: Date): Promise<TicketRow | undefined> {
    return this.db
      .updateTable('ticket')
      .set({ csat_sent_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', ticketId)
      .where('csat_sent_at', 'is', null)
      .where('csat_rating', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** The rating of a solved or closed ticket (again: replaced); the version moves on. Undefined: not solved or closed. */
  rate(tenantId: string, ticketId: string, rating: string, comment: string | null, at: Date): Promise<TicketRow | undefined> {
    return this.db
      .updateTable('ticket')
      .set((eb) => ({ csat_rating: rating, csat_comment: comment, csat_at: at, version: eb('version', '+', 1), updated_at: at }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', ticketId)
      .where('status', 'in', ['solved', 'closed'])
      .returningAll()
      .executeTakeFirst();
  }
}
