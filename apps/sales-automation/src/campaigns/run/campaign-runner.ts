import { Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock, JobScheduler, PollingLoop } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../../app.config';
import { CampaignEvents } from '../campaign-events';
import { CampaignRow } from '../campaign.mapper';
import { CampaignRepository } from '../campaign.repository';
import { RecipientBatch } from './recipient-batch';

/** The pg-boss job that launches and sends due campaigns every minute, whatever the replicas' polling does. */
export const CAMPAIGN_SENDS_JOB = 'sales-automation.campaign-sends';
const LAUNCHES_PER_PASS = 20;

/**
 * Launches scheduled campaigns when their time comes (the segment resolved once into recipients,
 * spaced by the send rate; an empty segment fails the campaign with SEGMENT_EMPTY), sends to due
 * recipients in batches (SKIP LOCKED and a lease, like the sequences' runner, with the same poll,
 * batch and lease settings), and marks finished campaigns sent.
 */
@Injectable()
export class CampaignRunner implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollingLoop;
  private draining: Promise<number> | undefined;

  constructor(
    private readonly repository: CampaignRepository,
    private readonly batch: RecipientBatch,
    private readonly campaignEvents: CampaignEvents,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    cls: ClsService,
  ) {
    this.loop = new PollingLoop('campaign sends', cls, config.SALES_AUTOMATION_SEQUENCE_POLL_MS, () => this.drain());
  }

  onModuleInit(): void {
    this.scheduler.register({ name: CAMPAIGN_SENDS_JOB, cron: '* * * * *', run: () => this.drain() });
  }

  onApplicationBootstrap(): void {
    if (this.config.SALES_AUTOMATION_JOBS_ENABLED) this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.loop.stop();
    await this.draining?.catch(() => undefined);
  }

  /** Launches what is due, sends every due recipient, finishes what is done; one pass at a time per replica. Answers the recipients handled. */
  drain(): Promise<number> {
    this.draining ??= this.drainAll().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drainAll(): Promise<number> {
    while ((await this.launch()) === LAUNCHES_PER_PASS);
    let total = 0;
    for (;;) {
      const size = this.config.SALES_AUTOMATION_SEQUENCE_BATCH;
      const now = this.clock.now();
      const claimed = await this.repository.claimRecipients(now, new Date(now.getTime() + this.config.SALES_AUTOMATION_SEQUENCE_LEASE_SECONDS * 1000), size);
      if (claimed.length) await this.repository.complete(await this.batch.run(claimed), this.clock.now());
      total += claimed.length;
      if (claimed.length < size) break;
    }
    await this.finish();
    return total;
  }

  @Transactional()
  private async launch(): Promise<number> {
    const now = this.clock.now();
    const launched = await this.repository.launchDue(now, LAUNCHES_PER_PASS);
    const failed: CampaignRow[] = [];
    for (const campaign of launched) {
      if ((await this.repository.insertRecipients(campaign, now)) > 0) continue;
      const row = await this.repository.update(
        campaign.tenant_id,
        campaign.id,
        campaign.version,
        { status: 'failed', errorCode: 'SEGMENT_EMPTY', finishedAt: now },
        now,
      );
      if (row) failed.push(row);
    }
    const started = launched.filter((c) => !failed.some((f) => f.id === c.id));
    await this.campaignEvents.updated(await Promise.all(started.map(async (c) => (await this.repository.find(c.tenant_id, c.id))!)), [
      'status',
      'startedAt',
      'counts',
    ]);
    await this.campaignEvents.updated(failed, ['status', 'errorCode']);
    return launched.length;
  }

  @Transactional()
  private async finish(): Promise<void> {
    await this.campaignEvents.updated(await this.repository.finishDone(this.clock.now()), ['status', 'finishedAt', 'counts']);
  }
}
