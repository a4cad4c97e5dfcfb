import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../../infrastructure/database/database';

export interface TrackedSendRow {
  tenant_id: string;
  contact_id: string;
  template_id: string;
  template_name: string | null;
  source_kind: string | null;
  source_id: string | null;
}

/** Opens and clicks of tracked mail (email_engagement), and the send they belong to. */
@Injectable()
export class EngagementRepository {
  constructor(private readonly db: Database) {}

  /** The send (its tenant and contact now: a merge moves it to the survivor), with its template's name. */
  findSend(sendId: string): Promise<TrackedSendRow | undefined> {
    return this.db
      .selectFrom('email_send as s')
      .leftJoin('email_template as t', 't.id', 's.template_id')
      .select(['s.tenant_id', 's.contact_id', 's.template_id', 't.name as template_name', 's.source_kind', 's.source_id'])
      .where('s.id', '=', sendId)
      .executeTakeFirst();
  }

  /** True when this is the first of its kind and link for the send (a repeat records nothing). */
  async recordFirst(send: TrackedSendRow & { sendId: string }, kind: string, url: string, at: Date): Promise<boolean> {
    const result = await sql<{ id: string }>`
      INSERT INTO email_engagement (tenant_id, send_id, contact_id, kind, url, url_hash, at)
      VALUES (${send.tenant_id}, ${send.sendId}::uuid, ${send.contact_id}::uuid, ${kind}, ${url}, ${createHash('sha256').update(url).digest('hex')}, ${at})
      ON CONFLICT (send_id, kind, url_hash) DO NOTHING
      RETURNING id`.execute(this.db);
    return result.rows.length === 1;
  }

  async deleteForContact(tenantId: string, contactId: string): Promise<void> {
    await this.db.deleteFrom('email_engagement').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
  }

  async moveToSurvivor(tenantId: string, mergedId: string, survivorId: string): Promise<void> {
    await this.db
      .updateTable('email_engagement')
      .set({ contact_id: survivorId })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', mergedId)
      .execute();
  }
}
