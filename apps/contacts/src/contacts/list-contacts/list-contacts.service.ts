import { Injectable } from '@nestjs/common';
import { listContacts, RpcRequest, RpcResponse } from '@crm/contracts';
import { JsonReply } from '@crm/messaging';
import { cursorKey, keysetPage, sortSpec } from '@crm/service-kit';
import { CursorCodec } from '../../shared/cursor';
import { searchTerms } from '../../shared/search-terms';
import { textKey } from '../../shared/text-keys';
import { CONTACT_SORT_COLUMNS, ContactRepository } from '../contact.repository';

/**
 * One page of contacts: keyset-paginated in the requested sort, or by relevance when `q` is
 * given (the cursor then carries the score). Plain statements, no transaction: nothing is written.
 */
@Injectable()
export class ListContactsService {
  constructor(
    private readonly repository: ContactRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(tenantId: string, request: RpcRequest<typeof listContacts>): Promise<JsonReply<RpcResponse<typeof listContacts>>> {
    const { filter, limit } = request;
    const terms = filter.q ? searchTerms(filter.q) : [];
    const sort = sortSpec(request.sort, CONTACT_SORT_COLUMNS);
    const order = terms.length ? `relevance:${textKey(filter.q)}` : sort.name;
    const cursor = this.cursors.decode(request.cursor, order);
    const rows = await this.repository.list(tenantId, { filter, terms, sort, cursor, limit });
    const { page, nextCursor } = keysetPage(
      rows,
      limit,
      {
        name: order,
        byRelevance: terms.length > 0,
        sortKey: (row) => cursorKey(sortValue(sort.name, row)),
      },
      this.cursors,
    );
    // Postgres wrote each contact as the contract's JSON: the page is handed on without being read here.
    return new JsonReply(`{"data":[${page.map((row) => row.json).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
  }
}

function sortValue(sort: string, row: { sortLastName: string; updatedAt: Date; createdAt: Date }): string | Date {
  const field = sort.replace(/^-/, '');
  return field === 'lastName' ? row.sortLastName : field === 'createdAt' ? row.createdAt : row.updatedAt;
}
