/**
 * Contacts benchmark: the customer-records paths through the whole system, against the issue's
 * targets, next to the gateway's echo round trip measured in the same run (ratios matter,
 * absolute numbers drift between runs and with what else the machine is doing):
 *
 *   npm run bench:contacts
 *
 * Gateway, contacts and analytics run as separate processes (the production bundles;
 * BENCH_RUNTIME=source from source), each with a fresh migrated database, one bus prefix and rate limits out of the way. A tenant is filled by
 * the seed (tools/seed: 1,000 companies, 10,000 contacts, 50,000 interactions through the import
 * routes) and later grown to 100,000 contacts with SQL straight into the contacts database
 * (support/contacts-sql-seed.ts, with surnames as skewed as real ones: a common-surname search). HTTP load: autocannon, 32 connections,
 * BENCH_WARMUP_SECONDS (default 2) warm-up then BENCH_SECONDS (default 10) measured.
 *
 * Event -> analytics latency is measured first, on a tenant of its own while the analytics queue
 * is empty; analytics is then stopped while the rest runs (its backlog of the seed's events would
 * take a core away from the contacts paths) and started again at the end, where its memory under
 * load and ingest rate are taken while it works through that backlog.
 *
 * Prints markdown tables and writes bench/results/contacts.md.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as amqp from 'amqplib';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { testEnv } from '@crm/testing';
import { seed, SEED_DEFAULTS, SeededContact, SeedResult } from '../tools/seed/seed';
import { seedContactsSql, SqlSeedResult } from './support/contacts-sql-seed';
import { CrmSystem, startCrmSystem } from './support/crm-system';
import { fmt, log, percentile, rssMiB, sleep, Usage, usage } from './support/processes';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 2);
const CONNECTIONS = 32;
const LATENCY_SAMPLES = Number(process.env['BENCH_LATENCY_SAMPLES'] ?? 200);
const GROW_TO = 100_000;

interface Row {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** Status codes of the non-2xx answers, e.g. `504×41`. */
  non2xxCodes?: string;
  target?: string;
  met?: boolean;
  /** CPU of each service during the run (% of one core) and of the whole machine (% of all cores). */
  cpu?: Record<string, number>;
  machineBusy?: number;
}

type Rss = Record<string, number>;

// ---------------------------------------------------------------------------------------------
// measurements

interface LoadOptions {
  method?: 'GET' | 'POST';
  /** A new path per request (rotating ids, terms, filters). */
  path?: () => string;
  /** A new body per request. */
  body?: () => string;
}

async function httpLoad(name: string, url: string, token: string, options: LoadOptions = {}): Promise<Row> {
  const base = new URL(url);
  const run = (duration: number) =>
    autocannon({
      url: base.origin,
      connections: CONNECTIONS,
      duration,
      headers: { authorization: `Bearer ${token}`, ...(options.body && { 'content-type': 'application/json' }) },
      requests: [
        {
          method: options.method ?? 'GET',
          path: base.pathname + base.search,
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            ...(options.path && { path: options.path() }),
            ...(options.body && { body: options.body() }),
          }),
        },
      ],
    });
  log(`${name}: ${WARMUP_SECONDS}s warm-up`);
  await run(WARMUP_SECONDS);
  log(`${name}: ${SECONDS}s, ${CONNECTIONS} connections`);
  const result = await run(SECONDS);
  return {
    name,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    non2xxCodes: Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, { count }]) => `${code}×${count}`)
      .join(', '),
  };
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

const contactsTotal = async (baseUrl: string, token: string) =>
  (await api<{ contacts: { total: number } }>(baseUrl, token, 'GET', '/api/v1/analytics/summary')).contacts.total;

/**
 * POST /contacts, then GET /analytics/summary every ~5 ms until contacts.total counts it: the
 * outbox relay, the broker, the analytics consumer and its read model, one create at a time.
 */
