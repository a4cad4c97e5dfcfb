import { CUSTOM_FIELD_ENTITIES, customFieldDefinitionInputSchema } from '@crm/contracts';
import { z } from 'zod';

export const defineCustomFieldBodySchema = customFieldDefinitionInputSchema;
export type DefineCustomFieldBody = z.infer<typeof defineCustomFieldBodySchema>;

export const updateCustomFieldBodySchema = customFieldDefinitionInputSchema.pick({ label: true, options: true, required: true }).partial();
export type UpdateCustomFieldBody = z.infer<typeof updateCustomFieldBodySchema>;

export const listCustomFieldsQuerySchema = z.object({ entity: z.enum(CUSTOM_FIELD_ENTITIES).optional() });
export type ListCustomFieldsQuery = z.infer<typeof listCustomFieldsQuerySchema>;
