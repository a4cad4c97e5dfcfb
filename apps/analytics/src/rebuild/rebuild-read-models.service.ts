import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { EventLogRepository, ReplayCursor } from '../event-log/event-log.repository';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import { Projector } from '../projection/projector';
import { CompanyViewRepository } from '../read-models/company-view.repository';
import { ContactViewRepository } from '../read-models/contact-view.repository';
import { InteractionDailyRepository } from '../read-models/interaction-daily.repository';
import { InteractionFactRepository } from '../read-models/interaction-fact.repository';
import { TenantCountersRepository } from '../read-models/tenant-counters.repository';
import { TenantLock } from '../read-models/tenant-lock';

const PAGE = 1_000;
/** A tenant is replayed in one transaction (readers see the old figures until it commits). */
const TRANSACTION_TIMEOUT_MS = 30 * 60_000;

export interface RebuildResult {
  tenants: number;
  events: number;
}

/**
 * Throws away a tenant's read models and replays its event log through the same projector the
 * live handlers use. Holding the tenant's lock, it sees every committed event and live events
 * of that tenant wait for it (their transactions may time out and be retried by the consumer).
 */
@Injectable()
export class RebuildReadModelsService {
  private readonly logger = new Logger('RebuildReadModels');

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
    private readonly lock: TenantLock,
    private readonly log: EventLogRepository,
    private readonly projector: Projector,
    private readonly contacts: ContactViewRepository,
    private readonly companies: CompanyViewRepository,
    private readonly interactions: InteractionFactRepository,
    private readonly daily: InteractionDailyRepository,
    private readonly counters: TenantCountersRepository,
  ) {}

  /** One tenant, or every tenant in the log when `tenantId` is absent. */
  async rebuild(tenantId?: string): Promise<RebuildResult> {
    const tenants = tenantId ? [tenantId] : await this.log.tenants();
    let events = 0;
    for (const tenant of tenants) {
      const replayed = await this.rebuildTenant(tenant);
      this.logger.log(`tenant ${tenant}: ${replayed} events replayed`);
      events += replayed;
    }
    return { tenants: tenants.length, events };
  }

  private rebuildTenant(tenantId: string): Promise<number> {
    return this.txHost.withTransaction({ timeout: TRANSACTION_TIMEOUT_MS, maxWait: 10_000 }, async () => {
      await this.lock.acquire(tenantId);
      await this.contacts.deleteTenant(tenantId);
      await this.companies.deleteTenant(tenantId);
      await this.interactions.deleteTenant(tenantId);
      await this.daily.deleteTenant(tenantId);
      await this.counters.deleteTenant(tenantId);
      let cursor: ReplayCursor | null = null;
      let count = 0;
      for (;;) {
        const page = await this.log.replayPage(tenantId, cursor, PAGE);
        for (const event of page) await this.projector.apply(event);
        count += page.length;
        if (page.length < PAGE) return count;
        cursor = page[page.length - 1];
      }
    });
  }
}
