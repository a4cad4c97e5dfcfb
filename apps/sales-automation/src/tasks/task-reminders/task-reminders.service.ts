import { Injectable } from '@nestjs/common';
import { taskReminderDue } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { Clock } from '@crm/service-kit';
import { toTask } from '../task.mapper';
import { TaskRepository } from '../task.repository';

/** Reminders claimed and published per transaction: a crash loses none and repeats none. */
const BATCH = 500;

/** Publishes `sales-automation.task.reminder-due.v1` once for each open task whose reminder time has passed. */
@Injectable()
export class TaskRemindersService {
  constructor(
    private readonly repository: TaskRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /** Every due reminder, batch after batch; how many were published. */
  async publishDue(): Promise<number> {
    let published = 0;
    for (;;) {
      const batch = await this.publishBatch(this.clock.now());
      published += batch;
      if (batch < BATCH) return published;
    }
  }

  @Transactional()
  private async publishBatch(now: Date): Promise<number> {
    const rows = await this.repository.claimDueReminders(now, BATCH);
    await this.events.publishMany(
      taskReminderDue,
      rows.map((row) => {
        const task = toTask(row);
        return { data: { task }, meta: { tenantId: row.tenant_id, subject: task.id, entityVersion: task.version } };
      }),
    );
    return rows.length;
  }
}
