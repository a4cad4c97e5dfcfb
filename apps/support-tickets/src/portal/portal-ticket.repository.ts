import { Injectable } from '@nestjs/common';
import { Database } from '../infrastructure/database/database';
import type { TicketRow } from '../tickets/ticket.mapper';

/**
 * A portal customer's own tickets: every statement is scoped to the tenant AND the requester's
 * address, so another customer's ticket is simply not found (the same 404 as a missing one).
 */
@Injectable()
export class PortalTicketRepository {
  constructor(private readonly db: Database) {}

  /** `forUpdate`: locked until the transaction ends (a reply writes on the version it read). */
  findOwn(tenantId: string, email: string, id: string, { forUpdate = false } = {}): Promise<TicketRow | undefined> {
    return this.db
      .selectFrom('ticket')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('requester_email', '=', email)
      .where('id', '=', id)
      .$if(forUpdate, (q) => q.forUpdate())
      .executeTakeFirst();
  }

  /** Newest first, after the cursor's (created_at, id). */
  listOwn(tenantId: string, email: string, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<TicketRow[]> {
    let select = this.db.selectFrom('ticket').selectAll().where('tenant_id', '=', tenantId).where('requester_email', '=', email);
    if (after) {
      const { createdAt, id } = after;
      select = select.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
    }
    return select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }
}
