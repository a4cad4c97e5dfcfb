import { Injectable } from '@nestjs/common';
import { AnalyticsSummary, INTERACTION_CHANNELS } from '@crm/contracts';
import { EventLogRepository } from '../event-log/event-log.repository';
import { utcDay } from '../projection/projector';
import { InteractionDailyRepository } from '../read-models/interaction-daily.repository';
import { TenantCountersRepository } from '../read-models/tenant-counters.repository';

const DAY_MS = 24 * 3600_000;

/**
 * The tenant's figures from three index lookups: its counters row, at most 5 × windowDays daily
 * interaction rows, and the newest log row. Nothing here grows with the number of contacts.
 */
@Injectable()
export class GetSummaryService {
  constructor(
    private readonly counters: TenantCountersRepository,
    private readonly daily: InteractionDailyRepository,
    private readonly log: EventLogRepository,
  ) {}

  async summary(tenantId: string, windowDays: number, now = new Date()): Promise<AnalyticsSummary> {
    const today = utcDay(now);
    const firstDay = new Date(today.getTime() - (windowDays - 1) * DAY_MS);
    const [counts, byChannel, lastEventAt] = await Promise.all([
      this.counters.get(tenantId),
      this.daily.countByChannel(tenantId, firstDay, today),
      this.log.lastOccurredAt(tenantId),
    ]);
    const channels = Object.fromEntries(INTERACTION_CHANNELS.map((c) => [c, byChannel.get(c) ?? 0])) as AnalyticsSummary['interactions']['byChannel'];
    const stages = counts.contacts;
    return {
      contacts: { total: stages.lead + stages.prospect + stages.customer + stages.churned, byLifecycleStage: stages },
      companies: { total: counts.companies },
      interactions: { windowDays, total: Object.values(channels).reduce((a, b) => a + b, 0), byChannel: channels },
      asOf: now.toISOString(),
      lastEventAt: lastEventAt?.toISOString() ?? null,
    };
  }
}
