import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, WorkflowRuleAction, WorkflowRuleRun, workflowRuleRunFailed } from '@crm/contracts';
import { EventPublisher, MessageContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { conditionHolds } from '../rule-definition/rule-condition';
import { RunError } from '../workflow-rule-errors';
import type { RuleDefinition } from '../workflow-rule.mapper';
import { NewRun, WorkflowRuleRunRepository } from '../workflow-rule-run.repository';
import { toWorkflowRuleRun } from '../workflow-rule.mapper';
import { RuleActions, stepErrorOf } from './rule-actions';
import { contextOf, RunContext, RunTrigger } from './rule-context';

/** A run caused by an event this many automation steps deep is skipped: a rule that triggers itself stops here. */
export const MAX_AUTOMATION_DEPTH = 5;

type Step = WorkflowRuleRun['steps'][number];
export interface RunOutcome {
  status: WorkflowRuleRun['status'];
  errorCode: string | null;
  errorMessage: string | null;
  steps: Step[];
  conditionMatched: boolean;
}
/** The rule a run belongs to: its id and the definition version it runs (kept after a wait, whatever the rule became). */
export interface RunnableRule extends RuleDefinition {
  id: string;
  version: number;
}

const WAIT_MS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000 } as const;

/**
 * Runs a rule for a trigger once: depth limit, condition, then the actions in order, each a
 * recorded step; a wait action stores the rest as a durable wait (the minute job continues it).
 * Run errors (a missing field, an unavailable port, a feature's refusal) are recorded on the run,
 * never thrown; an unexpected error (the database) is thrown, so the inbox or the job retries the
 * whole run with nothing of it kept.
 */
