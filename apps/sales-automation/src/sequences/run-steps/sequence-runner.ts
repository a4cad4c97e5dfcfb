import { Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock, JobScheduler, PollingLoop } from '@crm/service-kit';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../../app.config';
import { EnrolmentRepository } from '../enrolment.repository';
import { StepBatch } from './step-batch';

/** The pg-boss job that drains due steps every minute, whatever the replicas' polling does (a backstop and the path tests drive). */
export const SEQUENCE_STEPS_JOB = 'sales-automation.sequence-steps';

/**
 * Takes due enrolments and runs their steps. The waits are rows of sequence_enrolment (due_at),
 * in the service's Postgres: they survive restarts; replicas share the work by SKIP LOCKED and a
 * lease. Each replica polls every SALES_AUTOMATION_SEQUENCE_POLL_MS (the lateness of a due step
 * is about one poll when there is no backlog) with CONCURRENCY batches at once.
 */
@Injectable()
export class SequenceRunner implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollingLoop;
  private draining: Promise<number> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly enrolments: EnrolmentRepository,
    private readonly batch: StepBatch,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    cls: ClsService,
  ) {
    this.loop = new PollingLoop('sequence steps', cls, config.SALES_AUTOMATION_SEQUENCE_POLL_MS, () => this.drain());
  }

  onModuleInit(): void {
    this.scheduler.register({ name: SEQUENCE_STEPS_JOB, cron: '* * * * *', run: () => this.drain() });
  }

  onApplicationBootstrap(): void {
    if (this.config.SALES_AUTOMATION_JOBS_ENABLED) this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.loop.stop();
    await this.draining?.catch(() => undefined);
  }

  /** A new enrolment's first step: looked for shortly (after its transaction has committed), not at the next poll. */
  nudgeSoon(): void {
    this.loop.soon();
  }

  /** Runs batches until nothing is due; one drain at a time per replica (a call meanwhile runs another pass after it). Answers the enrolments run. */
  drain(): Promise<number> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drainAll().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drainAll(): Promise<number> {
    let total = 0;
    do {
      this.again = false;
      const size = this.config.SALES_AUTOMATION_SEQUENCE_BATCH;
      for (;;) {
        const counts = await Promise.all(Array.from({ length: this.config.SALES_AUTOMATION_SEQUENCE_CONCURRENCY }, () => this.runOneBatch(size)));
        total += counts.reduce((a, b) => a + b, 0);
        if (this.stopped || counts.every((count) => count < size)) break;
      }
    } while (this.again && !this.stopped);
    return total;
  }

  private async runOneBatch(size: number): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.enrolments.claimDue(now, new Date(now.getTime() + this.config.SALES_AUTOMATION_SEQUENCE_LEASE_SECONDS * 1000), size);
    await this.batch.run(claimed, now);
    return claimed.length;
  }
}
