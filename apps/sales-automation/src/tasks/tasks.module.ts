import { Module } from '@nestjs/common';
import { JobsModule } from '../infrastructure/jobs/jobs.module';
import { CompleteTaskHandler } from './complete-task/complete-task.handler';
import { CompleteTaskService } from './complete-task/complete-task.service';
import { CreateTaskHandler } from './create-task/create-task.handler';
import { CreateTaskService } from './create-task/create-task.service';
import { DeleteTaskHandler } from './delete-task/delete-task.handler';
import { DeleteTaskService } from './delete-task/delete-task.service';
import { GetTaskHandler } from './get-task/get-task.handler';
import { ListTasksHandler } from './list-tasks/list-tasks.handler';
import { ListTasksService } from './list-tasks/list-tasks.service';
import { TaskReminderJob } from './task-reminders/task-reminder.job';
import { TaskRemindersService } from './task-reminders/task-reminders.service';
import { SalesCursors } from '../shared/sales-cursors';
import { TaskRepository } from './task.repository';
import { UpdateTaskHandler } from './update-task/update-task.handler';
import { UpdateTaskService } from './update-task/update-task.service';

/** Tasks: CRUD, complete, "my open tasks, overdue first", and the reminder job. */
@Module({
  imports: [JobsModule],
  controllers: [CreateTaskHandler, GetTaskHandler, ListTasksHandler, UpdateTaskHandler, DeleteTaskHandler, CompleteTaskHandler],
  providers: [
    TaskRepository,
    SalesCursors,
    CreateTaskService,
    ListTasksService,
    UpdateTaskService,
    DeleteTaskService,
    CompleteTaskService,
    TaskRemindersService,
    TaskReminderJob,
  ],
})
export class TasksModule {}
