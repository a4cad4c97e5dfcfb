import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';

/** Owns interaction_daily (interactions per tenant, UTC day and channel): counted by the fact insert (interaction-fact.table.ts). */
@Injectable()
export class InteractionDailyRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /** Interactions by channel from `firstDay` to `lastDay` (UTC days, both included). */
  async countByChannel(tenantId: string, firstDay: Date, lastDay: Date): Promise<Map<string, number>> {
    const rows = await this.db.interactionDaily.groupBy({
      by: ['channel'],
      where: { tenantId, day: { gte: firstDay, lte: lastDay } },
      _sum: { count: true },
    });
    return new Map(rows.map((r) => [r.channel, r._sum.count ?? 0]));
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.interactionDaily.deleteMany({ where: { tenantId } });
  }

  all(tenantId: string) {
    return this.db.interactionDaily.findMany({ where: { tenantId }, orderBy: [{ day: 'asc' }, { channel: 'asc' }] });
  }
}
