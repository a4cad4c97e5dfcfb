import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../app.config';
import { JobScheduler } from '@crm/service-kit';
import { TaskRemindersService } from './task-reminders.service';

/** The pg-boss queue (and schedule) of task reminders. */
export const TASK_REMINDERS_JOB = 'sales-automation.task-reminders';

/** Registers the reminders as a recurring job on `SALES_AUTOMATION_TASK_REMINDER_CRON` (UTC). */
@Injectable()
export class TaskReminderJob implements OnModuleInit {
  constructor(
    private readonly scheduler: JobScheduler,
    private readonly service: TaskRemindersService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: TASK_REMINDERS_JOB, cron: this.config.SALES_AUTOMATION_TASK_REMINDER_CRON, run: () => this.service.publishDue() });
  }
}
