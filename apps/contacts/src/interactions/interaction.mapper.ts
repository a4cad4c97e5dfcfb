import type { Interaction } from '@crm/contracts';
import type { InteractionRow } from './interaction.repository';

/** A stored interaction in the contract's shape. */
export function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id,
    contactId: row.contactId,
    channel: row.channel as Interaction['channel'],
    direction: row.direction as Interaction['direction'],
    subject: row.subject,
    body: row.body,
    occurredAt: row.occurredAt.toISOString(),
    loggedBy: row.loggedBy,
    createdAt: row.createdAt.toISOString(),
  };
}
