import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/**
 * Sales data for bench/sales.bench.ts, written with SQL straight into the sales-automation
 * database (generate_series: seconds, where the API would take minutes; no events). The pipeline
 * and the contact are made through the API first, so their rows are the service's own.
 */

/** The fractional-indexing alphabet (base 62, ASCII order: sorts as bytes under COLLATE "C"). */
const BASE_62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `c` and three base-62 digits: an integer key of fractional-indexing (the head `c` says three
 * digits follow), valid for generateKeyBetween, increasing with n up to 62³ (238,328) per stage.
 */
const positionKey = (n: string) =>
  `'c' || substr('${BASE_62}', (${n} / 3844) % 62 + 1, 1) || substr('${BASE_62}', (${n} / 62) % 62 + 1, 1) || substr('${BASE_62}', ${n} % 62 + 1, 1)`;

export interface SalesSeedOptions {
  tenantId: string;
  pipelineId: string;
  /** Deals spread round-robin over the pipeline's stages; every tenth won, every tenth lost, the rest open. */
  deals: number;
  /** Catalogue products (priced in EUR) the orders' lines name. */
  products: number;
  /** Orders of `contactId`, three lines each, one an hour back from now. */
  contactId: string;
  orders: number;
}

export interface SalesSeedResult {
  seconds: number;
  /** Stage ids in board order, and the open deals of each in drag order. */
  stages: { id: string; openDeals: string[] }[];
  productIds: string[];
}

export async function seedSalesSql(databaseUrl: string, o: SalesSeedOptions): Promise<SalesSeedResult> {
  const db = new Client({ connectionString: databaseUrl });
  const t0 = performance.now();
  try {
    await db.connect();
    await db.query('BEGIN');
    const stages = (
      await db.query<{ id: string }>('SELECT id FROM pipeline_stage WHERE tenant_id = $1 AND pipeline_id = $2 ORDER BY position', [o.tenantId, o.pipelineId])
    ).rows.map((r) => r.id);
    if (!stages.length) throw new Error(`pipeline ${o.pipelineId} has no stages`);
    const perStage = Math.ceil(o.deals / stages.length);
    if (perStage > 62 ** 3) throw new Error(`at most ${62 ** 3} deals per stage`);

    await db.query(
      `INSERT INTO deal (id, tenant_id, title, customer_name, amount_minor, currency, expected_close_date, pipeline_id, stage_id, position,
                         status, lost_reason, closed_at, stage_entered_at, lines, created_at, updated_at)
       SELECT gen_random_uuid(), $1, 'Bench deal ' || g, 'Customer ' || (g % 5000), (g * 7919) % 1000000 * 100, 'EUR',
              date '2027-01-01' + (g % 365), $2, ($3::uuid[])[g % cardinality($3::uuid[]) + 1],
              ${positionKey('(g / cardinality($3::uuid[]))')},
              CASE g % 10 WHEN 0 THEN 'won' WHEN 1 THEN 'lost' ELSE 'open' END,
              CASE g % 10 WHEN 1 THEN 'Went with a competitor' END,
              CASE WHEN g % 10 < 2 THEN now() - make_interval(days => g % 90) END,
              now() - make_interval(hours => g % 2000),
              jsonb_build_array(jsonb_build_object('productId', NULL, 'sku', NULL, 'name', 'Service', 'quantity', 1,
                                                   'unitPriceMinor', (g * 7919) % 1000000 * 100, 'discountMinor', 0, 'totalMinor', (g * 7919) % 1000000 * 100)),
              now() - make_interval(hours => g % 4000), now() - make_interval(mins => g % 100000)
       FROM generate_series(0, $4::int - 1) AS g`,
      [o.tenantId, o.pipelineId, stages, o.deals],
    );
    // Each deal's visit of the stage it is in (moves close it and open the next).
    await db.query(
      `INSERT INTO deal_stage_history (id, tenant_id, deal_id, pipeline_id, stage_id, entered_at)
       SELECT gen_random_uuid(), tenant_id, id, pipeline_id, stage_id, stage_entered_at FROM deal WHERE tenant_id = $1 AND pipeline_id = $2`,
      [o.tenantId, o.pipelineId],
    );

    const productIds = (
      await db.query<{ id: string }>(
        `INSERT INTO product (id, tenant_id, sku, name, description, unit_price_minor, currency)
         SELECT gen_random_uuid(), $1, 'BENCH-' || lpad(g::text, 4, '0'), 'Bench product ' || g, 'For the benchmark', 500 + g * 250, 'EUR'
         FROM generate_series(1, $2::int) AS g
         RETURNING id`,
        [o.tenantId, o.products],
      )
    ).rows.map((r) => r.id);

    // The contact's orders: three lines each (product k = (3 × order + line) mod products), totals as the service computes them.
    await db.query(
      `CREATE TEMP TABLE bench_line ON COMMIT DROP AS
       SELECT g AS order_no, j AS position, p.id AS product_id, p.sku, p.name, 1 + (g + j) % 3 AS quantity, p.unit_price_minor
       FROM generate_series(0, $2::int - 1) AS g
       CROSS JOIN generate_series(0, 2) AS j
       JOIN (SELECT id, sku, name, unit_price_minor, row_number() OVER (ORDER BY sku) - 1 AS k FROM product WHERE tenant_id = $1) p
         ON p.k = (g * 3 + j) % $3`,
      [o.tenantId, o.orders, o.products],
    );
    await db.query(`CREATE TEMP TABLE bench_order ON COMMIT DROP AS SELECT g AS order_no, gen_random_uuid() AS id FROM generate_series(0, $1::int - 1) AS g`, [
      o.orders,
    ]);
    await db.query(
      `INSERT INTO sales_order (id, tenant_id, contact_id, currency, subtotal_minor, discount_minor, total_minor, purchased_at, channel, status, created_at, updated_at)
       SELECT o.id, $1, $2, 'EUR', sum(l.quantity * l.unit_price_minor), 0, sum(l.quantity * l.unit_price_minor),
              now() - make_interval(hours => o.order_no), 'web', 'paid', now(), now()
       FROM bench_order o JOIN bench_line l USING (order_no)
       GROUP BY o.id, o.order_no`,
      [o.tenantId, o.contactId],
    );
    await db.query(
      `INSERT INTO order_line (order_id, position, tenant_id, product_id, sku, name, quantity, unit_price_minor, discount_minor, total_minor)
       SELECT o.id, l.position, $1, l.product_id, l.sku, l.name, l.quantity, l.unit_price_minor, 0, l.quantity * l.unit_price_minor
       FROM bench_order o JOIN bench_line l USING (order_no)`,
      [o.tenantId],
    );
    await db.query('COMMIT');
    // As autovacuum would within a minute of a bulk load (plans and index-only scans rely on it).
    await db.query('VACUUM ANALYZE');

    const open = await db.query<{ stage_id: string; ids: string[] }>(
      `SELECT stage_id, array_agg(id ORDER BY position, id) AS ids FROM deal
       WHERE tenant_id = $1 AND pipeline_id = $2 AND status = 'open' AND deleted_at IS NULL GROUP BY stage_id`,
      [o.tenantId, o.pipelineId],
    );
    const byStage = new Map(open.rows.map((r) => [r.stage_id, r.ids]));
    return { seconds: (performance.now() - t0) / 1000, stages: stages.map((id) => ({ id, openDeals: byStage.get(id) ?? [] })), productIds };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}
