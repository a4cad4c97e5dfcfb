import { Injectable } from '@nestjs/common';
import { DataSubjectRequest, listDataSubjectRequests, RpcRequest } from '@crm/contracts';
import { CursorCodec } from '../../shared/cursor';
import { DataSubjectRequestRepository, DataSubjectRequestRow } from '../data-subject-request.repository';

/** The cursor's sort name: newest first, always. */
const NEWEST_FIRST = '-requestedAt';

/** The tenant's data-subject requests, newest first, keyset-paginated. */
@Injectable()
export class ListDataSubjectRequestsService {
  constructor(
    private readonly repository: DataSubjectRequestRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(tenantId: string, request: RpcRequest<typeof listDataSubjectRequests>): Promise<{ data: DataSubjectRequest[]; nextCursor: string | null }> {
    const { limit } = request;
    const cursor = this.cursors.decode(request.cursor, NEWEST_FIRST);
    const after = cursor && { requestedAt: new Date(String(cursor.key)), id: cursor.id };
    const rows = await this.repository.page(tenantId, { after, limit });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? this.cursors.encode({ sort: NEWEST_FIRST, key: last.requestedAt.toISOString(), id: last.id }) : null;
    return { data: page.map(toDataSubjectRequest), nextCursor };
  }
}

function toDataSubjectRequest(row: DataSubjectRequestRow): DataSubjectRequest {
  return {
    id: row.id,
    kind: row.kind as DataSubjectRequest['kind'],
    contactId: row.contactId,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
  };
}
