import { Module } from '@nestjs/common';
import { Clock, JOB_SCHEDULER_OPTIONS, JobScheduler, type JobSchedulerOptions } from '@crm/service-kit';
import { AppConfig, SERVICE_NAME } from '../../app.config';

/** Durable scheduled jobs (pg-boss, @crm/service-kit) and the clock they read; features register their jobs with JobScheduler. */
@Module({
  providers: [
    Clock,
    {
      provide: JOB_SCHEDULER_OPTIONS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): JobSchedulerOptions => ({
        service: SERVICE_NAME,
        databaseUrl: config.INTEGRATION_GATEWAY_DATABASE_URL,
        schema: config.INTEGRATION_GATEWAY_JOBS_SCHEMA,
        enabled: config.INTEGRATION_GATEWAY_JOBS_ENABLED,
        pollSeconds: config.INTEGRATION_GATEWAY_JOBS_POLL_SECONDS,
        shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      }),
    },
    JobScheduler,
  ],
  exports: [Clock, JobScheduler],
})
export class JobsModule {}
