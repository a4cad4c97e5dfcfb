import {
  EMAIL_CONSENT_SOURCES,
  EMAIL_CONSENT_STATUSES,
  EMAIL_PURPOSES,
  emailSenderInputSchema,
  emailTemplateInputSchema,
  emailTemplatePatchSchema,
} from '@crm/contracts';
import { z } from 'zod';
import { queryLimit } from '../../http/query-schemas';

/** POST /email-templates: Liquid subject, HTML and (optional) text; checked at save. */
export const createEmailTemplateBodySchema = emailTemplateInputSchema;
export type CreateEmailTemplateBody = z.infer<typeof createEmailTemplateBodySchema>;

/** PATCH /email-templates/:id: absent fields stay (text: null derives it from the HTML). */
export const updateEmailTemplateBodySchema = emailTemplatePatchSchema;
export type UpdateEmailTemplateBody = z.infer<typeof updateEmailTemplateBodySchema>;

export const listEmailTemplatesQuerySchema = z.object({
  purpose: z.enum(EMAIL_PURPOSES).optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListEmailTemplatesQuery = z.infer<typeof listEmailTemplatesQuerySchema>;

/** POST /email-templates/:id/preview: for whom (and about which deal or order). */
export const previewEmailTemplateBodySchema = z.object({ contactId: z.uuid(), dealId: z.uuid().optional(), orderId: z.uuid().optional() });
export type PreviewEmailTemplateBody = z.infer<typeof previewEmailTemplateBodySchema>;

/** PUT /contacts/:id/email-consent. */
export const setEmailConsentBodySchema = z.object({ status: z.enum(EMAIL_CONSENT_STATUSES), source: z.enum(EMAIL_CONSENT_SOURCES).default('api') });
export type SetEmailConsentBody = z.infer<typeof setEmailConsentBodySchema>;

/** POST /contacts/:id/emails: one template to one contact, now. */
export const sendContactEmailBodySchema = z.object({ templateId: z.uuid(), dealId: z.uuid().optional(), orderId: z.uuid().optional() });
export type SendContactEmailBody = z.infer<typeof sendContactEmailBodySchema>;

/** The signed token of a List-Unsubscribe link. */
export const unsubscribeTokenParamSchema = z
  .string()
  .min(16)
  .max(2_000)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'is not an unsubscribe token');

/** An open pixel's or click redirect's token: a send id and kind, and a MAC (the service checks it). */
export const trackingTokenParamSchema = z
  .string()
  .min(16)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'is not a tracking token');
/** Where a click goes: the link the message held (signed in the token: the service refuses any other). */
export const clickQuerySchema = z.object({ u: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(4_000) });
export type ClickQuery = z.infer<typeof clickQuerySchema>;

/** The tenant's sender: `replyTo` null or absent sends replies to the address. */
export const setEmailSenderBodySchema = emailSenderInputSchema;
export type SetEmailSenderBody = z.infer<typeof setEmailSenderBodySchema>;
