import { DomainError, SupportForm } from '@crm/contracts';
import type { SupportFormRow } from './support-form.repository';

export function toSupportForm(row: SupportFormRow): SupportForm {
  return {
    id: row.id,
    formKey: row.form_key,
    name: row.name,
    groupId: row.group_id,
    allowedOrigins: row.allowed_origins,
    active: row.active,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Unknown and inactive keys answer alike. */
export const noActiveForm = () => new DomainError('NOT_FOUND', 'No active support form has this key.');
