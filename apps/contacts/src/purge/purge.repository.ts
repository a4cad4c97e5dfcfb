import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';

/** Finds what the purge must erase; the erasure itself is erase-contact's. */
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
}
