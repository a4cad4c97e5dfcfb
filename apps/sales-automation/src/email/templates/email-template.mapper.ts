import type { Selectable } from 'kysely';
import type { EmailTemplate } from '@crm/contracts';
import type { EmailTemplate as EmailTemplateTable } from '../../generated/kysely/database';

export type EmailTemplateRow = Selectable<EmailTemplateTable>;

export function toEmailTemplate(row: EmailTemplateRow): EmailTemplate {
  return {
    id: row.id,
    name: row.name,
    purpose: row.purpose as EmailTemplate['purpose'],
    subject: row.subject,
    html: row.html,
    text: row.text,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
