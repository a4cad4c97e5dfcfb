import { Injectable, OnModuleInit } from '@nestjs/common';
import { AutomationEvents } from '../../automation-ports/automation-events';
import { runnableOf } from '../workflow-rule.mapper';
import { WorkflowRuleRepository } from '../workflow-rule.repository';
import { triggerOf } from './rule-context';
import { RuleRunner } from './rule-runner.service';

/**
 * Runs the tenant's enabled rules triggered by each event type, in the emitting handler's inbox
 * transaction: the run rows, the actions' writes and the inbox record commit together, and a
 * redelivered event finds its runs (once per rule and event id).
 */
@Injectable()
export class EventRulesListener implements OnModuleInit {
  constructor(
    private readonly events: AutomationEvents,
    private readonly rules: WorkflowRuleRepository,
    private readonly runner: RuleRunner,
  ) {}

  onModuleInit(): void {
    this.events.listen('workflow-rules', async (event) => {
      const rules = await this.rules.enabledForEvent(event.tenantId, event.type);
      for (const rule of rules) {
        await this.runner.run(runnableOf(rule), triggerOf(event));
      }
    });
  }
}
