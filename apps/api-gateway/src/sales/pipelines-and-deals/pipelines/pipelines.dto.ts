import { pipelineInputSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../../http/query-schemas';

export const createPipelineBodySchema = pipelineInputSchema;
export type CreatePipelineBody = z.infer<typeof createPipelineBodySchema>;

/** PATCH /pipelines/:id: a new name and/or the stages as they are to be (listed ids kept in this order, new ones added, missing ones removed). */
export const updatePipelineBodySchema = pipelineInputSchema.partial();
export type UpdatePipelineBody = z.infer<typeof updatePipelineBodySchema>;

export const listPipelinesQuerySchema = z.object({ cursor: z.string().max(512).optional(), limit: queryLimit });
export type ListPipelinesQuery = z.infer<typeof listPipelinesQuerySchema>;
