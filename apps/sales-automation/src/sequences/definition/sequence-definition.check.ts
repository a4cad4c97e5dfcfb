import { ContractIssue, SequenceStep } from '@crm/contracts';
import { unknownOperator } from '../../workflow-rules/rule-definition/rule-condition';
import { validTimeZone } from './wait-time';

/**
 * What the contract's shapes cannot say: the time zone exists, a branch jumps forward to a step
 * that exists (so no sequence loops), its condition uses known JSON Logic operators only, and
 * each template is one of the tenant's. Paths under `prefix`.
 */
export function definitionProblems(
  definition: { timeZone?: string; steps?: SequenceStep[] },
  missingTemplates: ReadonlySet<string>,
  prefix: string,
): ContractIssue[] {
  const problems: ContractIssue[] = [];
  if (definition.timeZone !== undefined && !validTimeZone(definition.timeZone)) {
    problems.push({ path: `${prefix}timeZone`, message: `unknown time zone ${definition.timeZone}` });
  }
  const steps = definition.steps ?? [];
  steps.forEach((step, index) => {
    const at = `${prefix}steps.${index}`;
    if (step.type === 'sendEmail' && missingTemplates.has(step.templateId)) {
      problems.push({ path: `${at}.templateId`, message: `email template ${step.templateId} not found` });
    }
    if (step.type === 'branch') {
      if (step.goTo !== null && (step.goTo <= index || step.goTo >= steps.length)) {
        problems.push({ path: `${at}.goTo`, message: `must be a later step (${index + 1} to ${steps.length - 1}) or null to end` });
      }
      const operator = unknownOperator(step.condition);
      if (operator) problems.push({ path: `${at}.condition`, message: `unknown or forbidden JSON Logic operator ${operator}` });
    }
  });
  return problems;
}

export function templateIdsOf(steps: readonly SequenceStep[] | undefined): string[] {
  return [...new Set((steps ?? []).flatMap((step) => (step.type === 'sendEmail' ? [step.templateId] : [])))];
}
