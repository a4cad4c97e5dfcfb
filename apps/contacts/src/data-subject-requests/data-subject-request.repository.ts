import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { Database } from '../infrastructure/database/database';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import { DATA_SUBJECT_REQUEST_PROJECTION, DataSubjectRequestRow } from './data-subject-request.table';

export type { DataSubjectRequestRow };
export type DataSubjectRequestKind = 'export' | 'erase';

/** The record of data-subject requests (who exported or erased which contact, when). */
@Injectable()
export class DataSubjectRequestRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
    private readonly database: Database,
  ) {}

  /** In the caller's transaction: recorded if and only if the request's work commits. */
  async record(tenantId: string, kind: DataSubjectRequestKind, contactId: string, requestedBy: string, requestedAt: Date): Promise<void> {
    await this.txHost.tx.dataSubjectRequest.create({ data: { tenantId, kind, contactId, requestedBy, requestedAt } });
  }

  /** Newest first, (requested_at DESC, id DESC); limit + 1 rows (the extra one says there is a next page). */
  page(tenantId: string, query: { after?: { requestedAt: Date; id: string }; limit: number }): Promise<DataSubjectRequestRow[]> {
    const { after, limit } = query;
    return this.database
      .selectFrom('data_subject_request')
      .select(DATA_SUBJECT_REQUEST_PROJECTION)
      .where('tenant_id', '=', tenantId)
      .$if(after !== undefined, (q) =>
        q.where((eb) => {
          const { requestedAt, id } = after as { requestedAt: Date; id: string };
          return eb.or([eb('requested_at', '<', requestedAt), eb.and([eb('requested_at', '=', requestedAt), eb('id', '<', id)])]);
        }),
      )
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }
}
