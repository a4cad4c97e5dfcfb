/**
 * Fills a tenant with demo data through a running system's gateway:
 *
 *   npm run seed                                   # a new tenant: 1,000 companies, 10,000 contacts, 50,000 interactions,
 *                                                  # 25 products, a pipeline with 300 deals and 1,000 orders,
 *                                                  # and a demo ERP API client (its id and secret printed once)
 *   npm run seed -- --url http://127.0.0.1:3000    # or SEED_GATEWAY_URL
 *   npm run seed -- --tenant-email a@b.c --password '...' --companies 0 --contacts 100000 --interactions 0   # grow a tenant
 *
 * Other options: --companies N, --interactions N, --products N, --deals N, --orders N, --tickets N, --seed N (PRNG; same seed, same data),
 * --batch-size N (<= 1000), --parallel N.
 */
import { parseArgs } from 'node:util';
import { SALES_SEED_DEFAULTS, seed, SEED_DEFAULTS } from './seed';
import { SUPPORT_SEED_DEFAULTS } from './support-seed';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env['SEED_GATEWAY_URL'] ?? 'http://127.0.0.1:3000' },
    'tenant-email': { type: 'string' },
    password: { type: 'string' },
    companies: { type: 'string' },
    contacts: { type: 'string' },
    interactions: { type: 'string' },
    products: { type: 'string' },
    deals: { type: 'string' },
    orders: { type: 'string' },
    tickets: { type: 'string' },
    seed: { type: 'string' },
    'batch-size': { type: 'string' },
    parallel: { type: 'string' },
  },
});

function count(name: keyof typeof values, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`--${name} must be an integer between 0 and ${max}, got ${String(raw)}`);
  return n;
}

async function main(): Promise<void> {
  const email = values['tenant-email'];
  if (email !== undefined && values.password === undefined) throw new Error('--tenant-email needs --password');
  const result = await seed({
    baseUrl: values.url as string,
    existing: email !== undefined ? { email, password: values.password as string } : undefined,
    companies: count('companies', SEED_DEFAULTS.companies),
    contacts: count('contacts', SEED_DEFAULTS.contacts),
    interactions: count('interactions', SEED_DEFAULTS.interactions),
    products: count('products', SALES_SEED_DEFAULTS.products),
    deals: count('deals', SALES_SEED_DEFAULTS.deals),
    orders: count('orders', SALES_SEED_DEFAULTS.orders),
    tickets: count('tickets', SUPPORT_SEED_DEFAULTS.tickets),
    seed: count('seed', SEED_DEFAULTS.seed),
    batchSize: Math.max(1, count('batch-size', SEED_DEFAULTS.batchSize, 1_000)),
    parallel: Math.max(1, count('parallel', SEED_DEFAULTS.parallel, 32)),
    apiClient: true,
    log: (line) => console.log(`  ${line}`),
  });
  const { counts } = result;
  console.log(`
Seeded tenant ${result.tenantId} at ${result.baseUrl} in ${result.seconds.toFixed(1)} s:
  ${counts.companies} companies, ${counts.contacts} contacts, ${counts.interactions} interactions, ${counts.users} users, ${counts.customFields} custom fields
  ${counts.products} products, ${counts.pipelines} pipeline, ${counts.deals} deals, ${counts.orders} orders
  ${counts.emailTemplates} email templates, ${counts.sequences} sequence and ${counts.workflowRules} workflow rule (order recorded → thank-you now, an offer in three weeks unless bought again)
  ${counts.tickets ?? 0} support tickets, ${counts.slaPolicies ?? 0} SLA policies, ${counts.kbArticles ?? 0} knowledge-base articles
Log in as:
  email:    ${result.email}
  password: ${result.password}`);
  if (result.apiClient)
    console.log(`ERP API client (shown once; POST /oauth/token on the integration gateway, grant_type=client_credentials):
  client_id:     ${result.apiClient.id}
  client_secret: ${result.apiClient.secret}
  scopes:        ${result.apiClient.scopes.join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
