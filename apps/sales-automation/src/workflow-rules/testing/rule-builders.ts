import { orderRecorded, workflowRuleInputSchema } from '@crm/contracts';
import type { workflowRuleActionSchema } from '@crm/contracts';
import type { z } from 'zod';

/** A rule as a caller writes it (defaults may be left out). */
export type RuleInput = z.input<typeof workflowRuleInputSchema>;
/** A rule as `createWorkflowRule` takes it: checked against the contract, defaults filled in. */
export type CheckedRuleInput = z.infer<typeof workflowRuleInputSchema>;
export type RuleActionInput = z.input<typeof workflowRuleActionSchema>;

/** A rule on an event type doing the given actions (tests and the demo data build on it). */
export function onEvent(type: string, actions: RuleActionInput[], extra: Partial<RuleInput> = {}): CheckedRuleInput {
  return workflowRuleInputSchema.parse({ name: `on ${type}`, trigger: { kind: 'event', type }, actions, ...extra });
}

/**
 * The seeds' example: an order recorded starts the follow-up sequence (thank-you now, offer three
 * weeks later unless the customer bought again) for the order's contact, with the order as the
 * enrolment's context (its templates read it). The demo data's rule:
 * `call(createWorkflowRule, { rule: orderRecordedStartsSequence(sequence.id) }, actor)`.
 */
export function orderRecordedStartsSequence(sequenceId: string): CheckedRuleInput {
  return onEvent(orderRecorded.name, [{ type: 'startSequence', sequenceId }], { name: 'Order recorded: thank-you and follow-up offer' });
}
