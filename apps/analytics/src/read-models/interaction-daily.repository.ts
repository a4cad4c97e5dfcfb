import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';

/** 'YYYY-MM-DD' of a UTC midnight: a date parameter that no session time zone can shift. */
export const isoDay = (day: Date) => day.toISOString().slice(0, 10);

/**
 * One more interaction on each (tenant_id, day, channel) row `source` selects (distinct keys). The
 * interaction fact's insert embeds it as a CTE, so fact and count are written by one statement.
 */
export function countInteractionSql(source: string): string {
  return `INSERT INTO interaction_daily (tenant_id, day, channel, count)
      SELECT d.tenant_id, d.day, d.channel, 1 FROM (${source}) AS d
    ON CONFLICT (tenant_id, day, channel) DO UPDATE SET count = interaction_daily.count + 1`;
}

/** Owns interaction_daily (interactions per tenant, UTC day and channel): its writes are countInteractionSql, run inside the fact insert. */
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
