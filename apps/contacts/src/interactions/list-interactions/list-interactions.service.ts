import { Injectable } from '@nestjs/common';
import { Interaction, listInteractions, RpcRequest } from '@crm/contracts';
import { ContactLookup } from '../../contacts/contact-lookup';
import { CursorCodec } from '../../shared/cursor';
import { toInteraction } from '../interaction.mapper';
import { InteractionRepository } from '../interaction.repository';

/** The cursor's sort name: a timeline is always newest first. */
const TIMELINE_ORDER = '-occurredAt';

/**
 * A contact's timeline, newest first, keyset-paginated: entries logged meanwhile (even back-dated
 * ones) neither repeat nor shift a page. A contact deleted within the restore window keeps its
 * timeline readable, as the contact itself is.
 */
@Injectable()
export class ListInteractionsService {
  constructor(
    private readonly lookup: ContactLookup,
    private readonly repository: InteractionRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(tenantId: string, request: RpcRequest<typeof listInteractions>): Promise<{ data: Interaction[]; nextCursor: string | null }> {
    const { contactId, channel, limit } = request;
    const cursor = this.cursors.decode(request.cursor, TIMELINE_ORDER);
    await this.lookup.visible(tenantId, contactId);
    const after = cursor && { occurredAt: new Date(String(cursor.key)), id: cursor.id };
    const rows = await this.repository.page(tenantId, { contactId, channel, after, limit });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? this.cursors.encode({ sort: TIMELINE_ORDER, key: last.occurredAt.toISOString(), id: last.id }) : null;
    return { data: page.map(toInteraction), nextCursor };
  }
}
