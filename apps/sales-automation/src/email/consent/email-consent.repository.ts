import { Injectable } from '@nestjs/common';
import { Database } from '../../infrastructure/database/database';

export interface ConsentRow {
  status: string;
  source: string;
  changed_at: Date | string;
}

/** email_consent (the current status; no row: never asked) and its history. */
@Injectable()
export class EmailConsentRepository {
  constructor(private readonly db: Database) {}

  find(tenantId: string, contactId: string): Promise<ConsentRow | undefined> {
    return this.db
      .selectFrom('email_consent')
      .select(['status', 'source', 'changed_at'])
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
  }

  /** The current status of each contact that has one, read at the moment of sending. */
  async statuses(tenantId: string, contactIds: string[]): Promise<Map<string, string>> {
    if (contactIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('email_consent')
      .select(['contact_id', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('contact_id', 'in', [...new Set(contactIds)])
      .execute();
    return new Map(rows.map((r) => [r.contact_id, r.status]));
  }

  /** Locks the row (if any) so that two changes of one contact's consent serialise. */
  findForUpdate(tenantId: string, contactId: string): Promise<ConsentRow | undefined> {
    return this.db
      .selectFrom('email_consent')
      .select(['status', 'source', 'changed_at'])
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .forUpdate()
      .executeTakeFirst();
  }

  async set(tenantId: string, contactId: string, status: string, source: string, at: Date): Promise<void> {
    await this.db
      .insertInto('email_consent')
      .values({ tenant_id: tenantId, contact_id: contactId, status, source, changed_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doUpdateSet({ status, source, changed_at: at }))
      .execute();
    await this.db.insertInto('email_consent_history').values({ tenant_id: tenantId, contact_id: contactId, status, source, at }).execute();
  }

  history(tenantId: string, contactId: string): Promise<{ status: string; source: string; at: Date | string }[]> {
    return this.db
      .selectFrom('email_consent_history')
      .select(['status', 'source', 'at'])
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', contactId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
  }

  async deleteForContact(tenantId: string, contactId: string): Promise<void> {
    await this.db.deleteFrom('email_consent').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
    await this.db.deleteFrom('email_consent_history').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
  }

  async moveHistory(tenantId: string, fromContactId: string, toContactId: string): Promise<void> {
    await this.db
      .updateTable('email_consent_history')
      .set({ contact_id: toContactId })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', fromContactId)
      .execute();
  }
}
