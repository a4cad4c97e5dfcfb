import type { Selectable } from 'kysely';
import type { WorkflowRule, WorkflowRuleAction, WorkflowRuleRun, WorkflowRuleTrigger } from '@crm/contracts';
import type { WorkflowRule as RuleTable, WorkflowRuleRun as RunTable, WorkflowRuleVersion as VersionTable } from '../generated/kysely/database';

export type RuleRow = Selectable<RuleTable>;
export type RuleVersionRow = Selectable<VersionTable>;
export type RuleRunRow = Selectable<RunTable>;
/** A rule with the definition of its current version. */
export type RuleWithDefinition = RuleRow & Pick<RuleVersionRow, 'trigger' | 'condition' | 'actions'>;

/** A rule's definition as stored (validated at save). */
export interface RuleDefinition {
  trigger: WorkflowRuleTrigger;
  condition: unknown;
  actions: WorkflowRuleAction[];
}

const iso = (value: Date | string): string => new Date(value).toISOString();

export function toWorkflowRule(row: RuleWithDefinition): WorkflowRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    currentVersion: row.current_version,
    trigger: row.trigger as WorkflowRuleTrigger,
    condition: (row.condition ?? null) as WorkflowRule['condition'],
    actions: row.actions as WorkflowRuleAction[],
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toWorkflowRuleRun(row: RuleRunRow): WorkflowRuleRun {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    triggerEventId: row.trigger_event_id,
    triggerEventType: row.trigger_event_type,
    status: row.status as WorkflowRuleRun['status'],
    errorCode: row.error_code,
    errorMessage: row.error_message,
    steps: row.steps as WorkflowRuleRun['steps'],
    startedAt: iso(row.started_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
  };
}

/** A rule as the runner runs it: its current definition version. */
export function runnableOf(row: RuleWithDefinition): RuleDefinition & { id: string; version: number } {
  return {
    id: row.id,
    version: row.current_version,
    trigger: row.trigger as RuleDefinition['trigger'],
    condition: row.condition,
    actions: row.actions as RuleDefinition['actions'],
  };
}
