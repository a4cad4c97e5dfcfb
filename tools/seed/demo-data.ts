import { base, en, Faker } from '@faker-js/faker';
import type { ContactInput, InteractionChannel, LifecycleStage } from '@crm/contracts';

/**
 * Realistic-looking CRM records from a seeded PRNG: the same seed gives the same tenant. Names,
 * job titles, cities and industries come from faker, drawn once into pools; records are then
 * combined from the pools (a pick is far cheaper than a faker call, and 100,000 contacts must
 * not take longer to make up than to import).
 */
export class DemoData {
  private readonly faker: Faker;
  private readonly firstNames: string[];
  private readonly lastNames: string[];
  private readonly titles: string[];
  private readonly cities: { city: string; region: string; postalCode: string }[];
  private readonly industries: string[];
  private readonly emailDomains = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'icloud.com'];
  private counter = 0;

  constructor(seed: number) {
    this.faker = new Faker({ locale: [en, base], seed });
    const f = this.faker;
    this.firstNames = unique(Array.from({ length: 1_500 }, () => f.person.firstName()));
    this.lastNames = unique(Array.from({ length: 3_000 }, () => f.person.lastName()));
    this.titles = unique(Array.from({ length: 400 }, () => f.person.jobTitle()));
    this.cities = Array.from({ length: 300 }, () => ({ city: f.location.city(), region: f.location.state(), postalCode: f.location.zipCode('#####') }));
    this.industries = unique(Array.from({ length: 60 }, () => f.commerce.department())).concat([
      'Software',
      'Manufacturing',
      'Logistics',
      'Healthcare',
      'Finance',
    ]);
  }

  /** A real-looking company with a domain its people's emails use. */
  company(ownerIds: string[]): Company {
    const f = this.faker;
    const name = f.company.name();
    const n = ++this.counter;
    const domain = `${slug(name).slice(0, 40) || 'company'}${n}.example.com`;
    const place = this.pick(this.cities);
    return {
      externalId: `company-${n}`,
      name,
      domain,
      industry: this.pick(this.industries),
      phones: [{ number: this.phone(), label: 'main' }],
      addresses: [{ label: 'office', street: `${this.int(1, 9999)} ${this.pick(this.lastNames)} Street`, ...place, country: 'United States' }],
      ownerId: this.pick(ownerIds),
      tags: this.some(['enterprise', 'smb', 'mid-market', 'partner', 'reseller', 'strategic'], 0, 2),
      customFields: { employees: this.int(2, 20_000), tier: this.pick(['strategic', 'key', 'standard', 'standard']) },
    };
  }

  /** A person; most work at one of `companies` and have an address there. */
  contact(companies: { id: string; domain: string }[], ownerIds: string[]): ContactInput & { externalId: string } {
    const firstName = this.pick(this.firstNames);
    const lastName = this.pick(this.lastNames);
    const n = ++this.counter;
    const company = companies.length && this.chance(0.85) ? this.pick(companies) : undefined;
    const local = `${slug(firstName)}.${slug(lastName)}`;
    const emails = company
      ? [{ address: `${local}${n}@${company.domain}`, label: 'work' }]
      : [{ address: `${local}${n}@${this.pick(this.emailDomains)}`, label: 'personal' }];
    if (company && this.chance(0.3)) emails.push({ address: `${local}${n}@${this.pick(this.emailDomains)}`, label: 'personal' });
    const phones = [{ number: this.phone(), label: 'mobile' }];
    if (this.chance(0.4)) phones.push({ number: this.phone(), label: 'work' });
    return {
      externalId: `contact-${n}`,
      firstName,
      lastName,
      title: this.pick(this.titles),
      emails,
      phones,
      companyId: company?.id ?? null,
      ownerId: this.pick(ownerIds),
      tags: [
        ...(this.chance(0.12) ? ['vip'] : []),
        ...this.some(['newsletter', 'webinar', 'trial', 'referral', 'event-2026', 'churn-risk', 'decision-maker'], 0, 2),
      ],
      lifecycleStage: this.weighted<LifecycleStage>([
        ['lead', 40],
        ['prospect', 25],
        ['customer', 28],
        ['churned', 7],
      ]),
      customFields: {
        lead_source: this.pick(['web', 'referral', 'event', 'partner', 'cold_call']),
        newsletter: this.chance(0.5),
        ...(this.chance(0.3) && { birthday: this.date(new Date('1955-01-01'), new Date('2003-12-31')) }),
      },
    };
  }

  /** A past call, email, meeting, chat or note within the last `days` days. */
  interaction(contactId: string, loggedBy: string, days: number, now: number): Interaction {
    const channel = this.weighted<InteractionChannel>([
      ['email', 35],
      ['call', 25],
      ['meeting', 15],
      ['chat', 15],
      ['note', 10],
    ]);
    const topic = this.pick(TOPICS);
    return {
      contactId,
      channel,
      direction: channel === 'note' || channel === 'meeting' ? null : this.chance(0.6) ? 'outbound' : 'inbound',
      subject: `${SUBJECT_PREFIX[channel]}${topic}`,
      body: `${this.pick(BODIES)} ${this.pick(BODIES)}`,
      occurredAt: new Date(now - this.int(0, days * 24 * 3600) * 1000).toISOString(),
      loggedBy,
    };
  }

  /** A short fragment of a stored name or email, optionally with one typo: what people type into a search box. */
  searchTerm(contact: { firstName: string; lastName?: string | null }, typo: boolean): string {
    const word = this.chance(0.5) || !contact.lastName ? contact.firstName : contact.lastName;
    if (!typo || word.length < 5) return word.toLowerCase();
    const i = this.int(1, word.length - 2);
    return (word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)).toLowerCase();
  }

  pick<T>(items: readonly T[]): T {
    return items[this.faker.number.int(items.length - 1)];
  }

  int(min: number, max: number): number {
    return this.faker.number.int({ min, max });
  }

  chance(p: number): boolean {
    return this.faker.number.float() < p;
  }

  private some<T>(items: readonly T[], min: number, max: number): T[] {
    return this.faker.helpers.arrayElements(items, { min, max });
  }

  private weighted<T>(choices: [T, number][]): T {
    return this.faker.helpers.weightedArrayElement(choices.map(([value, weight]) => ({ value, weight })));
  }

  /** North American numbers in the 555 range (fictional). */
  private phone(): string {
    return `+1 ${this.int(201, 989)} 555-${String(this.int(0, 9999)).padStart(4, '0')}`;
  }

  private date(from: Date, to: Date): string {
    return new Date(from.getTime() + this.faker.number.int(to.getTime() - from.getTime())).toISOString().slice(0, 10);
  }
}

