import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../../infrastructure/database/database';

export interface SendClaim {
  id: string;
  sendKey: string;
  contactId: string;
  templateId: string;
  purpose: string;
  sourceKind: string | null;
  sourceId: string | null;
  messageId: string;
}

export interface ClaimedSend {
  id: string;
  send_key: string;
  message_id: string;
  status: string;
}

/** The send log (email_send): one row per (tenant, send key), which is what makes a send idempotent. */
@Injectable()
export class EmailSendRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims every key at once: new keys get the given row (status `sending`); a key claimed before
   * keeps its row, returned as it is (`sent`: done; `sending`: a send cut short, to send again with
   * the same Message-ID).
   */
  async claim(tenantId: string, claims: SendClaim[]): Promise<Map<string, ClaimedSend>> {
    if (claims.length === 0) return new Map();
    await this.db
      .insertInto('email_send')
      .values(
        claims.map((c) => ({
          id: c.id,
          tenant_id: tenantId,
          send_key: c.sendKey,
          contact_id: c.contactId,
          template_id: c.templateId,
          purpose: c.purpose,
          source_kind: c.sourceKind,
          source_id: c.sourceId,
          message_id: c.messageId,
          status: 'sending',
        })),
      )
      .onConflict((oc) => oc.columns(['tenant_id', 'send_key']).doNothing())
      .execute();
    const rows = await this.db
      .selectFrom('email_send')
      .select(['id', 'send_key', 'message_id', 'status'])
      .where('tenant_id', '=', tenantId)
      .where(
        'send_key',
        'in',
        claims.map((c) => c.sendKey),
      )
      .execute();
    return new Map(rows.map((r) => [r.send_key, r]));
  }

  /** The tenant and contact of one message (an unsubscribe link names only the contact and the send). */
  findById(id: string): Promise<{ tenant_id: string; contact_id: string } | undefined> {
    return this.db.selectFrom('email_send').select(['tenant_id', 'contact_id']).where('id', '=', id).executeTakeFirst();
  }

  async markSent(tenantId: string, ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('email_send').set({ status: 'sent', sent_at: at }).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  }

  /** The contact's sends are personal data: erasure deletes them. */
  async deleteForContact(tenantId: string, contactId: string): Promise<void> {
    await this.db.deleteFrom('email_send').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
  }

  async moveToSurvivor(tenantId: string, fromContactId: string, toContactId: string): Promise<void> {
    await this.db
      .updateTable('email_send')
      .set({ contact_id: toContactId })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', fromContactId)
      .execute();
  }

  /** For tests and benchmarks: how many rows are in each status. */
  async countByStatus(tenantId: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('email_send')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
