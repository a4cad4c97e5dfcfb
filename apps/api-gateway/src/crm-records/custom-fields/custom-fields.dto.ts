import { CUSTOM_FIELD_ENTITIES, customFieldDefinitionInputSchema, updateCustomField } from '@crm/contracts';
import { z } from 'zod';

export const defineCustomFieldBodySchema = customFieldDefinitionInputSchema;
export type DefineCustomFieldBody = z.infer<typeof defineCustomFieldBodySchema>;

/** The contract's own patch (absent fields stay; no default fills them in). */
export const updateCustomFieldBodySchema = updateCustomField.request.shape.patch;
export type UpdateCustomFieldBody = z.infer<typeof updateCustomFieldBodySchema>;

export const listCustomFieldsQuerySchema = z.object({ entity: z.enum(CUSTOM_FIELD_ENTITIES).optional() });
export type ListCustomFieldsQuery = z.infer<typeof listCustomFieldsQuerySchema>;
