import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '@crm/service-kit';
import { TimedRulesService } from './timed-rules.service';

/** The pg-boss queue (and schedule) of the rules' minute job: schedules, relative dates, waits. */
export const WORKFLOW_RULES_MINUTE_JOB = 'sales-automation.workflow-rules-minute';

@Injectable()
export class TimedRulesJob implements OnModuleInit {
  constructor(
    private readonly scheduler: JobScheduler,
    private readonly service: TimedRulesService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: WORKFLOW_RULES_MINUTE_JOB, cron: '* * * * *', run: () => this.service.tick() });
  }
}
