import { Injectable } from '@nestjs/common';
import { Company, RpcRequest, listCompanies } from '@crm/contracts';
import { cursorKey, keysetPage, sortSpec } from '@crm/service-kit';
import { CursorCodec } from '../../shared/cursor';
import { searchTerms } from '../../shared/search-terms';
import { textKey } from '../../shared/text-keys';
import { toCompany } from '../company.mapper';
import { COMPANY_SORT_COLUMNS, CompanyRepository, CompanyRow } from '../company.repository';

/**
 * One page of companies: keyset-paginated in the requested sort, or by relevance when `q` is
 * given (the cursor then carries the score). Plain statements, no transaction: nothing is written.
 */
@Injectable()
export class ListCompaniesService {
  constructor(
    private readonly repository: CompanyRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(tenantId: string, request: RpcRequest<typeof listCompanies>): Promise<{ data: Company[]; nextCursor: string | null }> {
    const { filter, limit } = request;
    const terms = filter.q ? searchTerms(filter.q) : [];
    const sort = sortSpec(request.sort, COMPANY_SORT_COLUMNS);
    const order = terms.length ? `relevance:${textKey(filter.q)}` : sort.name;
    const cursor = this.cursors.decode(request.cursor, order);
    const rows = await this.repository.list(tenantId, { filter, terms, sort, cursor, limit });
    const { page, nextCursor } = keysetPage(
      rows,
      limit,
      { name: order, byRelevance: terms.length > 0, sortKey: (row) => cursorKey(sortValue(sort.name, row)) },
      this.cursors,
    );
    return { data: page.map(toCompany), nextCursor };
  }
}

function sortValue(sort: string, row: CompanyRow): string | Date {
  const field = sort.replace(/^-/, '');
  return field === 'name' ? row.sortName : field === 'createdAt' ? row.createdAt : row.updatedAt;
}