@Injectable()
export class RuleRunner {
  constructor(
    private readonly runs: WorkflowRuleRunRepository,
    private readonly actions: RuleActions,
    private readonly context: MessageContext,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async run(rule: RunnableRule, trigger: RunTrigger): Promise<void> {
    if (await this.runs.exists(rule.id, trigger.id)) return;
    const runId = randomUUID();
    const startedAt = this.clock.now();
    const outcome = await this.evaluate(rule, trigger, { runId, dryRun: false });
    const run: NewRun = {
      id: runId,
      ruleId: rule.id,
      ruleVersion: rule.version,
      triggerEventId: trigger.id,
      triggerEventType: trigger.type,
      status: outcome.status,
      errorCode: outcome.errorCode,
      errorMessage: outcome.errorMessage,
      steps: outcome.steps,
      startedAt,
      finishedAt: outcome.status === 'waiting' ? null : this.clock.now(),
    };
    await this.runs.insert(trigger.tenantId, run);
    if (run.status === 'failed') await this.publishFailed(trigger, run);
  }

  /** One level deeper than the trigger, so a rule on run-failed that fails cannot loop for ever. */
  private publishFailed(trigger: RunTrigger, run: NewRun): Promise<unknown> {
    const data = toWorkflowRuleRun({
      id: run.id,
      tenant_id: trigger.tenantId,
      rule_id: run.ruleId,
      rule_version: run.ruleVersion,
      trigger_event_id: run.triggerEventId,
      trigger_event_type: run.triggerEventType,
      status: run.status,
      error_code: run.errorCode,
      error_message: run.errorMessage,
      steps: run.steps,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
    });
    return this.context.withAutomationDepth(trigger.automationDepth + 1, () =>
      this.events.publish(workflowRuleRunFailed, { run: data }, { tenantId: trigger.tenantId, subject: run.ruleId }),
    );
  }

  /** The dry run: the condition evaluated and the actions listed, nothing run, nothing written. */
  dryRun(rule: RunnableRule, trigger: RunTrigger): Promise<RunOutcome> {
    return this.evaluate(rule, trigger, { runId: '', dryRun: true });
  }

  /** A waiting run continued: the actions after the wait, with the context the run started with. */
  async resume(tenantId: string, runId: string, rule: RunnableRule, trigger: RunTrigger, context: RunContext, from: number, earlier: Step[]): Promise<void> {
    const outcome = await this.context.withAutomationDepth(trigger.automationDepth + 1, () => this.runActions(rule, trigger, context, from, runId, tenantId));
    await this.runs.finish(runId, {
      status: outcome.status,
      errorCode: outcome.errorCode,
      errorMessage: outcome.errorMessage,
      steps: [...earlier, ...outcome.steps],
      finishedAt: outcome.status === 'waiting' ? null : this.clock.now(),
    });
  }

  private async evaluate(rule: RunnableRule, trigger: RunTrigger, { runId, dryRun }: { runId: string; dryRun: boolean }): Promise<RunOutcome> {
    if (trigger.automationDepth >= MAX_AUTOMATION_DEPTH) {
      return ended(
        'skipped',
        'DEPTH_LIMIT',
        `the event is ${trigger.automationDepth} automation steps deep (limit ${MAX_AUTOMATION_DEPTH}): a rule may be triggering itself`,
      );
    }
    const context = contextOf(trigger);
    let holds: boolean;
    try {
      holds = conditionHolds(rule.condition, { event: context.event, record: context.record });
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
      return ended('failed', error.code, error.message);
    }
    if (!holds) return { ...ended('skipped', null, 'the condition is false'), conditionMatched: false };
    if (dryRun) {
      const steps = rule.actions.map((action, index): Step => ({ index, type: action.type, status: 'would-run', detail: { ...action } }));
      return { status: 'dry-run', errorCode: null, errorMessage: null, steps, conditionMatched: true };
    }
    return this.context.withAutomationDepth(trigger.automationDepth + 1, () => this.runActions(rule, trigger, context, 0, runId, trigger.tenantId));
  }

  private async runActions(rule: RunnableRule, trigger: RunTrigger, context: RunContext, from: number, runId: string, tenantId: string): Promise<RunOutcome> {
    const steps: Step[] = [];
    for (let index = from; index < rule.actions.length; index++) {
      const action: WorkflowRuleAction = rule.actions[index];
      const now = this.clock.now();
      if (action.type === 'wait') {
        const dueAt = new Date(now.getTime() + action.days * WAIT_MS.days + action.hours * WAIT_MS.hours + action.minutes * WAIT_MS.minutes);
        if (index + 1 < rule.actions.length) {
          await this.runs.insertWait(tenantId, { runId, nextAction: index + 1, dueAt, context: waitingContext(trigger, context) });
          steps.push({ index, type: action.type, status: 'succeeded', detail: { until: dueAt.toISOString() } });
          return { status: 'waiting', errorCode: null, errorMessage: null, steps, conditionMatched: true };
        }
        steps.push({ index, type: action.type, status: 'succeeded', detail: { until: dueAt.toISOString(), note: 'nothing follows the wait' } });
        continue;
      }
      try {
        const detail = await this.actions.run(action, context, { tenantId, ruleId: rule.id, eventId: trigger.id, index, now });
        steps.push({ index, type: action.type, status: 'succeeded', detail });
      } catch (error) {
        if (!(error instanceof RunError) && !(error instanceof DomainError)) throw error;
        const { code, message } = stepErrorOf(error);
        steps.push({ index, type: action.type, status: 'failed', errorCode: code, errorMessage: message });
        return { status: 'failed', errorCode: code, errorMessage: `step ${index} (${action.type}): ${message}`, steps, conditionMatched: true };
      }
    }
    return { status: 'succeeded', errorCode: null, errorMessage: null, steps, conditionMatched: true };
  }
}

/**
 * What a wait keeps for the actions after it: the ids they use (the record's, its contact's and
 * owner's), not the event's data, which may hold a contact's personal data for weeks.
 */
function waitingContext(trigger: RunTrigger, context: RunContext): { trigger: RunTrigger; context: RunContext } {
  const keep = ['id', 'contactId', 'ownerId', 'assigneeId'];
  const record = context.record && Object.fromEntries(Object.entries(context.record).filter(([key]) => keep.includes(key)));
  return { trigger: { ...trigger, data: {} }, context: { ...context, event: { ...context.event, data: {} }, record } };
}

function ended(status: WorkflowRuleRun['status'], errorCode: string | null, errorMessage: string | null): RunOutcome {
  return { status, errorCode, errorMessage, steps: [], conditionMatched: status !== 'failed' && status !== 'skipped' };
}
