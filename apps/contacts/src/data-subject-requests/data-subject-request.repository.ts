import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { DataSubjectRequest as DataSubjectRequestRow } from '../generated/prisma/client';
import type { PrismaService } from '../infrastructure/database/prisma.service';

export type { DataSubjectRequestRow };
export type DataSubjectRequestKind = 'export' | 'erase';

/** The record of data-subject requests (who exported or erased which contact, when); the only code that touches its table. */
@Injectable()
export class DataSubjectRequestRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /** In the caller's transaction: recorded if and only if the request's work commits. */
  async record(tenantId: string, kind: DataSubjectRequestKind, contactId: string, requestedBy: string, requestedAt: Date): Promise<void> {
    await this.db.dataSubjectRequest.create({ data: { tenantId, kind, contactId, requestedBy, requestedAt } });
  }

  /** Newest first, (requested_at DESC, id DESC); limit + 1 rows (the extra one says there is a next page). */
  page(tenantId: string, query: { after?: { requestedAt: Date; id: string }; limit: number }): Promise<DataSubjectRequestRow[]> {
    const { after, limit } = query;
    return this.db.dataSubjectRequest.findMany({
      where: {
        tenantId,
        ...(after && { OR: [{ requestedAt: { lt: after.requestedAt } }, { requestedAt: after.requestedAt, id: { lt: after.id } }] }),
      },
      orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
  }
}
