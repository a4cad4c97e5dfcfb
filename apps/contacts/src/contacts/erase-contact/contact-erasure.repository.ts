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
        search_text = '', company_search_text = '',
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
   * Deletes the sent outbox rows about these entities (the relay keeps sent rows for a while;
   * they hold copies of the contact's data). Unsent rows stay: they must still go out, and the
   * `erased` event published after them tells every consumer to drop what they carried.
   * No index on `subject`: erasure is rare and the retained rows are a few days' worth.
   */
  scrubSentEvents(tenantId: string, subjects: string[]): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM outbox_message
      WHERE tenant_id = ${tenantId} AND sent_at IS NOT NULL AND subject = ANY(${subjects}::text[])`;
  }
}
