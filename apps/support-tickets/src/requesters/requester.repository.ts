import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { TicketRow } from '../tickets/ticket.mapper';

/** What the tickets hold of a requester (a contact), for the contacts service's merge and erasure. */
@Injectable()
export class RequesterRepository {
  constructor(private readonly db: Database) {}

  /**
   * The tickets of an address no contact was known for become the contact's (the contacts service
   * identified the sender), their customer messages too; each ticket's version moves on.
   * The address as written, or lower-cased (the contacts service compares them so): either is an index lookup.
   */
  async link(tenantId: string, email: string, contactId: string, at: Date): Promise<TicketRow[]> {
    const tickets = await this.db
      .updateTable('ticket')
      .set({ requester_id: contactId, version: sql`version + 1`, updated_at: at })
      .where('tenant_id', '=', tenantId)
      .where('requester_email', 'in', [...new Set([email, email.toLowerCase()])])
      .where('requester_id', 'is', null)
      .returningAll()
      .execute();
    if (tickets.length)
      await this.db
        .updateTable('ticket_message')
        .set({ author_id: contactId })
        .where('tenant_id', '=', tenantId)
        .where('ticket_id', 'in', tickets.map((t) => t.id))
        .where('author_type', '=', 'customer')
        .where('author_id', 'is', null)
        .execute();
    return tickets;
  }

  /** The merged contact's tickets and messages become the surviving contact's. */
  async reassign(tenantId: string, fromContactId: string, toContactId: string): Promise<number> {
    const tickets = await this.db
      .updateTable('ticket')
      .set({ requester_id: toContactId })
      .where('tenant_id', '=', tenantId)
      .where('requester_id', '=', fromContactId)
      .executeTakeFirst();
    await this.db
      .updateTable('ticket_message')
      .set({ author_id: toContactId })
      .where('tenant_id', '=', tenantId)
      .where('author_type', '=', 'customer')
      .where('author_id', '=', fromContactId)
      .execute();
    return Number(tickets.numUpdatedRows);
  }

  /**
   * Erases what the contact's tickets say of them: the subject, their address and name, the words
   * of their messages, their attachments' names and the emails sent to them. The tickets stay
   * (numbers, status, times, the agents' replies) so that counts and SLAs still add up.
   */
  async erase(tenantId: string, contactId: string): Promise<number> {
    const tickets = await this.db
      .updateTable('ticket')
      .set({ subject: '(erased)', requester_email: null, requester_name: null })
      .where('tenant_id', '=', tenantId)
      .where('requester_id', '=', contactId)
      .returning('id')
      .execute();
    const ids = tickets.map((t) => t.id);
    if (!ids.length) return 0;
    await this.db
      .updateTable('ticket_message')
      .set({ body: '(erased)' })
      .where('tenant_id', '=', tenantId)
      .where('ticket_id', 'in', ids)
      .where('author_type', '=', 'customer')
      .execute();
    await this.db.updateTable('ticket_attachment').set({ filename: '(erased)' }).where('tenant_id', '=', tenantId).where('ticket_id', 'in', ids).execute();
    await this.db.deleteFrom('outgoing_email').where('tenant_id', '=', tenantId).where('ticket_id', 'in', ids).execute();
    return ids.length;
  }
}
