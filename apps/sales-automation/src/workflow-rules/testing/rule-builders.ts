import { orderRecorded } from '@crm/contracts';
import type { workflowRuleActionSchema, workflowRuleInputSchema } from '@crm/contracts';
import type { z } from 'zod';

export type RuleInput = z.input<typeof workflowRuleInputSchema>;
export type RuleActionInput = z.input<typeof workflowRuleActionSchema>;

/** A rule on an event type doing the given actions (tests and the demo data build on it). */
export function onEvent(type: string, actions: RuleActionInput[], extra: Partial<RuleInput> = {}): RuleInput {
  return { name: `on ${type}`, trigger: { kind: 'event', type }, actions, ...extra };
}

/**
 * The seeds' example: an order recorded starts the follow-up sequence for the order's contact,
 * with the order as the enrolment's context (its templates read it); the demo data's rule.
 */
export function orderRecordedStartsSequence(sequenceId: string): RuleInput {
  return onEvent(orderRecorded.name, [{ type: 'startSequence', sequenceId }], { name: 'Order recorded: thank-you and follow-up offer' });
}
