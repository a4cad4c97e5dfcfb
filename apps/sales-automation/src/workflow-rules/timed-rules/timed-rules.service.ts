import { Injectable, Logger } from '@nestjs/common';
import { WorkflowRuleTrigger } from '@crm/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import { Clock } from '@crm/service-kit';
import { CronExpressionParser } from 'cron-parser';
import { RunContext, RunTrigger } from '../run-rules/rule-context';
import { RuleRunner } from '../run-rules/rule-runner.service';
import { runnableOf, RuleDefinition, RuleWithDefinition } from '../workflow-rule.mapper';
import { WorkflowRuleRepository } from '../workflow-rule.repository';
import { WorkflowRuleRunRepository } from '../workflow-rule-run.repository';
import { RelativeDateRepository } from './relative-date.repository';

/** How far back a relative date is still run for (a job down for a while catches up on the last day). */
const RELATIVE_WINDOW_MS = 86_400_000;
const BATCH = 200;

/**
 * The minute job's work, with the injected clock's now: schedule rules whose last cron tick has
 * not run yet, relative-date rules for records whose moment passed, and waits that are due.
 * Each run happens once (the run's unique rule and trigger id); each in its own transaction.
 */
@Injectable()
export class TimedRulesService {
  private readonly logger = new Logger(TimedRulesService.name);

  constructor(
    private readonly rules: WorkflowRuleRepository,
    private readonly runs: WorkflowRuleRunRepository,
    private readonly dates: RelativeDateRepository,
    private readonly runner: RuleRunner,
    private readonly clock: Clock,
  ) {}

  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const rule of await this.rules.enabledOfKind('schedule')) await this.runSchedule(rule, now);
    for (const rule of await this.rules.enabledOfKind('relativeDate')) await this.runRelativeDates(rule, now);
    while ((await this.resumeDueWaits(this.clock.now())) === BATCH);
  }

  /** The last tick at or before now (only the last: ticks missed while the job was down are not all replayed), after the version existed. */
  private async runSchedule(rule: RuleWithDefinition & { version_created_at: Date }, now: Date): Promise<void> {
    const trigger = rule.trigger as Extract<WorkflowRuleTrigger, { kind: 'schedule' }>;
    let tick: Date;
    try {
      tick = CronExpressionParser.parse(trigger.cron, { tz: trigger.timeZone, currentDate: new Date(now.getTime() + 1) })
        .prev()
        .toDate();
    } catch (error) {
      this.logger.warn(`rule ${rule.id}: cron ${trigger.cron} no longer parses: ${(error as Error).message}`);
      return;
    }
    if (tick <= new Date(rule.version_created_at)) return;
    await this.runOnce(runnableOf(rule), {
      id: `schedule:${tick.toISOString()}`,
      type: 'workflow-rule.schedule',
      tenantId: rule.tenant_id,
      time: tick.toISOString(),
      data: { scheduledAt: tick.toISOString() },
      automationDepth: 0,
    });
  }

  private async runRelativeDates(rule: RuleWithDefinition & { version_created_at: Date }, now: Date): Promise<void> {
    const trigger = rule.trigger as Extract<WorkflowRuleTrigger, { kind: 'relativeDate' }>;
    const since = new Date(Math.max(new Date(rule.version_created_at).getTime(), now.getTime() - RELATIVE_WINDOW_MS));
    for (const { record, moment } of await this.dates.due(rule.tenant_id, trigger, since, now, BATCH)) {
      await this.runOnce(runnableOf(rule), {
        id: `relative:${String(record['id'])}:${moment.toISOString()}`,
        type: `workflow-rule.relative-date`,
        tenantId: rule.tenant_id,
        time: moment.toISOString(),
        data: { [trigger.record]: record },
        automationDepth: 0,
      });
    }
  }

  @Transactional()
  private runOnce(rule: RuleDefinition & { id: string; version: number }, trigger: RunTrigger): Promise<void> {
    return this.runner.run(rule, trigger);
  }

  /** Due waits continued with the definition version their run started with; how many were claimed. */
  @Transactional()
  private async resumeDueWaits(now: Date): Promise<number> {
    const waits = await this.runs.claimDueWaits(now, BATCH);
    for (const wait of waits) {
      const run = await this.runs.findRun(wait.run_id);
      if (!run) continue;
      const definition = await this.rules.findVersion(run.tenant_id, run.rule_id, run.rule_version);
      if (!definition) continue;
      const { trigger, context } = wait.context as { trigger: RunTrigger; context: RunContext };
      const rule = { id: run.rule_id, version: run.rule_version, ...(definition as RuleDefinition) };
      await this.runner.resume(run.tenant_id, run.id, rule, trigger, context, wait.next_action, run.steps as never);
    }
    return waits.length;
  }
}
