import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import { replaceSearchWordsSql } from '../shared/search-words';

/** Finds what the purge must erase, and tombstones companies (a contact's erasure is erase-contact's). */
@Injectable()
export class PurgeRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * Up to `limit` contacts of any tenant soft-deleted before `deadline` and not yet erased,
   * oldest first, locked for the caller's transaction; rows another purge holds are skipped.
   */
  dueContacts(deadline: Date, limit: number): Promise<{ tenantId: string; id: string }[]> {
    return this.db.$queryRaw<{ tenantId: string; id: string }[]>`
      SELECT tenant_id AS "tenantId", id::text AS id FROM contact
      WHERE deleted_at < ${deadline} AND erased_at IS NULL
      ORDER BY deleted_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
  }

  /** As dueContacts, for companies not yet purged. */
  dueCompanies(deadline: Date, limit: number): Promise<{ tenantId: string; id: string }[]> {
    return this.db.$queryRaw<{ tenantId: string; id: string }[]>`
      SELECT tenant_id AS "tenantId", id::text AS id FROM company
      WHERE deleted_at < ${deadline} AND purged_at IS NULL
      ORDER BY deleted_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
  }

  /**
   * Reduces a company to a tombstone (id, tenant, version, times, `purged_at`) that no read finds,
   * removes its search words (and the words nobody else has) and its name from the search text of
   * contacts that still point at it.
   */
  async tombstoneCompany(tenantId: string, id: string, purgedAt: Date): Promise<void> {
    await this.db.$executeRaw`
      UPDATE company SET
        name = '', sort_name = '', domain = NULL, industry = NULL, phones = '[]'::jsonb, addresses = '[]'::jsonb,
        owner_id = NULL, tags = '{}', custom_fields = '{}'::jsonb, purged_at = ${purgedAt}
      WHERE id = ${id}::uuid AND tenant_id = ${tenantId} AND purged_at IS NULL`;
    await this.db.$executeRaw(replaceSearchWordsSql('company', tenantId, id, []));
    await this.db.$executeRaw`UPDATE contact SET company_search_text = '' WHERE tenant_id = ${tenantId} AND company_id = ${id}::uuid`;
  }
}