async function eventToAnalytics(baseUrl: string, token: string, samples: number): Promise<{ row: Row; latencies: number[] }> {
  let total = await contactsTotal(baseUrl, token);
  const latencies: number[] = [];
  let errors = 0;
  for (let i = 0; i < samples + 10; i++) {
    const t0 = performance.now();
    await api(baseUrl, token, 'POST', '/api/v1/contacts', { firstName: `Latency${i}`, lastName: 'Probe', allowDuplicates: true });
    total++;
    for (;;) {
      const seen = await contactsTotal(baseUrl, token);
      if (seen >= total) break;
      if (performance.now() - t0 > 10_000) {
        errors++;
        total = seen;
        break;
      }
      await sleep(5);
    }
    if (i >= 10) latencies.push(performance.now() - t0); // the first ten warm up
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  return {
    latencies,
    row: {
      name: `(f) POST /contacts -> GET /analytics/summary counts it (${samples} sequential creates, polled every 5 ms)`,
      perSecond: NaN,
      p50: percentile(sorted, 50),
      p99,
      requests: samples,
      errors,
      non2xx: 0,
      target: 'p99 <= 250 ms',
      met: p99 <= 250 && errors === 0,
    },
  };
}

/**
 * Waits until the contacts outbox has sent everything (a seed leaves tens of thousands of events
 * for the relay and the broker, which would take the machine away from the path measured), then
 * vacuums and analyzes, as autovacuum would within a minute of a bulk load (search plans rely on
 * the visibility map for index-only scans: without it, at 10,000 contacts, they are 10-20x slower).
 */
async function settle(contactsDatabaseUrl: string): Promise<number> {
  const db = new Client({ connectionString: contactsDatabaseUrl });
  const t0 = performance.now();
  try {
    await db.connect();
    for (;;) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL');
      if (rows[0].n === 0) break;
      if (performance.now() - t0 > 10 * 60_000) throw new Error(`outbox still has ${rows[0].n} unsent events after 10 minutes`);
      await sleep(1_000);
    }
    await db.query('VACUUM ANALYZE');
    return (performance.now() - t0) / 1000;
  } finally {
    await db.end();
  }
}

/** Events the analytics service has taken in (one inbox row each), and how many wait in its queue. */
async function analyticsProgress(databaseUrl: string, queue: string): Promise<{ ingested: number; waiting: number }> {
  const db = new Client({ connectionString: databaseUrl });
  const connection = await amqp.connect((await testEnv()).rabbitmqUrl);
  try {
    await db.connect();
    const channel = await connection.createChannel();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_message');
    return { ingested: rows[0].n, waiting: (await channel.checkQueue(queue)).messageCount };
  } finally {
    await Promise.allSettled([db.end(), connection.close()]);
  }
}

/** Adds `contacts` contacts (and 100 companies) to the tenant with SQL, then vacuums: seconds, not a minute of imports. */
async function growWithSql(contactsDatabaseUrl: string, tenantId: string, contacts: number): Promise<SqlSeedResult> {
  const db = new Client({ connectionString: contactsDatabaseUrl });
  try {
    await db.connect();
    return await seedContactsSql(db, { tenantId, companies: 100, contacts, seed: 7 });
  } finally {
    await db.end();
  }
}

// ---------------------------------------------------------------------------------------------
// what the loads rotate through

function rotate<T>(items: T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length];
}

/** Name and email fragments of seeded contacts, a third of them with two letters swapped (a typo). */
function searchTerms(contacts: SeededContact[], count: number): string[] {
  const terms: string[] = [];
  for (let i = 0; terms.length < count && i < contacts.length; i += 37) {
    const c = contacts[i];
    const kind = terms.length % 3;
    if (kind === 0) terms.push(c.firstName.toLowerCase());
    else if (kind === 1 && c.email) terms.push(c.email.slice(0, c.email.indexOf('@')));
    else {
      const word = (c.lastName ?? c.firstName).toLowerCase();
      terms.push(word.length >= 5 ? word.slice(0, 2) + word[3] + word[2] + word.slice(4) : word);
    }
  }
  return terms;
}

const FILTERS = [
  'lifecycleStage=customer&tag=vip&sort=-updatedAt&limit=25',
  'lifecycleStage=lead&sort=-updatedAt&limit=25',
  'tag=newsletter&sort=lastName&limit=25',
  'lifecycleStage=prospect&tag=decision-maker&sort=-createdAt&limit=25',
  'lifecycleStage=churned&sort=lastName&limit=25',
];

