import { Module } from '@nestjs/common';
import { WorkflowRulesController } from './workflow-rules.controller';

/** The workflow-rules routes, answered by the sales-automation service over the bus. */
@Module({ controllers: [WorkflowRulesController] })
export class WorkflowRulesRoutesModule {}
