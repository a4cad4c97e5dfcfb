import type { DemoData } from './demo-data';
import type { GatewayClient } from './gateway-client';
import { inParallel } from './in-parallel';

export interface SalesSeedOptions {
  products: number;
  deals: number;
  orders: number;
  /** Makes the SKUs of this run unique in the tenant (a re-run adds a catalogue rather than failing). */
  runTag: string;
  parallel: number;
}

export interface SalesSeedCounts {
  products: number;
  pipelines: number;
  deals: number;
  orders: number;
}

interface Product {
  id: string;
  unitPriceMinor: number;
}
interface Pipeline {
  id: string;
  stages: { id: string; name: string }[];
}

const PRODUCT_KINDS = ['Starter plan', 'Team plan', 'Enterprise plan', 'Onboarding package', 'Support hours', 'Training day', 'API add-on', 'Storage pack'];
const PRODUCT_EDITIONS = ['Basic', 'Plus', 'Pro', 'Max'];
/** A sales process as small companies run it: the win probability grows stage by stage. */
const DEMO_STAGES = [
  { name: 'Qualified', winProbability: 10 },
  { name: 'Needs analysis', winProbability: 25 },
  { name: 'Proposal sent', winProbability: 50 },
  { name: 'Negotiation', winProbability: 75 },
];
const DEAL_TOPICS = ['Annual licence', 'Team rollout', 'Pilot project', 'Renewal', 'Expansion', 'Migration'];
const LOST_REASONS = ['Price too high', 'Chose a competitor', 'No budget this year', 'Went silent'];
const ORDER_STATUSES = ['placed', 'paid', 'paid', 'shipped', 'shipped', 'shipped'] as const;
const CHANNELS = ['web', 'store', 'phone', 'marketplace', 'erp'] as const;
const DAY_MS = 24 * 3600_000;

/**
 * The sales side of the demo tenant, through the gateway like the rest: a product catalogue (EUR,
 * prices in cents), a pipeline with stages, deals spread over the stages (some won, some lost) and
 * a purchase history of the last year for some contacts. Deals and orders have no bulk route:
 * `parallel` requests at a time.
 */
export async function seedSales(
  client: GatewayClient,
  data: DemoData,
  targets: { contacts: { id: string }[]; ownerIds: string[] },
  options: SalesSeedOptions,
): Promise<SalesSeedCounts> {
  const counts: SalesSeedCounts = { products: 0, pipelines: 0, deals: 0, orders: 0 };
  if (options.products + options.deals + options.orders === 0) return counts;

  const productInputs = Array.from({ length: Math.max(1, options.products) }, (_, i) => ({
    sku: `DEMO-${options.runTag}-${String(i + 1).padStart(3, '0')}`,
    name: `${data.pick(PRODUCT_KINDS)} ${data.pick(PRODUCT_EDITIONS)}`,
    description: 'Demo product',
    unitPriceMinor: data.int(5, 500) * 100 - data.pick([0, 1, 5]),
    currency: 'EUR',
  }));
  const products = await inParallel(productInputs, options.parallel, (product) => client.post<Product>('/api/v1/products', product));
  counts.products = products.length;

  const pipeline = await client.post<Pipeline>('/api/v1/pipelines', { name: `Demo sales ${options.runTag}`, stages: DEMO_STAGES });
  counts.pipelines = 1;

  const now = Date.now();
  const customers = targets.contacts;
  const lines = () =>
    Array.from({ length: data.int(1, 3) }, () => {
      const product = data.pick(products);
      return { productId: product.id, quantity: data.int(1, 5), ...(data.chance(0.2) && { discountMinor: Math.floor(product.unitPriceMinor / 10) }) };
    });

  await inParallel(
    Array.from({ length: customers.length ? options.deals : 0 }, (_, i) => i),
    options.parallel,
    async () => {
      const stage = data.pick(pipeline.stages);
      const dealLines = lines().map((line) => {
        const product = products.find((p) => p.id === line.productId) as Product;
        return { productId: product.id, name: 'Demo line', quantity: line.quantity, unitPriceMinor: product.unitPriceMinor };
      });
      const deal = await client.post<{ id: string }>('/api/v1/deals', {
        title: `${data.pick(DEAL_TOPICS)} ${data.int(2026, 2027)}`,
        contactId: data.pick(customers).id,
        currency: 'EUR',
        lines: dealLines,
        amountMinor: dealLines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0),
        expectedCloseDate: new Date(now + data.int(-10, 120) * DAY_MS).toISOString().slice(0, 10),
        ownerId: data.pick(targets.ownerIds),
        pipelineId: pipeline.id,
        stageId: stage.id,
      });
      // About one deal in ten is already decided.
      if (data.chance(0.06)) await client.post(`/api/v1/deals/${deal.id}/won`, {});
      else if (data.chance(0.04)) await client.post(`/api/v1/deals/${deal.id}/lost`, { reason: data.pick(LOST_REASONS) });
      counts.deals++;
    },
  );

  // Purchases of the last year, for about a third of the contacts (at most 500 buyers).
  const buyers = customers.slice(0, Math.min(500, Math.ceil(customers.length / 3)));
  await inParallel(
    Array.from({ length: buyers.length ? options.orders : 0 }, (_, i) => i),
    options.parallel,
    async (i) => {
      await client.post('/api/v1/orders', {
        contactId: data.pick(buyers).id,
        currency: 'EUR',
        lines: lines(),
        purchasedAt: new Date(now - data.int(0, 365 * 24) * 3600_000).toISOString(),
        channel: data.pick(CHANNELS),
        status: data.pick(ORDER_STATUSES),
        externalSystem: 'demo-erp',
        externalId: `SO-${options.runTag}-${i + 1}`,
      });
      counts.orders++;
    },
  );
  return counts;
}
