/**
 * Sales benchmark: the board, moving a deal, recording an order and a contact's purchase history
 * through the gateway, against the targets, next to the gateway's echo round trip to the
 * sales-automation service measured in the same run (the baseline: ratios hold up between runs
 * and machines far better than absolute figures):
 *
 *   npm run bench:sales
 *
 * Gateway, contacts, analytics and sales-automation as bench/support/crm-system.ts starts them
 * (separate processes, the production bundles as the image runs them; BENCH_RUNTIME=source from source). A tenant is
 * signed up (`npm run seed` with no records), a pipeline of six stages and one contact are made
 * through the API, then BENCH_DEALS (default 100,000) deals in that pipeline, 50 products and
 * BENCH_ORDERS (default 1,000) orders of the contact (three lines each) go straight into the
 * sales-automation database with SQL (bench/support/sales-sql-seed.ts), then VACUUM ANALYZE.
 * Analytics is stopped before the loads (as in bench/contacts.bench.ts): the paths measured are
 * the gateway's and sales-automation's.
 *
 * HTTP load: wrk (installed if missing) in its own process, 2 threads, 32 connections,
 * BENCH_WARMUP_SECONDS (default 3) warm-up then BENCH_SECONDS (default 10) measured, with
 * pidstat alongside for each process's CPU (bench/rows/row.ts). Writes bench/results/sales.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { seed, SEED_DEFAULTS } from '../tools/seed/seed';
import { CONNECTIONS, httpRow, Row, SECONDS, WARMUP_SECONDS } from './rows/row';
import { CrmSystem, startCrmSystem } from './support/crm-system';
import { POSTGRES, Processes, RABBITMQ, REDIS } from './support/pidstat';
import { fmt, log } from './support/processes';
import { SalesSeedResult, seedSalesSql } from './support/sales-sql-seed';
import { ensureLoadTools } from './support/wrk';

const DEALS = Number(process.env['BENCH_DEALS'] ?? 100_000);
const ORDERS = Number(process.env['BENCH_ORDERS'] ?? 1_000);
const PRODUCTS = 50;
const PAGE = 25;
/** Deals of each stage that are never moved: the neighbours the moves drop deals after, as a drag on the board names one. */
const ANCHORS_PER_STAGE = 20;
/** Deals the move row rotates through, taken evenly from every stage. */
const MOVED_DEALS = 6_000;
const STAGES = [
  { name: 'Qualification', winProbability: 10 },
  { name: 'Needs analysis', winProbability: 20 },
  { name: 'Proposal', winProbability: 40 },
  { name: 'Negotiation', winProbability: 60 },
  { name: 'Contract sent', winProbability: 80 },
  { name: 'Closing', winProbability: 90 },
];
const LOAD_GENERATOR = 'load generator';
const COLUMNS = ['api-gateway', 'sales-automation', 'contacts', POSTGRES, RABBITMQ, REDIS, LOAD_GENERATOR] as const;

interface Planned {
  key: string;
  name: string;
  target?: string;
  met?: (row: Row) => boolean;
  run: () => Promise<Row>;
}

async function api<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const luaList = (items: string[]) => `{ ${items.map((s) => JSON.stringify(s)).join(', ')} }`;

/** Every stage's deals in turn (first of each stage, then second of each, ...), so consecutive moves start from different stages. */
function interleave(lists: string[][], count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count && lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length && out.length < count) out.push(l[i]);
  return out;
}

