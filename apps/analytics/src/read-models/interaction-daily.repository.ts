import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';

/** The only reader and writer of interaction_daily (interactions per tenant, UTC day and channel). */
@Injectable()
export class InteractionDailyRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /** `day` is a UTC midnight. */
  async increment(tenantId: string, day: Date, channel: string): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO interaction_daily (tenant_id, day, channel, count) VALUES (${tenantId}, ${day}::date, ${channel}, 1)
      ON CONFLICT (tenant_id, day, channel) DO UPDATE SET count = interaction_daily.count + 1`;
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
