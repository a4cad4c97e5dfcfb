import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_CUSTOM_FIELDS, DemoData } from './demo-data';
import { GatewayClient } from './gateway-client';
import { inParallel } from './in-parallel';
import { AutomationSeedCounts, seedAutomation } from './automation-seed';
import { seedSupport, SupportSeedCounts } from './support-seed';
import { SalesSeedCounts, seedSales } from './sales-seed';

export interface SeedOptions {
  /** The gateway, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** Add to this existing tenant (log in as this user) instead of signing up a new one. */
  existing?: { email: string; password: string };
  companies: number;
  contacts: number;
  interactions: number;
  /** Sales: catalogue products, deals spread over a new pipeline's stages, and orders of some contacts (default none; `npm run seed` asks for SALES_SEED_DEFAULTS). */
  products?: number;
  deals?: number;
  orders?: number;
  /** Support: tickets mailed in by demo contacts, with a mailbox, business hours, SLA policies and a knowledge base (default none; `npm run seed` asks for SUPPORT_SEED_DEFAULTS). */
  tickets?: number;
  /** PRNG seed: the same seed makes the same records. */
  seed: number;
  /** Records per import request (the routes take up to 1,000). */
  batchSize: number;
  /** Import requests in flight at once. */
  parallel: number;
  /** A demo API client of the integration gateway (ERP machine credentials) for the tenant; default none (`npm run seed` asks for one). */
  apiClient?: boolean;
  /** Progress lines; default: none. */
  log?: (line: string) => void;
}

/** The demo API client: its id and secret are the OAuth client_id and client_secret (POST /oauth/token on the integration gateway). */
export interface SeededApiClient {
  id: string;
  secret: string;
  scopes: string[];
}

/** What the demo API client may do: everything an ERP integration does. */
export const DEMO_API_CLIENT_SCOPES = [
  'contacts:read',
  'contacts:write',
  'companies:write',
  'products:write',
  'orders:write',
  'deals:write',
  'changes:read',
  'webhooks:manage',
  'sync-log:read',
];

export const SEED_DEFAULTS = { companies: 1_000, contacts: 10_000, interactions: 50_000, seed: 42, batchSize: 1_000, parallel: 3 };

export interface SeededContact {
  id: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
}

export const SALES_SEED_DEFAULTS = { products: 25, deals: 300, orders: 1_000 };

export interface SeedResult {
  baseUrl: string;
  tenantId: string;
  email: string;
  password: string;
  accessToken: string;
  ownerIds: string[];
  companyIds: string[];
  /** The contacts this run created, in the order they were made up (the same for the same seed). */
  contacts: SeededContact[];
  counts: { companies: number; contacts: number; interactions: number; users: number; customFields: number } & SalesSeedCounts & AutomationSeedCounts & Partial<SupportSeedCounts>;
  /** The demo API client (when asked for and the integration gateway answered). */
  apiClient?: SeededApiClient;
  seconds: number;
}

interface Session {
  accessToken: string;
  user: { id: string; tenantId: string };
}

/**
 * Fills a tenant with demo data through the gateway's public API: sign-up (or log-in), a few
 * users to own records, custom field definitions, then companies, contacts and interactions
 * through the bulk import routes, a few batches in flight at once; then the sales side (sales-seed.ts).
 */
