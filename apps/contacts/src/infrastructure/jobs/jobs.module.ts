import { Module } from '@nestjs/common';
import { Clock } from '../../shared/clock';
import { JobScheduler } from './job-scheduler';

/** Durable scheduled jobs (pg-boss) and the clock they read; features register their jobs with JobScheduler. */
@Module({
  providers: [Clock, JobScheduler],
  exports: [Clock, JobScheduler],
})
export class JobsModule {}
