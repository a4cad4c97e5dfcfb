import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../../infrastructure/database/prisma.service';
import { replaceSearchWordsSql } from '../../shared/search-words';

/**
 * The irreversible part of erasure: a contact row reduced to a tombstone, and the sent outbox
 * rows that carried its data. The tombstone keeps only id, tenant, version and times (and
 * `erased_at`), so every read that skips erased rows (get, lists, search, duplicates, restore)
 * never sees it again, and a second erasure answers NOT_FOUND.
 */
@Injectable()
export class ContactErasureRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * Blanks every personal column and deletes the emails, phones and search words (the words no
   * other record has leave the tenant's vocabulary too); the row lock it takes makes
   * a concurrent interaction log (which share-locks the contact) wait and then find it gone.
   * Returns the tombstone's version, or null when there is no such unerased contact.
   */
  async tombstone(tenantId: string, id: string, erasedAt: Date): Promise<number | null> {
    const rows = await this.db.$queryRaw<{ version: number }[]>`
      UPDATE contact SET
        first_name = '', last_name = NULL, sort_last_name = '', title = NULL, addresses = '[]'::jsonb,
        company_id = NULL, owner_id = NULL, tags = '{}', lifecycle_stage = 'lead', custom_fields = '{}'::jsonb,
        search_text = '', company_search_text = '', email_list = '[]'::jsonb, phone_list = '[]'::jsonb,
        deleted_at = coalesce(deleted_at, ${erasedAt}), erased_at = ${erasedAt}, updated_at = ${erasedAt}, version = version + 1
      WHERE id = ${id}::uuid AND tenant_id = ${tenantId} AND erased_at IS NULL
      RETURNING version`;
    if (rows.length === 0) return null;
    await this.db.contactEmail.deleteMany({ where: { tenantId, contactId: id } });
    await this.db.contactPhone.deleteMany({ where: { tenantId, contactId: id } });
    await this.db.$executeRaw(replaceSearchWordsSql('contact', tenantId, id, []));
    return rows[0].version;
  }

  /**
   * The unerased contacts merged into this one, directly or through others merged into those
   * (B into A, then A into S: erasing S reaches A and B). Locks them, so a concurrent restore or
   * merge of one of them waits for the erasure and then finds it gone.
   */
  async mergedInto(tenantId: string, id: string): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      WITH RECURSIVE merged AS (
        SELECT c.id FROM contact c WHERE c.tenant_id = ${tenantId} AND c.merged_into_id = ${id}::uuid
        UNION
        SELECT c.id FROM contact c JOIN merged m ON c.merged_into_id = m.id WHERE c.tenant_id = ${tenantId}
      )
      SELECT c.id::text AS id FROM contact c JOIN merged m ON m.id = c.id
      WHERE c.erased_at IS NULL
      ORDER BY c.id
      FOR UPDATE OF c`;
    return rows.map((r) => r.id);
  }

  /**
   * Deletes every outbox row about these entities, sent or not: sent ones are copies the relay
   * keeps for a while, unsent ones would carry the data to the other services after the erasure.
   * The `erased` events published after this are all that is left about them; a consumer may
   * so receive `erased` for a contact it never heard of, and records the tombstone.
   * No index on `subject`: erasure is rare and the retained rows are a few days' worth.
   */
  scrubEvents(tenantId: string, subjects: string[]): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM outbox_message WHERE tenant_id = ${tenantId} AND subject = ANY(${subjects}::text[])`;
  }

  /**
   * Deletes the stored replies of commands that returned these entities' data (the command inbox
   * keeps each command's reply to answer a redelivery). Request ids start with the tenant, so the
   * primary key narrows the scan to the tenant's rows.
   */
  scrubStoredReplies(tenantId: string, ids: string[]): Promise<number> {
    const patterns = ids.map((id) => `%${id}%`);
    return this.db.$executeRaw`
      DELETE FROM command_inbox WHERE request_id LIKE ${`${tenantId}/%`} AND reply::text LIKE ANY(${patterns}::text[])`;
  }
}