export interface Company {
  externalId: string;
  name: string;
  domain: string;
  industry: string;
  phones: { number: string; label: string }[];
  addresses: Record<string, string>[];
  ownerId: string;
  tags: string[];
  customFields: Record<string, string | number>;
}

export interface Interaction {
  contactId: string;
  channel: InteractionChannel;
  direction: 'inbound' | 'outbound' | null;
  subject: string;
  body: string;
  occurredAt: string;
  loggedBy: string;
}

/** The custom fields the demo tenant defines (and fills). */
export const DEMO_CUSTOM_FIELDS = [
  { entity: 'contact', key: 'lead_source', label: 'Lead source', type: 'select', options: ['web', 'referral', 'event', 'partner', 'cold_call'] },
  { entity: 'contact', key: 'newsletter', label: 'Newsletter opt-in', type: 'boolean' },
  { entity: 'contact', key: 'birthday', label: 'Birthday', type: 'date' },
  { entity: 'company', key: 'employees', label: 'Employees', type: 'number' },
  { entity: 'company', key: 'tier', label: 'Account tier', type: 'select', options: ['strategic', 'key', 'standard'] },
] as const;

const SUBJECT_PREFIX: Record<InteractionChannel, string> = { call: 'Call: ', email: 'Re: ', meeting: 'Meeting: ', chat: 'Chat: ', note: 'Note: ' };
const TOPICS = [
  'pricing question',
  'renewal',
  'onboarding',
  'product demo',
  'contract review',
  'support ticket follow-up',
  'quarterly business review',
  'expansion to a second team',
  'invoice',
  'feature request',
  'introduction',
  'security questionnaire',
];
const BODIES = [
  'Walked through the proposal and the next steps.',
  'They asked for a discount on a two-year term.',
  'Sent the updated quote and the case study.',
  'Interested, but the budget is decided next quarter.',
  'Scheduled a follow-up with their IT lead.',
  'Resolved the login issue; they are happy.',
  'Wants to bring in the finance team before signing.',
  'Shared the onboarding checklist.',
  'No answer; left a voicemail.',
  'Agreed on a pilot with ten seats.',
];

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** ASCII lower-case letters and digits: what an email local part or a domain label is made of here. */
function slug(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
