import { randomUUID } from 'node:crypto';
import type { Contact, Deal } from '@crm/contracts';

/** A contact as the contacts service's events carry it. */
export function contactOf(overrides: Partial<Contact> = {}): Contact {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    firstName: 'Ada',
    lastName: 'Lovelace',
    title: null,
    emails: [{ address: 'ada@example.com', primary: true }],
    phones: [],
    addresses: [],
    companyId: null,
    ownerId: null,
    tags: [],
    lifecycleStage: 'lead',
    customFields: {},
    version: 1,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
    ...overrides,
  };
}

/** A won deal as the sales service's events carry it. */
export function wonDealOf(overrides: Partial<Deal> = {}): Deal {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    title: 'Fleet renewal',
    contactId: randomUUID(),
    companyId: null,
    customerName: 'Ada Lovelace',
    amountMinor: 120_000,
    currency: 'EUR',
    expectedCloseDate: null,
    ownerId: randomUUID(),
    pipelineId: randomUUID(),
    stageId: randomUUID(),
    position: 'a0',
    status: 'won',
    lostReason: null,
    closedAt: at,
    stageEnteredAt: at,
    leadId: null,
    lines: [{ productId: null, sku: 'VAN-1', name: 'Van', quantity: 2, unitPriceMinor: 60_000, discountMinor: 0, totalMinor: 120_000 }],
    version: 3,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  } as Deal;
}
