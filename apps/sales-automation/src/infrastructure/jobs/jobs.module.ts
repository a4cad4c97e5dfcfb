import { Module } from '@nestjs/common';
import { Clock, JOB_SCHEDULER_OPTIONS, JobScheduler, OffsetFileClock, type JobSchedulerOptions } from '@crm/service-kit';
import { AppConfig, SERVICE_NAME } from '../../app.config';

/** Durable scheduled jobs (pg-boss, @crm/service-kit) and the clock they read; features register their jobs with JobScheduler. */
@Module({
  providers: [
    {
      provide: Clock,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Clock =>
        config.SALES_AUTOMATION_CLOCK_OFFSET_FILE ? new OffsetFileClock(config.SALES_AUTOMATION_CLOCK_OFFSET_FILE) : new Clock(),
    },
    {
      provide: JOB_SCHEDULER_OPTIONS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): JobSchedulerOptions => ({
        service: SERVICE_NAME,
        databaseUrl: config.SALES_AUTOMATION_DATABASE_URL,
        schema: config.SALES_AUTOMATION_JOBS_SCHEMA,
        enabled: config.SALES_AUTOMATION_JOBS_ENABLED,
        pollSeconds: config.SALES_AUTOMATION_JOBS_POLL_SECONDS,
        shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      }),
    },
    JobScheduler,
  ],
  exports: [Clock, JobScheduler],
})
export class JobsModule {}
