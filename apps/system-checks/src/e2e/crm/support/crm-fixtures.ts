import type { ApiClient, Json } from '../../api-client';
import { Channel, created, ExpectedFigures, Tenant } from './crm-api';

/*
 * The records the CRM files build on, made over the API for one tenant. Each file makes the ones
 * it needs in its own beforeAll; `figures` follows every write, for the analytics checks.
 */

export const TIER_FIELD = { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver', 'bronze'] };

export const MARGARET_EMAIL = 'margaret.thornton@acme.example';

/** Margaret's details as created (a prospect, tier gold, at `companyId`). */
export const margaretInput = (companyId: string) => ({
  firstName: 'Margaret',
  lastName: 'Thornton',
  title: 'Head of Procurement',
  emails: [{ address: MARGARET_EMAIL, label: 'work', primary: true }],
  phones: [{ number: '+1 (555) 010-0200', label: 'mobile' }],
  tags: ['vip', 'newsletter'],
  lifecycleStage: 'prospect',
  companyId,
  customFields: { tier: 'gold' },
});

/** Margaret's duplicate: the same email, written differently. */
export const MAGGIE = { firstName: 'Maggie', lastName: 'Thornton', emails: [{ address: 'Margaret.Thornton@ACME.example' }], lifecycleStage: 'lead' };

/** Ten contacts for lists, in lastName order; created out of that order (CREATION_ORDER), so that sorting by lastName and by createdAt differ. */
export const BATCH_NAMES = [
  ['Alice', 'Anders'],
  ['Bruno', 'Baxter'],
  ['Chloe', 'Castillo'],
  ['Dmitri', 'Dvorak'],
  ['Esme', 'Eriksen'],
  ['Farid', 'Fontaine'],
  ['Greta', 'Gallagher'],
  ['Hiro', 'Hasegawa'],
  ['Ines', 'Iglesias'],
  ['Jonas', 'Jankowski'],
] as const;
export const CREATION_ORDER = [6, 2, 9, 0, 4, 7, 1, 8, 3, 5];

/** The batch member with name index `i`: even ones are leads at `globexId`, odd ones prospects without a company. */
export const batchInput = (i: number, globexId: string) => {
  const [firstName, lastName] = BATCH_NAMES[i];
  return {
    firstName,
    lastName,
    emails: [{ address: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.test` }],
    tags: ['batch'],
    lifecycleStage: i % 2 === 0 ? 'lead' : 'prospect',
    companyId: i % 2 === 0 ? globexId : undefined,
  };
};

/** Five interactions, one per channel, logged out of time order (the list orders by when they happened). */
export function timelineEntries(base = Date.now() - 60 * 60_000) {
  return [
    { channel: 'meeting', subject: 'Quarterly review', body: 'Went through the roadmap.', occurredAt: new Date(base + 3 * 60_000).toISOString() },
    { channel: 'call', direction: 'outbound', subject: 'Intro call', body: 'Interested in widgets.', occurredAt: new Date(base).toISOString() },
    { channel: 'note', subject: 'Prefers mornings', occurredAt: new Date(base + 5 * 60_000).toISOString() },
    { channel: 'email', direction: 'inbound', subject: 'Re: pricing', body: 'Can you send a quote?', occurredAt: new Date(base + 60_000).toISOString() },
    { channel: 'chat', direction: 'inbound', subject: 'Website chat', occurredAt: new Date(base + 4 * 60_000).toISOString() },
  ];
}

/** One tenant's records, made step by step. */
export class CrmFixture {
  readonly figures = new ExpectedFigures();
  acme: Json;
  globex: Json;
  /** Margaret as last read. */
  margaret: Json;
  /** The batch by name index (lastName order), and in creation order. */
  batch: Json[] = [];
  batchInCreationOrder: Json[] = [];

  constructor(
    private readonly api: ApiClient,
    readonly tenant: Tenant,
  ) {}

  async defineTier(): Promise<this> {
    await created(this.api.post('/api/v1/custom-fields', TIER_FIELD, this.tenant.token));
    return this;
  }

  /** Acme Widgets (acme.example, industry Manufacturing after one update) and Globex Corporation. */
  async companies(): Promise<this> {
    const acme = await created(
      this.api.post('/api/v1/companies', { name: 'Acme Widgets', domain: 'acme.example', industry: 'Widgets', tags: ['key-account'] }, this.tenant.token),
    );
    this.acme = await created(this.api.patch(`/api/v1/companies/${acme.id}`, { industry: 'Manufacturing' }, this.tenant.token), 200);
    this.globex = await created(this.api.post('/api/v1/companies', { name: 'Globex Corporation', domain: 'globex.example' }, this.tenant.token));
    this.figures.companies += 2;
    return this;
  }

  /** Margaret at Acme, tier gold, then promoted to customer with tier silver (version 2). Needs defineTier() and companies(). */
  async margaretAtAcme(): Promise<this> {
    const margaret = await created(this.api.post('/api/v1/contacts', margaretInput(this.acme.id), this.tenant.token));
    this.margaret = await created(
      this.api.patch(`/api/v1/contacts/${margaret.id}`, { lifecycleStage: 'customer', customFields: { tier: 'silver' } }, this.tenant.token, {
        'if-match': '"1"',
      }),
      200,
    );
    this.figures.contacts.set(this.margaret.id, 'customer');
    return this;
  }

  /** The ten batch contacts. Needs companies(). */
  async batchOfTen(): Promise<this> {
    for (const i of CREATION_ORDER) {
      const contact = await created(this.api.post('/api/v1/contacts', batchInput(i, this.globex.id), this.tenant.token));
      this.batch[i] = contact;
      this.batchInCreationOrder.push(contact);
      this.figures.contacts.set(contact.id, contact.lifecycleStage);
    }
    return this;
  }

  /** The five interactions on Margaret's timeline. Needs margaretAtAcme(). */
  async margaretsTimeline(): Promise<this> {
    for (const entry of timelineEntries()) {
      await created(this.api.post(`/api/v1/contacts/${this.margaret.id}/interactions`, entry, this.tenant.token));
      this.figures.interactions[entry.channel as Channel] += 1;
    }
    return this;
  }

  /** Maggie, Margaret's duplicate (the same email), forced in with a note and a call, then merged into Margaret: Maggie's id. Needs margaretAtAcme(). */
  async mergeMaggie(): Promise<string> {
    const token = this.tenant.token;
    const maggie = await created(this.api.post('/api/v1/contacts', { ...MAGGIE, allowDuplicates: true }, token));
    for (const channel of ['note', 'call'] as const) {
      await created(this.api.post(`/api/v1/contacts/${maggie.id}/interactions`, { channel, subject: `Maggie ${channel}` }, token));
      this.figures.interactions[channel] += 1;
    }
    this.margaret = await created(
      this.api.post(`/api/v1/contacts/${this.margaret.id}/merge`, { mergedId: maggie.id }, token, { 'if-match': `"${this.margaret.version}"` }),
      200,
    );
    return maggie.id;
  }

  /** Everything above. */
  async everything(): Promise<this> {
    await this.defineTier();
    await this.companies();
    await this.margaretAtAcme();
    await this.batchOfTen();
    return this.margaretsTimeline();
  }
}
