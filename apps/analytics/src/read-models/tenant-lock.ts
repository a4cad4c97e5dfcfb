import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { Database } from '../infrastructure/database/database';
import type { PrismaService } from '../infrastructure/database/prisma.service';

/**
 * One writer per tenant at a time: the event handlers and a rebuild take this transaction-scoped
 * advisory lock before touching the tenant's log and read models. Events of one tenant then
 * apply one after the other (merges, erasures and counters need no finer locking and cannot
 * deadlock), other tenants' in parallel.
 */
@Injectable()
export class TenantLock {
  /**
   * Tenants already locked, per transaction (its client): a batch of deliveries applied in one
   * transaction takes each tenant's lock once, not once per event (a statement each).
   */
  private readonly held = new WeakMap<object, Set<string>>();

  constructor(
    private readonly db: Database,
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
  ) {}

  /** Must be called inside a transaction; released when it ends. */
  async acquire(tenantId: string): Promise<void> {
    const tx = this.txHost.tx;
    const inTransaction = this.txHost.isTransactionActive();
    const held = inTransaction ? (this.held.get(tx) ?? new Set<string>()) : undefined;
    if (held?.has(tenantId)) return;
    // The lock function returns void: selected FROM, the statement answers a plain row.
    await this.db
      .selectFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.fn('hashtextextended', [eb.val(`analytics:tenant:${tenantId}`), eb.lit(0)])]).as('lock'))
      .select((eb) => eb.lit(true).as('locked'))
      .execute();
    if (held) this.held.set(tx, held.add(tenantId));
  }
}
