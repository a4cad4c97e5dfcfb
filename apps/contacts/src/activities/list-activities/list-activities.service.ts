import { Injectable } from '@nestjs/common';
import { ContactActivity, listContactActivities, RpcRequest } from '@crm/contracts';
import { ContactLookup } from '../../contacts/contact-lookup';
import { CursorCodec } from '../../shared/cursor';
import { ActivityRepository, ActivityRow } from '../activity.repository';

/** The cursor's sort name: newest first, as the interaction timeline. */
const TIMELINE_ORDER = '-occurredAt';

function toActivity(row: ActivityRow): ContactActivity {
  return { ...row, occurredAt: row.occurredAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** A contact's orders and deals, newest first, keyset-paginated like its interactions. */
@Injectable()
export class ListActivitiesService {
  constructor(
    private readonly lookup: ContactLookup,
    private readonly repository: ActivityRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(tenantId: string, request: RpcRequest<typeof listContactActivities>): Promise<{ data: ContactActivity[]; nextCursor: string | null }> {
    const { contactId, kind, limit } = request;
    const cursor = this.cursors.decode(request.cursor, TIMELINE_ORDER);
    await this.lookup.visible(tenantId, contactId);
    const after = cursor && { occurredAt: new Date(String(cursor.key)), id: cursor.id };
    const rows = await this.repository.page(tenantId, { contactId, kind, after, limit });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? this.cursors.encode({ sort: TIMELINE_ORDER, key: last.occurredAt.toISOString(), id: last.id }) : null;
    return { data: page.map(toActivity), nextCursor };
  }
}