// ---------------------------------------------------------------------------------------------

const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

async function main() {
  const started = Date.now();
  const hardStop = setTimeout(() => {
    console.error('benchmark exceeded 20 minutes, aborting');
    process.exit(2);
  }, 20 * 60_000);
  hardStop.unref();

  let system: CrmSystem | undefined;
  process.once('SIGINT', () => void (system?.close() ?? Promise.resolve()).finally(() => process.exit(130)));
  let report = '';
  try {
    const running = await startCrmSystem();
    system = running;
    const { gatewayUrl } = running;
    const pids = () => Object.fromEntries(Object.entries(running.processes).map(([name, p]) => [name, p.child.pid]));
    const rows: Row[] = [];
    const idle: Rss = {};
    const underLoad: Rss = {};
    const noteLoad = (peak: Rss) => {
      for (const [name, mib] of Object.entries(peak)) underLoad[name] = Math.max(underLoad[name] ?? 0, mib);
    };
    /** A load's row with the CPU each service used meanwhile; its memory peak counts as "under load". */
    const measured = (u: Usage<Row>, extra: Partial<Row> = {}): Row => {
      noteLoad(u.peakRss);
      return { ...u.result, cpu: u.cpu, machineBusy: u.machineBusy, ...extra };
    };

    // --- (f) first: a tenant of its own, while the analytics queue is empty.
    const probe = await seed({ ...SEED_DEFAULTS, baseUrl: gatewayUrl, companies: 0, contacts: 0, interactions: 0 });
    await sleep(2_000);
    for (const [name, pid] of Object.entries(pids())) idle[name] = rssMiB(pid);
    log(`(f) event -> analytics latency, ${LATENCY_SAMPLES} samples`);
    const latency = await eventToAnalytics(gatewayUrl, probe.accessToken, LATENCY_SAMPLES);
    await running.stop('analytics');

    // --- the seed: a full demo tenant through the import routes.
    log('seeding');
    const seeded: SeedResult = await seed({ ...SEED_DEFAULTS, baseUrl: gatewayUrl, log: (line) => log(`  seed: ${line}`) });
    log(`seeded in ${seeded.seconds.toFixed(1)} s`);
    log(`the seed's events left the outbox ${(await settle(running.databaseUrls.contacts)).toFixed(1)} s later`);
    const token = seeded.accessToken;

    // (a) the floor: the gateway's echo round trip to contacts.
    const echoRow = measured(
      await usage(pids(), () =>
        httpLoad('(a) GET /api/v1/diagnostics/contacts/echo (baseline)', `${gatewayUrl}/api/v1/diagnostics/contacts/echo?payload=x`, token),
      ),
    );
    rows.push(echoRow);

    // (b) one contact by id, rotating over 2,000 of them.
    const ids = seeded.contacts.filter((_, i) => i % 5 === 0).map((c) => c.id);
    const byId = await usage(pids(), () =>
      httpLoad('(b) GET /api/v1/contacts/:id', `${gatewayUrl}/api/v1/contacts/${ids[0]}`, token, {
        path: (
          (next) => () =>
            `/api/v1/contacts/${next()}`
        )(rotate(ids)),
      }),
    );
    rows.push(measured(byId, { target: '>= 2,500 req/s, p99 <= 25 ms', met: byId.result.perSecond >= 2_500 && byId.result.p99 <= 25 }));

    // (c) search: name and email fragments, some with typos.
    const terms = searchTerms(seeded.contacts, 60);
    const search = await usage(pids(), () =>
      httpLoad(
        `(c) GET /api/v1/contacts?q=<name, email fragment, typo> (${fmt(seeded.counts.contacts)} contacts)`,
        `${gatewayUrl}/api/v1/contacts?q=x`,
        token,
        {
          path: (
            (next) => () =>
              `/api/v1/contacts?q=${encodeURIComponent(next())}`
          )(rotate(terms)),
        },
      ),
    );
    rows.push(measured(search));

    // (d) grow the tenant to 100,000 contacts, then filtered and sorted first pages.
    log(`growing the tenant to ${fmt(GROW_TO)} contacts`);
    const grown = await growWithSql(running.databaseUrls.contacts, seeded.tenantId, GROW_TO - seeded.counts.contacts);
    log(`grown by ${fmt(GROW_TO - seeded.counts.contacts)} contacts in ${grown.seconds.toFixed(1)} s (SQL, straight into the contacts database)`);
    await settle(running.databaseUrls.contacts);
    const filtered = await usage(pids(), () =>
      httpLoad(
        `(d) GET /api/v1/contacts?lifecycleStage&tag&sort&limit=25 (${fmt(GROW_TO)} contacts, ${FILTERS.length} combos)`,
        `${gatewayUrl}/api/v1/contacts`,
        token,
        {
          path: (
            (next) => () =>
              `/api/v1/contacts?${next()}`
          )(rotate(FILTERS)),
        },
      ),
    );
    rows.push(measured(filtered, { target: '>= 1,000 req/s, p99 <= 60 ms', met: filtered.result.perSecond >= 1_000 && filtered.result.p99 <= 60 }));

    // (g) search for a surname at least 1% of the 100,000 contacts have.
    const surname = grown.commonSurnames.find((s) => s.contacts >= GROW_TO / 100) ?? grown.commonSurnames[0];
    const common = await usage(pids(), () =>
      httpLoad(
        `(g) GET /api/v1/contacts?q=<common surname> (${surname.word}: ${fmt(surname.contacts)} of ${fmt(GROW_TO)} contacts)`,
        `${gatewayUrl}/api/v1/contacts?q=${encodeURIComponent(surname.word)}`,
        token,
      ),
    );
    rows.push(measured(common, { target: '>= 500 req/s, p99 <= 100 ms', met: common.result.perSecond >= 500 && common.result.p99 <= 100 }));

    // (e) creates, each a new person.
    let n = 0;
    const creates = await usage(pids(), () =>
      httpLoad('(e) POST /api/v1/contacts (allowDuplicates)', `${gatewayUrl}/api/v1/contacts`, token, {
        method: 'POST',
        body: () => {
          const i = ++n;
          return JSON.stringify({
            firstName: `Bench${i}`,
            lastName: `Person${i}`,
            emails: [{ address: `bench.${i}.${seeded.tenantId.slice(0, 8)}@example.com` }],
            tags: ['bench'],
            lifecycleStage: 'lead',
            allowDuplicates: true,
          });
        },
      }),
    );
    rows.push(measured(creates, { target: '>= 800 req/s', met: creates.result.perSecond >= 800 }));
    rows.push(latency.row);

    // --- analytics again, working through everything it missed.
    log('analytics: started again on its backlog');
    const analytics = await running.restart('analytics');
    const progress = () => analyticsProgress(running.databaseUrls.analytics, `${running.prefix}analytics.events`);
    const start = await progress();
    const t0 = performance.now();
    const drain = await usage({ analytics: analytics.child.pid }, () => sleep(15_000));
    const end = await progress();
    const ingestPerSecond = (end.ingested - start.ingested) / ((performance.now() - t0) / 1000);
    noteLoad(drain.peakRss);
    const backlog = start.waiting;
    const load = loadavg()[0];

    // --- the report
    const lines: string[] = [];
    lines.push('# Contacts benchmark');
    lines.push('');
    lines.push(
      `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores shared by the load generator, the three services, ` +
        `RabbitMQ, Postgres and Redis (all on 127.0.0.1). ${CONNECTIONS} connections, ${WARMUP_SECONDS}s warm-up, ${SECONDS}s measured. ` +
        `Services run ${running.runtime === 'bundle' ? 'from the production bundles' : 'from source (swc-node)'}, NODE_ENV=production, LOG_LEVEL=warn.`,
    );
    lines.push('');
    lines.push(
      '| path | req/s | p50 (ms) | p99 (ms) | requests | errors | non-2xx | req/s vs echo | target | met | CPU gateway / contacts / analytics | CPU ms per request, gateway / contacts / whole machine | machine busy |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|---:|');
    const cpuOf = (r: Row) =>
      r.cpu ? ['api-gateway', 'contacts', 'analytics'].map((n) => (Number.isFinite(r.cpu?.[n]) ? `${fmt(r.cpu?.[n] ?? NaN)}%` : '-')).join(' / ') : '';
    // CPU time per request holds up better than req/s when other work shares the machine.
    const perRequestOf = (r: Row) =>
      r.cpu && Number.isFinite(r.perSecond) && r.perSecond > 0
        ? [...['api-gateway', 'contacts'].map((n) => (r.cpu?.[n] ?? NaN) / 100), ((r.machineBusy ?? NaN) / 100) * cpus().length]
            .map((cores) => fmt((cores / r.perSecond) * 1000, 2))
            .join(' / ')
        : '';
    for (const r of rows) {
      lines.push(
        `| ${r.name} | ${fmt(r.perSecond)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.requests)} | ${r.errors} | ${r.non2xx}${r.non2xxCodes ? ` (${r.non2xxCodes})` : ''} | ` +
          `${r === echoRow || !Number.isFinite(r.perSecond) ? '' : ratio(r.perSecond, echoRow.perSecond)} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} | ` +
          `${cpuOf(r)} | ${perRequestOf(r)} | ${r.machineBusy === undefined ? '' : `${fmt(r.machineBusy)}%`} |`,
      );
    }
    lines.push('');
    lines.push(
      'CPU: what each service process used during the load (warm-up included), in % of one core; CPU ms per request: that divided by the measured req/s, and for the whole machine the busy time of all cores (everything, the load generator included) divided by it (the machine has cores × 1,000 ms of CPU a second: that divided by this figure is the most it could serve of that path); machine busy: all cores, everything ' +
        '(Postgres, RabbitMQ, Redis, the load generator, anything else running). Analytics is stopped during (a)-(e); each load starts once the contacts outbox has sent the events of the seed (or of the growth) and the tables are vacuumed and analyzed (VACUUM ANALYZE, as autovacuum would do within a minute).',
    );
    lines.push('');
    lines.push(
      `Seed (\`npm run seed\`, through the gateway's import routes, ${SEED_DEFAULTS.parallel} batches of ${SEED_DEFAULTS.batchSize} in flight): ` +
        `${fmt(seeded.counts.companies)} companies, ${fmt(seeded.counts.contacts)} contacts, ${fmt(seeded.counts.interactions)} interactions ` +
        `(+ sign-up, ${seeded.counts.users} users, ${seeded.counts.customFields} custom fields) in ${seeded.seconds.toFixed(1)} s ` +
        `(${fmt((seeded.counts.companies + seeded.counts.contacts + seeded.counts.interactions) / seeded.seconds)} records/s). ` +
        `Growth to ${fmt(GROW_TO)} contacts: ${fmt(GROW_TO - seeded.counts.contacts)} more written with SQL in ${grown.seconds.toFixed(1)} s (bench/support/contacts-sql-seed.ts: skewed surnames, no events).`,
    );
    lines.push('');
    lines.push('| service | RSS idle (MiB) | RSS peak under load (MiB) |');
    lines.push('|---|---:|---:|');
    for (const name of ['api-gateway', 'contacts', 'analytics']) lines.push(`| ${name} | ${fmt(idle[name] ?? NaN)} | ${fmt(underLoad[name] ?? NaN)} |`);
    lines.push('');
    lines.push(
      `Idle: after start-up and one sign-up. Under load: highest VmRSS sampled every 200 ms during (b)-(e); analytics while it ` +
        `worked through its backlog of ${fmt(backlog)} events (it was stopped during the seed and (a)-(e)), at ` +
        `${fmt(ingestPerSecond)} events/s taken in (inbox rows) over 15 s; ${fmt(end.waiting)} still queued then.`,
    );
    lines.push('');
    lines.push(`Load average (1 min) at the end: ${load.toFixed(1)}; anything well above the core count means other work competed.`);
    lines.push('');
    lines.push(`Total run time ${((Date.now() - started) / 1000).toFixed(0)} s. Command: \`npm run bench:contacts\`.`);
    report = lines.join('\n') + '\n';
  } finally {
    await system?.close();
  }

  console.log(report);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'contacts.md'), report);
  log('written bench/results/contacts.md');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
