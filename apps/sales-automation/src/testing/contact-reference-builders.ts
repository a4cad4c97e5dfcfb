import { randomUUID } from 'node:crypto';
import type { Contact } from '@crm/contracts';
import type { Database } from '../infrastructure/database/database';

/** Rows that point at a contact, inserted directly (the merged/erased tests need every table, whoever owns its API). */
export class ContactReferenceBuilders {
  constructor(
    private readonly db: Database,
    private readonly tenantId: string,
  ) {}

  async deal(contactId: string | null, companyId: string | null = null): Promise<string> {
    const id = randomUUID();
    await this.db
      .insertInto('deal')
      .values({
        id,
        tenant_id: this.tenantId,
        title: 'Deal',
        contact_id: contactId,
        company_id: companyId,
        amount_minor: '1000',
        currency: 'EUR',
        pipeline_id: randomUUID(),
        stage_id: randomUUID(),
        position: 'a0',
      })
      .execute();
    return id;
  }

  async order(contactId: string): Promise<string> {
    const id = randomUUID();
    await this.db
      .insertInto('sales_order')
      .values({
        id,
        tenant_id: this.tenantId,
        contact_id: contactId,
        currency: 'EUR',
        subtotal_minor: '1000',
        discount_minor: '0',
        total_minor: '1000',
        purchased_at: new Date(),
        channel: 'web',
        status: 'placed',
      })
      .execute();
    return id;
  }

  async task(relatedType: string, relatedId: string): Promise<string> {
    const id = randomUUID();
    await this.db.insertInto('task').values({ id, tenant_id: this.tenantId, title: 'Call back', related_type: relatedType, related_id: relatedId }).execute();
    return id;
  }

  async convertedLead(contactId: string): Promise<string> {
    const id = randomUUID();
    await this.db
      .insertInto('lead')
      .values({
        id,
        tenant_id: this.tenantId,
        first_name: 'Ada',
        last_name: 'Lovelace',
        company_name: 'Analytical Engines',
        email: 'ada@example.com',
        phone: '+44 20 1234 5678',
        message: 'Call me',
        source: 'web_form',
        status: 'converted',
        converted_contact_id: contactId,
        converted_at: new Date(),
      })
      .execute();
    return id;
  }
}

/** A contact as the contacts service's events carry it. */
export function contactOf(overrides: Partial<Contact> = {}): Contact {
  const now = new Date().toISOString();
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
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    ...overrides,
  };
}
