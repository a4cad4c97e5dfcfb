import { Module } from '@nestjs/common';
import { TasksController } from './tasks.controller';

/** The tasks routes, answered by the sales-automation service over the bus. */
@Module({ controllers: [TasksController] })
export class TasksRoutesModule {}
