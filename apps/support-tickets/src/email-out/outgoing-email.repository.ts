import { Injectable } from '@nestjs/common';
import { type Selectable, sql } from 'kysely';
import type { OutgoingEmail } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type OutgoingEmailRow = Selectable<OutgoingEmail>;

export interface NewOutgoingEmail {
  id: string;
  /** Null for mail about no ticket (a portal sign-in link). */
  ticketId: string | null;
  messageId: string | null;
  toAddress: string;
  fromAddress: string;
  subject: string;
  body: string;
  emailMessageId: string;
  inReplyTo: string | null;
  references: string[];
  replyTo: string | null;
}

/** Replies waiting for, or done with, the mail sender. */
@Injectable()
export class OutgoingEmailRepository {
  constructor(private readonly db: Database) {}

  async insert(tenantId: string, email: NewOutgoingEmail, at: Date): Promise<void> {
    await this.db
      .insertInto('outgoing_email')
      .values({
        id: email.id,
        tenant_id: tenantId,
        ticket_id: email.ticketId,
        message_id: email.messageId,
        to_address: email.toAddress,
        from_address: email.fromAddress,
        subject: email.subject,
        body: email.body,
        email_message_id: email.emailMessageId,
        in_reply_to: email.inReplyTo,
        references: email.references,
        reply_to: email.replyTo,
        next_attempt_at: at,
        created_at: at,
      })
      .execute();
  }

  /** Pending emails due now, leased to this sender until `leaseUntil` (another replica skips them meanwhile). */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<OutgoingEmailRow[]> {
    const { rows } = await sql<OutgoingEmailRow>`
      UPDATE outgoing_email SET next_attempt_at = ${leaseUntil}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outgoing_email WHERE status = 'pending' AND next_attempt_at <= ${now}
        ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(this.db);
    return rows;
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.db.updateTable('outgoing_email').set({ status: 'sent', sent_at: at, last_error: null }).where('id', '=', id).execute();
  }

  /** Tries again at `retryAt`, or gives up (failed) when there is none. */
  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.db
      .updateTable('outgoing_email')
      .set({ last_error: error.slice(0, 1_000), ...(retryAt ? { next_attempt_at: retryAt } : { status: 'failed' }) })
      .where('id', '=', id)
      .execute();
  }

  byTicket(tenantId: string, ticketId: string): Promise<OutgoingEmailRow[]> {
    return this.db.selectFrom('outgoing_email').selectAll().where('tenant_id', '=', tenantId).where('ticket_id', '=', ticketId).orderBy('created_at').execute();
  }
}
