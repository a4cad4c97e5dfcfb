import { Controller } from '@nestjs/common';
import { listEnrolments, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { keysetPage } from '@crm/service-kit';
import { SalesCursors } from '../../shared/sales-cursors';
import { EnrolmentRepository } from '../enrolment.repository';
import { toEnrolment } from '../sequence.mapper';

/** The list's one order: newest first (enrolment time, then id). */
const ORDER = '-enrolled';

@Controller()
export class ListEnrolmentsHandler {
  constructor(
    private readonly enrolments: EnrolmentRepository,
    private readonly cursors: SalesCursors,
  ) {}

  @OnRpc(listEnrolments, { scope: 'tenant' })
  async handle({ cursor, limit, filter }: RpcRequest<typeof listEnrolments>, { tenantId }: TenantCallContext) {
    const after = this.cursors.decode(cursor, ORDER);
    const rows = await this.enrolments.list(tenantId, filter, after && { enrolledAt: new Date(String(after.key)), id: after.id }, limit);
    const { page, nextCursor } = keysetPage(
      rows,
      limit,
      { name: ORDER, byRelevance: false, sortKey: (row) => new Date(row.enrolled_at).toISOString() },
      this.cursors,
    );
    return { data: page.map(toEnrolment), nextCursor };
  }
}
