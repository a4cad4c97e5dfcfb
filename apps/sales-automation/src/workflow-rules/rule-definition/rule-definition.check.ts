import * as contracts from '@crm/contracts';
import { ContractIssue, WorkflowRuleAction, WorkflowRuleTrigger } from '@crm/contracts';
import { CronExpressionParser } from 'cron-parser';
import { unknownOperator } from './rule-condition';
import { RELATIVE_DATE_FIELDS } from './relative-date-fields';

/** Every event contract's versioned name in libs/contracts: what an event trigger may name. */
const EVENT_TYPES = new Set(
  Object.values<unknown>(contracts)
    .filter((value): value is contracts.EventContract => typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'event')
    .map((contract) => contract.name),
);

export function isKnownEventType(type: string): boolean {
  return EVENT_TYPES.has(type);
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * What the contract's shapes cannot say: the event type exists, the cron parses, the time zone
 * and the date field exist, the condition uses known operators only. Paths under `prefix`.
 */
export function definitionProblems(
  definition: { trigger?: WorkflowRuleTrigger; condition?: unknown; actions?: WorkflowRuleAction[] },
  prefix: string,
): ContractIssue[] {
  const problems: ContractIssue[] = [];
  const { trigger, condition } = definition;
  if (trigger?.kind === 'event' && !isKnownEventType(trigger.type)) {
    problems.push({
      path: `${prefix}trigger.type`,
      message: `unknown event type ${trigger.type} (a versioned contract name such as sales-automation.order.recorded.v1)`,
    });
  }
  if (trigger?.kind === 'schedule') {
    if (!validTimeZone(trigger.timeZone)) problems.push({ path: `${prefix}trigger.timeZone`, message: `unknown time zone ${trigger.timeZone}` });
    else {
      try {
        CronExpressionParser.parse(trigger.cron, { tz: trigger.timeZone, strict: false });
      } catch (error) {
        problems.push({ path: `${prefix}trigger.cron`, message: `invalid cron: ${(error as Error).message}` });
      }
    }
  }
  if (trigger?.kind === 'relativeDate' && !RELATIVE_DATE_FIELDS[trigger.record][trigger.field]) {
    problems.push({
      path: `${prefix}trigger.field`,
      message: `not a date field of a ${trigger.record} (one of ${Object.keys(RELATIVE_DATE_FIELDS[trigger.record]).join(', ')})`,
    });
  }
  const operator = condition === undefined ? undefined : unknownOperator(condition);
  if (operator) problems.push({ path: `${prefix}condition`, message: `unknown or forbidden JSON Logic operator ${operator}` });
  return problems;
}
