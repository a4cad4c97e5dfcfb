import { Module } from '@nestjs/common';
import { JobsModule } from '../infrastructure/jobs/jobs.module';
import { SalesCursors } from '../shared/sales-cursors';
import { CreateRuleHandler } from './create-rule/create-rule.handler';
import { CreateRuleService } from './create-rule/create-rule.service';
import { DeleteRuleHandler, DeleteRuleService } from './delete-rule/delete-rule.handler';
import { EnableRuleHandler } from './enable-rule/enable-rule.handler';
import { GetRuleHandler } from './get-rule/get-rule.handler';
import { ListRulesHandler } from './list-rules/list-rules.handler';
import { ListRunsHandler } from './list-runs/list-runs.handler';
import { EventRulesListener } from './run-rules/event-rules.listener';
import { RuleActions } from './run-rules/rule-actions';
import { RuleRunner } from './run-rules/rule-runner.service';
import { TestRuleHandler } from './test-rule/test-rule.handler';
import { RelativeDateRepository } from './timed-rules/relative-date.repository';
import { TimedRulesJob } from './timed-rules/timed-rules.job';
import { TimedRulesService } from './timed-rules/timed-rules.service';
import { UpdateRuleHandler } from './update-rule/update-rule.handler';
import { UpdateRuleService } from './update-rule/update-rule.service';
import { WorkflowRuleRunRepository } from './workflow-rule-run.repository';
import { WorkflowRuleRepository } from './workflow-rule.repository';

/** Workflow rules: CRUD with versions, runs on events (AutomationEvents), schedules and relative dates (minute job), dry runs. */
@Module({
  imports: [JobsModule],
  controllers: [CreateRuleHandler, GetRuleHandler, ListRulesHandler, UpdateRuleHandler, DeleteRuleHandler, EnableRuleHandler, ListRunsHandler, TestRuleHandler],
  providers: [
    WorkflowRuleRepository,
    WorkflowRuleRunRepository,
    RelativeDateRepository,
    SalesCursors,
    CreateRuleService,
    UpdateRuleService,
    DeleteRuleService,
    RuleActions,
    RuleRunner,
    EventRulesListener,
    TimedRulesService,
    TimedRulesJob,
  ],
})
export class WorkflowRulesModule {}
