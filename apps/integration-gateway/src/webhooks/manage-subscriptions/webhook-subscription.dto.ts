import { z } from 'zod';

const eventTypes = z
  .array(z.string().regex(/^([a-z0-9-]+\.)*([a-z0-9-]+|\*)$/, 'an event type (contacts.contact.created.v1) or a prefix ending in * (contacts.contact.*)'))
  .min(1)
  .max(100);

export const createWebhookBodySchema = z.strictObject({
  url: z.url().max(2_000),
  eventTypes,
});
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

export const updateWebhookBodySchema = z
  .strictObject({
    url: z.url().max(2_000).optional(),
    eventTypes: eventTypes.optional(),
    /** `active` re-enables a disabled subscription (its pending deliveries resume). */
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;
