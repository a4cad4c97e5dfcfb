import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import { replaceCompanySearchWords } from '../companies/company-search-words';

/** Finds what the purge must erase, and tombstones companies (a contact's erasure is erase-contact's). */
@Injectable()
export class PurgeRepository {
  constructor(private readonly db: Database) {}

  /**
   * Up to `limit` contacts of any tenant soft-deleted before `deadline` and not yet erased,
   * oldest first, locked for the caller's transaction; rows another purge holds are skipped.
   */
  dueContacts(deadline: Date, limit: number): Promise<{ tenantId: string; id: string }[]> {
    return this.db
      .selectFrom('contact')
      .select(['tenant_id as tenantId', 'id'])
      .where('deleted_at', '<', deadline)
      .where('erased_at', 'is', null)
      .orderBy('deleted_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /** As dueContacts, for companies not yet purged. */
  dueCompanies(deadline: Date, limit: number): Promise<{ tenantId: string; id: string }[]> {
    return this.db
      .selectFrom('company')
      .select(['tenant_id as tenantId', 'id'])
      .where('deleted_at', '<', deadline)
      .where('purged_at', 'is', null)
      .orderBy('deleted_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /**
   * Reduces a company to a tombstone (id, tenant, version, times, `purged_at`) that no read finds,
   * and removes its search words (and the words nobody else has).
   */
  async tombstoneCompany(tenantId: string, id: string, purgedAt: Date): Promise<void> {
    await this.db
      .updateTable('company')
      .set({
        name: '',
        sort_name: '',
        domain: null,
        industry: null,
        phones: sql`'[]'::jsonb`,
        addresses: sql`'[]'::jsonb`,
        owner_id: null,
        tags: sql`'{}'::text[]`,
        custom_fields: sql`'{}'::jsonb`,
        purged_at: purgedAt,
      })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('purged_at', 'is', null)
      .execute();
    await replaceCompanySearchWords(this.db, tenantId, id, []).execute();
  }
}
