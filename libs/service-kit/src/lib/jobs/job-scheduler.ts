import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type PgBoss from 'pg-boss';

/** How a service runs its jobs: each service's jobs module provides these from its validated config. */
export interface JobSchedulerOptions {
  /** The service's name: names its pg-boss connections. */
  service: string;
  databaseUrl: string;
  /** The Postgres schema of pg-boss's tables (`<SERVICE>_JOBS_SCHEMA`), next to the service's own. */
  schema: string;
  /** Whether this replica schedules and runs jobs (`<SERVICE>_JOBS_ENABLED`). */
  enabled: boolean;
  /** How often an idle worker looks for a job (`<SERVICE>_JOBS_POLL_SECONDS`). */
  pollSeconds: number;
  shutdownTimeoutMs: number;
}
export const JOB_SCHEDULER_OPTIONS = Symbol('JOB_SCHEDULER_OPTIONS');

/** A recurring job: its pg-boss queue, its cron (UTC) and what one run does. */
export interface RecurringJob {
  name: string;
  cron: string;
  run: () => Promise<unknown>;
}

/**
 * Durable scheduled jobs on pg-boss, in the service's own database (schema
 * `<SERVICE>_JOBS_SCHEMA`): schedules and jobs are rows, so they survive restarts, and every
 * replica may run this: pg-boss sends one job per cron tick across all of them (its cron
 * monitor takes a database-wide turn, and the tick's job has a singleton key), and each queue is
 * `singleton` (one job active at a time). A run that throws is retried by pg-boss.
 *
 * Features register their jobs in onModuleInit; they are scheduled and worked at bootstrap.
 * Shutdown stops taking jobs and waits for the one in progress (before the bus flushes its
 * outbox, so a run's events go out with it).
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly jobs = new Map<string, RecurringJob>();
  private readonly boss: PgBoss;
  private started = false;

  constructor(@Inject(JOB_SCHEDULER_OPTIONS) private readonly options: JobSchedulerOptions) {
    // Loaded by the services that run jobs, not with the kit: pg-boss brings cron-parser and luxon.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const PgBossClass = require('pg-boss') as typeof PgBoss;
    this.boss = new PgBossClass({
      connectionString: options.databaseUrl,
      schema: options.schema,
      application_name: `${options.service}-jobs`,
      max: 2,
    });
    this.boss.on('error', (error) => this.logger.error(`pg-boss: ${error.message}`));
  }

  register(job: RecurringJob): void {
    if (this.started) throw new Error(`job ${job.name} registered after start`);
    this.jobs.set(job.name, job);
  }

  /** The registered job's run, as the worker calls it (tests call it directly, with a moved clock). */
  handlerOf(name: string): () => Promise<unknown> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job ${name}`);
    return job.run;
  }

  /** Asks for a run now, as a cron tick would: at most one job per name and minute, whoever asks. */
  async trigger(name: string): Promise<string | null> {
    return this.boss.send(name, {}, { singletonKey: name, singletonSeconds: 60 });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.enabled) return;
    await this.oneReplicaAtATime(async () => {
      await this.boss.start();
      this.started = true;
      for (const job of this.jobs.values()) {
        await this.boss.createQueue(job.name, { name: job.name, policy: 'singleton', retryLimit: 5, retryDelay: 60, retryBackoff: true });
        await this.boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
      }
      // Schedules of jobs no longer registered would fire into queues no one works.
      for (const schedule of await this.boss.getSchedules()) {
        if (!this.jobs.has(schedule.name)) await this.boss.unschedule(schedule.name);
      }
    });
    for (const job of this.jobs.values()) {
      await this.boss.work(job.name, { pollingIntervalSeconds: this.options.pollSeconds }, async () => {
        await job.run();
      });
    }
  }

  /**
   * Replicas starting together ran pg-boss's create_queue at the same moment and one died of a
   * deadlock (40P01, seen in the replica-kill test): queues and schedules are set up by one
   * replica at a time, under a session advisory lock that ending the session releases.
   */
  private async oneReplicaAtATime(setUp: () => Promise<void>): Promise<void> {
    const pool = new Pool({ connectionString: this.options.databaseUrl, application_name: `${this.options.service}-jobs-setup`, max: 1 });
    const session = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    try {
      // One connection for the whole set-up: the lock is held by it until the pool ends it.
      await session.connection().execute(async (connection) => {
        await sql`SELECT pg_advisory_lock(hashtext(${`${this.options.schema}.setup`}))`.execute(connection);
        await setUp();
      });
    } finally {
      await session.destroy().catch(() => undefined);
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: this.options.shutdownTimeoutMs });
  }
}
