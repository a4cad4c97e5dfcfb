import { randomUUID } from 'node:crypto';
import type { Contact } from '@crm/contracts';

/** A contact as the contacts service answers it, for stand-ins of that service (startTestResponder). */
export function contactRecord(fields: Partial<Contact> = {}): Contact {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    firstName: 'Ada',
    lastName: null,
    title: null,
    emails: [],
    phones: [],
    addresses: [],
    companyId: null,
    ownerId: null,
    tags: [],
    lifecycleStage: 'lead',
    customFields: {},
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    ...fields,
  };
}