export async function seed(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const client = new GatewayClient(options.baseUrl.replace(/\/$/, ''));
  const data = new DemoData(options.seed);
  const runTag = randomBytes(4).toString('hex');

  // --- the tenant and who owns its records
  let email: string;
  let password: string;
  let session: Session;
  let counts: SeedResult['counts'] = {
    companies: 0,
    contacts: 0,
    interactions: 0,
    users: 0,
    customFields: 0,
    products: 0,
    pipelines: 0,
    deals: 0,
    orders: 0,
    emailTemplates: 0,
    sequences: 0,
    workflowRules: 0,
  };
  if (options.existing) {
    ({ email, password } = options.existing);
    const tokens = await client.post<{ accessToken: string }>('/api/v1/auth/login', { email, password });
    client.authenticate(tokens.accessToken);
    const me = await client.get<{ user: Session['user'] }>('/api/v1/auth/me');
    session = { accessToken: tokens.accessToken, user: me.user };
  } else {
    email = `demo-${runTag}@example.com`;
    password = `demo-${randomBytes(12).toString('base64url')}`;
    session = await client.post<Session>('/api/v1/auth/signup', { organization: 'Demo Trading Co.', name: 'Demo Admin', email, password });
  }
  client.authenticate(session.accessToken);
  const ownerIds = [session.user.id];
  if (!options.existing) {
    for (const [n, name] of ['Sam Seller', 'Maria Manager', 'Alex Account'].entries()) {
      const user = await client.post<{ id: string }>('/api/v1/users', {
        email: `demo-${runTag}-user${n + 1}@example.com`,
        name,
        password: `demo-${randomBytes(12).toString('base64url')}`,
        roles: n === 1 ? ['manager'] : ['sales'],
      });
      ownerIds.push(user.id);
      counts.users++;
    }
  } else {
    const users = await client.get<{ data: { id: string; active?: boolean }[] }>('/api/v1/users?limit=100').catch(() => ({ data: [] }));
    for (const u of users.data) if (!ownerIds.includes(u.id)) ownerIds.push(u.id);
  }
  log(`tenant ${session.user.tenantId}, ${ownerIds.length} owners`);

  // --- custom fields: defined unless the tenant already has them (409)
  for (const definition of DEMO_CUSTOM_FIELDS) {
    const status = await client.postStatus('/api/v1/custom-fields', definition);
    if (status === 201) counts.customFields++;
    else if (status !== 409) throw new Error(`defining custom field ${definition.key}: ${status}`);
  }

  // --- companies
  let t = performance.now();
  const companyBatches = chunks(
    Array.from({ length: options.companies }, () => data.company(ownerIds)),
    options.batchSize,
  );
  const companies = (
    await inParallel(companyBatches, options.parallel, async (batch) => {
      const { created } = await client.post<{ created: { id: string }[] }>('/api/v1/imports/companies', { companies: batch });
      return created.map(({ id }, i) => ({ id, domain: batch[i].domain }));
    })
  ).flat();
  counts.companies = companies.length;
  if (options.existing && companies.length === 0 && options.contacts > 0) companies.push(...(await existingCompanies(client)));
  if (options.companies) log(`${counts.companies} companies in ${secondsSince(t)} s`);

  // --- contacts
  t = performance.now();
  const contactBatches = chunks(
    Array.from({ length: options.contacts }, () => data.contact(companies, ownerIds)),
    options.batchSize,
  );
  const contacts: SeededContact[] = (
    await inParallel(contactBatches, options.parallel, async (batch) => {
      const { created } = await client.post<{ created: { id: string }[] }>('/api/v1/imports/contacts', { contacts: batch });
      return created.map(({ id }, i) => ({
        id,
        firstName: batch[i].firstName,
        lastName: batch[i].lastName ?? null,
        email: batch[i].emails?.[0]?.address ?? null,
      }));
    })
  ).flat();
  counts.contacts = contacts.length;
  if (options.contacts) log(`${counts.contacts} contacts in ${secondsSince(t)} s`);

  // --- interactions over the last 90 days
  t = performance.now();
  const now = Date.now();
  const targets = contacts.length ? contacts : options.interactions ? await existingContacts(client) : [];
  if (options.interactions && targets.length === 0) throw new Error('no contacts to log interactions on');
  const interactionBatches = chunks(
    Array.from({ length: options.interactions }, () => data.interaction(data.pick(targets).id, data.pick(ownerIds), 90, now)),
    options.batchSize,
  );
  await inParallel(interactionBatches, options.parallel, async (batch) => {
    const { created } = await client.post<{ created: number }>('/api/v1/imports/interactions', { interactions: batch });
    counts.interactions += created;
  });
  if (options.interactions) log(`${counts.interactions} interactions in ${secondsSince(t)} s`);

  // --- products, a pipeline, deals across its stages and orders
  t = performance.now();
  const { products = 0, deals = 0, orders = 0 } = options;
  const customers = targets.length ? targets : deals + orders ? await existingContacts(client) : [];
  const sales = await seedSales(client, data, { contacts: customers, ownerIds }, { products, deals, orders, runTag, parallel: options.parallel });
  counts = { ...counts, ...sales };
  if (products + deals + orders) log(`${sales.products} products, ${sales.deals} deals, ${sales.orders} orders in ${secondsSince(t)} s`);

  // --- the seeds' automation example (a new demo tenant only: growing a tenant adds no second rule)
  if (!options.existing && products + deals + orders > 0) {
    counts = { ...counts, ...(await seedAutomation(client)) };
    log(
      `${counts.emailTemplates} email templates, ${counts.sequences} sequence, ${counts.workflowRules} workflow rule (order recorded → thank-you, offer in three weeks)`,
    );
  }

  // --- support: a mailbox, SLAs, a knowledge base and tickets (a new demo tenant only: its mailbox address is new)
  const tickets = options.tickets ?? 0;
  if (!options.existing && tickets > 0) {
    t = performance.now();
    const support = await seedSupport(client, customers, { tickets, runTag, parallel: options.parallel });
    counts = { ...counts, ...support };
    log(`${support.tickets} tickets, ${support.slaPolicies} SLA policies, ${support.kbArticles} knowledge-base articles in ${secondsSince(t)} s`);
  }

  // --- a demo API client for ERP integrations (through the gateway's admin route; the integration gateway must run)
  let apiClient: SeededApiClient | undefined;
  if (options.apiClient) {
    try {
      const created = await client.post<SeededApiClient>('/api/v1/integrations/clients', { name: `Demo ERP ${runTag}`, scopes: DEMO_API_CLIENT_SCOPES });
      apiClient = { id: created.id, secret: created.secret, scopes: created.scopes };
      log(`API client ${created.id}`);
    } catch (error) {
      log(`no demo API client (is the integration gateway running?): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    baseUrl: client.baseUrl,
    tenantId: session.user.tenantId,
    email,
    password,
    accessToken: session.accessToken,
    ownerIds,
    companyIds: companies.map((c) => c.id),
    contacts,
    counts,
    apiClient,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Up to 2,000 of the tenant's companies, to link new contacts to when growing a tenant. */
async function existingCompanies(client: GatewayClient): Promise<{ id: string; domain: string }[]> {
  const found: { id: string; domain: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: { id: string; domain: string | null }[]; nextCursor: string | null } = await client.get(
      `/api/v1/companies?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    found.push(...page.data.map((c) => ({ id: c.id, domain: c.domain ?? `company-${c.id.slice(0, 8)}.example.com` })));
    cursor = page.nextCursor;
  } while (cursor && found.length < 2_000);
  return found;
}

/** Up to 2,000 of the tenant's contacts, to log interactions on when adding only those. */
async function existingContacts(client: GatewayClient): Promise<SeededContact[]> {
  const found: SeededContact[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: { id: string; firstName: string; lastName: string | null; emails: { address: string }[] }[]; nextCursor: string | null } =
      await client.get(`/api/v1/contacts?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    found.push(...page.data.map((c) => ({ id: c.id, firstName: c.firstName, lastName: c.lastName, email: c.emails[0]?.address ?? null })));
    cursor = page.nextCursor;
  } while (cursor && found.length < 2_000);
  return found;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const secondsSince = (t: number) => ((performance.now() - t) / 1000).toFixed(1);
