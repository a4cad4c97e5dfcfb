import { Injectable } from '@nestjs/common';
import { sql, SqlBool } from 'kysely';
import { Database } from '../../infrastructure/database/database';
import { replaceContactSearchWords } from '../../shared/search-words';

/**
 * The irreversible part of erasure: a contact row reduced to a tombstone, and the sent outbox
 * rows that carried its data. The tombstone keeps only id, tenant, version and times (and
 * `erased_at`), so every read that skips erased rows (get, lists, search, duplicates, restore)
 * never sees it again, and a second erasure answers NOT_FOUND.
 */
@Injectable()
export class ContactErasureRepository {
  constructor(private readonly db: Database) {}

  /**
   * Blanks every personal column and deletes the emails, phones and search words (the words no
   * other record has leave the tenant's vocabulary too); the row lock it takes makes
   * a concurrent interaction log (which share-locks the contact) wait and then find it gone.
   * Returns the tombstone's version, or null when there is no such unerased contact.
   */
  async tombstone(tenantId: string, id: string, erasedAt: Date): Promise<number | null> {
    const tombstone = await this.db
      .updateTable('contact')
      .set((eb) => ({
        first_name: '',
        last_name: null,
        sort_last_name: '',
        title: null,
        addresses: '[]',
        company_id: null,
        owner_id: null,
        tags: [],
        lifecycle_stage: 'lead',
        custom_fields: '{}',
        email_list: '[]',
        phone_list: '[]',
        deleted_at: eb.fn.coalesce('deleted_at', sql<Date>`${erasedAt}::timestamptz`),
        erased_at: erasedAt,
        updated_at: erasedAt,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('erased_at', 'is', null)
      .returning('version')
      .executeTakeFirst();
    if (!tombstone) return null;
    await this.db.deleteFrom('contact_email').where('tenant_id', '=', tenantId).where('contact_id', '=', id).execute();
    await this.db.deleteFrom('contact_phone').where('tenant_id', '=', tenantId).where('contact_id', '=', id).execute();
    await replaceContactSearchWords(this.db, tenantId, id, 'every link', []).execute();
    return tombstone.version;
  }

  /**
   * The unerased contacts merged into this one, directly or through others merged into those
   * (B into A, then A into S: erasing S reaches A and B). Locks them, so a concurrent restore or
   * merge of one of them waits for the erasure and then finds it gone.
   */
  async mergedInto(tenantId: string, id: string): Promise<string[]> {
    const rows = await this.db
      .withRecursive('merged(id)', (q) =>
        q
          .selectFrom('contact as c')
          .select('c.id')
          .where('c.tenant_id', '=', tenantId)
          .where('c.merged_into_id', '=', id)
          .union(q.selectFrom('contact as c').innerJoin('merged as m', 'm.id', 'c.merged_into_id').select('c.id').where('c.tenant_id', '=', tenantId)),
      )
      .selectFrom('contact as c')
      .innerJoin('merged as m', 'm.id', 'c.id')
      .select('c.id')
      .where('c.erased_at', 'is', null)
      .orderBy('c.id')
      .forUpdate('c')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Deletes every outbox row about these entities, sent or not: sent ones are copies the relay
   * keeps for a while, unsent ones would carry the data to the other services after the erasure.
   * The `erased` events published after this are all that is left about them; a consumer may
   * so receive `erased` for a contact it never heard of, and records the tombstone.
   * No index on `subject`: erasure is rare and the retained rows are a few days' worth.
   */
  async scrubEvents(tenantId: string, subjects: string[]): Promise<void> {
    await this.db
      .deleteFrom('outbox_message')
      .where('tenant_id', '=', tenantId)
      .where(sql<SqlBool>`subject = ANY(${subjects}::text[])`)
      .execute();
  }

  /**
   * Deletes the stored replies of commands that returned these entities' data (the command inbox
   * keeps each command's reply to answer a redelivery). Request ids start with the tenant, so the
   * primary key narrows the scan to the tenant's rows.
   */
  async scrubStoredReplies(tenantId: string, ids: string[]): Promise<void> {
    const patterns = ids.map((id) => `%${id}%`);
    await this.db
      .deleteFrom('command_inbox')
      .where('request_id', 'like', `${tenantId}/%`)
      .where(sql<SqlBool>`reply::text LIKE ANY(${patterns}::text[])`)
      .execute();
  }
}