async function main() {
  const started = Date.now();
  const hardStop = setTimeout(() => {
    console.error('benchmark exceeded 20 minutes, aborting');
    process.exit(2);
  }, 20 * 60_000);
  hardStop.unref();
  ensureLoadTools();
  let system: CrmSystem | undefined;
  process.once('SIGINT', () => void (system?.close() ?? Promise.resolve()).finally(() => process.exit(130)));

  let report = '';
  try {
    const running = await startCrmSystem({ with: ['sales-automation'], readyTimeoutMs: 300_000 });
    system = running;
    const { gatewayUrl } = running;
    const salesDatabaseUrl = running.databaseUrls['sales-automation'] as string;

    log('signing up a tenant; a pipeline and a contact through the API');
    const tenant = await seed({ ...SEED_DEFAULTS, baseUrl: gatewayUrl, companies: 0, contacts: 0, interactions: 0 });
    const token = tenant.accessToken;
    const pipeline = await api<{ id: string }>(gatewayUrl, token, 'POST', '/api/v1/pipelines', { name: 'Bench pipeline', stages: STAGES });
    const contact = await api<{ id: string }>(gatewayUrl, token, 'POST', '/api/v1/contacts', { firstName: 'History', lastName: 'Holder' });
    log(`writing ${fmt(DEALS)} deals, ${PRODUCTS} products and ${fmt(ORDERS)} orders of one contact with SQL`);
    const data: SalesSeedResult = await seedSalesSql(salesDatabaseUrl, {
      tenantId: tenant.tenantId,
      pipelineId: pipeline.id,
      deals: DEALS,
      products: PRODUCTS,
      contactId: contact.id,
      orders: ORDERS,
    });
    log(`written in ${data.seconds.toFixed(1)} s (with VACUUM ANALYZE)`);
    await running.stop('analytics');

    const databases = Object.values(running.databaseUrls).map((url) => new URL(url).pathname.slice(1));
    const processes = (loadGenerator?: number): Processes => ({
      pids: {
        ...Object.fromEntries(Object.entries(running.processes).map(([name, p]) => [name, [p.child.exitCode === null ? p.child.pid : undefined]])),
        [LOAD_GENERATOR]: [loadGenerator],
      },
      databases,
    });
    const auth = { authorization: `Bearer ${token}` };
    const v1 = `${gatewayUrl}/api/v1`;
    const boardPaths = data.stages.map((s) => `/api/v1/deals?pipelineId=${pipeline.id}&stageId=${s.id}&sort=position&limit=${PAGE}`);
    const anchors = data.stages.map((s) => s.openDeals.slice(0, ANCHORS_PER_STAGE));
    const moved = interleave(
      data.stages.map((s) => s.openDeals.slice(ANCHORS_PER_STAGE)),
      MOVED_DEALS,
    );
    const openPerStage = Math.round(data.stages.reduce((n, s) => n + s.openDeals.length, 0) / data.stages.length);
    let recorded = 0;
    let moves = 0;

    const plan: Planned[] = [
      {
        key: 'echo',
        name: 'baseline: gateway echo, GET /diagnostics/sales-automation/echo',
        run: () => httpRow('gateway echo (sales-automation)', { url: `${v1}/diagnostics/sales-automation/echo?payload=x`, headers: auth }, processes),
      },
      {
        key: 'board',
        name: `board: GET /deals?pipelineId&stageId&sort=position&limit=${PAGE}, first page of one stage (${data.stages.length} stages rotating, ~${fmt(openPerStage)} open deals each, ${fmt(DEALS)} deals in the pipeline)`,
        target: 'p99 ≤ 50 ms',
        met: (r) => (r.p99 ?? Infinity) <= 50,
        run: () => httpRow('board', { url: `${gatewayUrl}${boardPaths[0]}`, headers: auth, paths: boardPaths }, processes),
      },
      {
        key: 'history',
        name: `order history: GET /contacts/:id/orders?limit=${PAGE}, first page (a contact with ${fmt(ORDERS)} orders of 3 lines)`,
        run: () => httpRow('order history', { url: `${v1}/contacts/${contact.id}/orders?limit=${PAGE}`, headers: auth }, processes),
      },
      {
        key: 'move',
        name: `move: POST /deals/:id/move {stageId, afterId} (${fmt(moved.length)} deals rotating, each dropped after one of ${ANCHORS_PER_STAGE} fixed deals of a stage)`,
        target: '≥ 800 moves/s',
        met: (r) => r.perSecond >= 800,
        run: async () => {
          const row = await httpRow(
            'move',
            {
              url: `${v1}/deals/${moved[0]}/move`,
              method: 'POST',
              headers: auth,
              paths: moved.map((id) => `/api/v1/deals/${id}/move`),
              preludeLua: `local S = ${luaList(data.stages.map((s) => s.id))}\nlocal A = { ${anchors.map(luaList).join(', ')} }`,
              // The stage turns with every request, the neighbour every time the stages come round.
              bodyLua: `'{"stageId":"' .. S[n % #S + 1] .. '","afterId":"' .. A[n % #S + 1][math.floor(n / #S) % #A[n % #S + 1] + 1] .. '"}'`,
            },
            processes,
          );
          moves += row.count;
          return row;
        },
      },
      {
        key: 'order',
        name: 'record an order: POST /orders, 3 catalogue lines (contacts rotating over 1,000)',
        target: '≥ 600 orders/s',
        met: (r) => r.perSecond >= 600,
        run: async () => {
          const row = await httpRow(
            'record order',
            {
              url: `${v1}/orders`,
              method: 'POST',
              headers: auth,
              preludeLua: `local P = ${luaList(data.productIds)}\nlocal function line(k, q) return '{"productId":"' .. P[k % #P + 1] .. '","quantity":' .. q .. '}' end`,
              // A syntactically valid v4 uuid per contact: this run's tag, then one of 1,000 numbers.
              bodyLua:
                `'{"contactId":"' .. run .. '-0000-4000-8000-' .. string.format('%012d', n % 1000) .. '","currency":"EUR","purchasedAt":"2026-11-30T12:00:00.000Z","channel":"web","lines":[' ` +
                `.. line(n, 1) .. ',' .. line(n + 1, 2) .. ',' .. line(n + 2, 3) .. ']}'`,
            },
            processes,
          );
          recorded += row.count;
          return row;
        },
      },
    ];

    const only = process.env['BENCH_ROWS']?.split(',').map((s) => s.trim());
    const rows: { planned: Planned; row: Row }[] = [];
    for (const planned of plan) {
      if (only && planned.key !== 'echo' && !only.includes(planned.key)) continue;
      let row: Row;
      try {
        row = await planned.run();
      } catch (error) {
        log(`${planned.name} failed:`, error);
        row = { name: planned.name, perSecond: NaN, unit: 'req/s', count: 0, errors: 0, failed: (error as Error).message.split('\n')[0] };
      }
      row.name = planned.name;
      row.target = planned.target;
      if (row.count > 0 && row.errors >= row.count) row.failed = `every answer was an error (${fmt(row.errors)}): is the route there?`;
      if (planned.met && !row.failed) row.met = planned.met(row) && row.errors === 0;
      rows.push({ planned, row });
    }
    report = table(
      rows.map((r) => r.row),
      rows.find((r) => r.planned.key === 'echo')?.row,
      { deals: DEALS, orders: ORDERS, seedSeconds: data.seconds, moves, recorded, started, runtime: running.runtime },
    );
  } finally {
    await system?.close();
  }

  console.log(report);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'sales.md'), report);
  log('written bench/results/sales.md');
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-';

