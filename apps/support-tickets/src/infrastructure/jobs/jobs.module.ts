import { Global, Module } from '@nestjs/common';
import { Clock, JOB_SCHEDULER_OPTIONS, JobScheduler, type JobSchedulerOptions } from '@crm/service-kit';
import { AppConfig, SERVICE_NAME } from '../../app.config';

/**
 * Durable scheduled jobs (pg-boss, @crm/service-kit) and the one clock the service's timed work
 * reads (global: tests move it in one place).
 */
@Global()
@Module({
  providers: [
    Clock,
    {
      provide: JOB_SCHEDULER_OPTIONS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): JobSchedulerOptions => ({
        service: SERVICE_NAME,
        databaseUrl: config.SUPPORT_TICKETS_DATABASE_URL,
        schema: config.SUPPORT_TICKETS_JOBS_SCHEMA,
        enabled: config.SUPPORT_TICKETS_JOBS_ENABLED,
        pollSeconds: config.SUPPORT_TICKETS_JOBS_POLL_SECONDS,
        shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      }),
    },
    JobScheduler,
  ],
  exports: [Clock, JobScheduler],
})
export class JobsModule {}
