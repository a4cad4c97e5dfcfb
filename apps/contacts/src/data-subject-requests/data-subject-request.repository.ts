import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '../infrastructure/database/database';
import { DATA_SUBJECT_REQUEST_PROJECTION, DataSubjectRequestRow } from './data-subject-request.table';

export type { DataSubjectRequestRow };
export type DataSubjectRequestKind = 'export' | 'erase';

/** The record of data-subject requests (who exported or erased which contact, when). */
@Injectable()
export class DataSubjectRequestRepository {
  constructor(private readonly database: Database) {}

  /** In the caller's transaction: recorded if and only if the request's work commits. */
  async record(tenantId: string, kind: DataSubjectRequestKind, contactId: string, requestedBy: string, requestedAt: Date): Promise<void> {
    await this.database
      .insertInto('data_subject_request')
      .values({ id: randomUUID(), tenant_id: tenantId, kind, contact_id: contactId, requested_by: requestedBy, requested_at: requestedAt })
      .execute();
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