interface RunFacts {
  deals: number;
  orders: number;
  seedSeconds: number;
  moves: number;
  recorded: number;
  started: number;
  runtime: 'source' | 'bundle';
}

function table(rows: Row[], echo: Row | undefined, facts: RunFacts): string {
  const cores = cpus().length;
  const perRequest = (r: Row, column: string) => (r.cpu && r.perSecond > 0 ? (r.cpu[column] ?? 0) / r.perSecond : NaN);
  const sum = (r: Row) => COLUMNS.reduce((total, column) => total + (perRequest(r, column) || 0), 0);
  const lines = [
    '# Sales benchmark',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${cores} cores shared by everything below (all on 127.0.0.1). ` +
      `Services ${facts.runtime === 'bundle' ? 'from the production bundles' : 'from source (swc-node)'}, NODE_ENV=production, LOG_LEVEL=warn, rate limits raised; analytics stopped during the loads. ` +
      `HTTP load: wrk in its own process, 2 threads, ${CONNECTIONS} connections, ${WARMUP_SECONDS}s warm-up, ${SECONDS}s measured. ` +
      `Data: ${fmt(facts.deals)} deals in one pipeline of six stages (8 in 10 open), ${PRODUCTS} products, ${fmt(facts.orders)} orders of one contact, written with SQL in ${facts.seedSeconds.toFixed(1)} s.`,
    '',
    '| path | req/s | p50 (ms) | p99 (ms) | errors | req/s vs echo | p50 vs echo | p99 vs echo | target | met | CPU ms per request: gateway / sales-automation / contacts / Postgres / RabbitMQ / Redis / wrk | sum (ms) | most the cores allow |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|',
  ];
  for (const r of rows) {
    if (r.failed) {
      lines.push(`| ${r.name} | failed: ${r.failed.replace(/\|/g, '/')} |  |  | ${r.errors} |  |  |  | ${r.target ?? ''} | **no** |  |  |  |`);
      continue;
    }
    const base = r === echo ? undefined : echo;
    const total = sum(r);
    lines.push(
      `| ${r.name} | ${fmt(r.perSecond)} | ${fmt(r.p50 ?? NaN, 2)} | ${fmt(r.p99 ?? NaN, 2)} | ${r.errors} | ` +
        `${base ? ratio(r.perSecond, base.perSecond) : ''} | ${base ? ratio(r.p50, base.p50) : ''} | ${base ? ratio(r.p99, base.p99) : ''} | ` +
        `${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} | ` +
        `${r.cpu ? COLUMNS.map((c) => (r.cpu?.[c] ? fmt(perRequest(r, c), 3) : '-')).join(' / ') : ''} | ${r.cpu ? fmt(total, 3) : ''} | ${r.cpu && total > 0 ? fmt((cores * 1000) / total) : ''} |`,
    );
  }
  lines.push(
    '',
    'Ratios are to the gateway echo (an authenticated round trip gateway → bus → sales-automation → back, no database) of this run. ' +
      "CPU ms per request: each process's CPU during the measured window (pidstat -u, one-second samples) divided by the rate; Postgres is this run's backends and the " +
      'server\'s background processes; RabbitMQ and Redis are shared servers. "Most the cores allow" = cores × 1,000 ms / sum: the rate the path could reach with the machine to itself. ' +
      'Board: open deals of one stage by drag position (the index (tenant, pipeline, stage, status, position, id)). Move: one stage per request in turn, dropped after a fixed deal of that stage ' +
      '(fractional key between it and its successor); each move also closes and opens a stage visit and writes `deal.moved` to the outbox. Order: three lines priced from the catalogue, `order.recorded` in the same statement.',
    '',
    `Moves during the move row: ${fmt(facts.moves)}; orders recorded: ${fmt(facts.recorded)}. Load average (1 min) at the end: ${loadavg()[0].toFixed(1)}. ` +
      `Total run time ${((Date.now() - facts.started) / 1000).toFixed(0)} s. Command: \`npm run bench:sales\`.`,
  );
  return lines.join('\n') + '\n';
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
