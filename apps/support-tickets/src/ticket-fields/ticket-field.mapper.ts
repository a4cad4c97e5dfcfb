import { DomainError, type TicketField } from '@crm/contracts';
import type { TicketFieldRow } from './ticket-field.repository';

export function toTicketField(row: TicketFieldRow): TicketField {
  return {
    id: row.id,
    key: row.key,
    label: row.label,
    type: row.type as TicketField['type'],
    options: row.options,
    requiredToSolve: row.required_to_solve,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export function ticketFieldNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `ticket field ${id} not found.`);
}
