import { randomUUID } from 'node:crypto';
import type { Ticket } from '@crm/contracts';

/** A ticket as the support service's events carry it (a new one, no requester, version 1), for the services that consume them. */
export function ticketOf(overrides: Partial<Ticket> = {}): Ticket {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    number: 1042,
    subject: 'Printer jam',
    requesterId: null,
    requesterEmail: null,
    requesterName: null,
    channel: 'email',
    status: 'new',
    priority: 'normal',
    groupId: null,
    assigneeId: null,
    tags: [],
    solvedAt: null,
    slaDueAt: null,
    satisfaction: null,
    mergedIntoId: null,
    customFields: {},
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
