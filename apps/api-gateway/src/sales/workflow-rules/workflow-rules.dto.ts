import { testWorkflowRule, workflowRuleInputSchema, workflowRulePatchSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

/** POST /workflow-rules: a rule (enabled unless `enabled: false`; no condition: always). */
export const createWorkflowRuleBodySchema = workflowRuleInputSchema;
export type CreateWorkflowRuleBody = z.infer<typeof createWorkflowRuleBodySchema>;

/** PATCH /workflow-rules/:id: absent fields stay; a changed trigger, condition or actions makes a new definition version. */
export const updateWorkflowRuleBodySchema = workflowRulePatchSchema;
export type UpdateWorkflowRuleBody = z.infer<typeof updateWorkflowRuleBodySchema>;

/** POST /workflow-rules/:id/test: a sample event (its type defaults to the rule's trigger). */
export const testWorkflowRuleBodySchema = testWorkflowRule.request.shape.event;
export type TestWorkflowRuleBody = z.infer<typeof testWorkflowRuleBodySchema>;

export const pageQuerySchema = z.object({ cursor: z.string().max(512).optional(), limit: queryLimit });
export type PageQuery = z.infer<typeof pageQuerySchema>;
