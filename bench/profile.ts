/**
 * Where a route's time goes: starts the system with V8's CPU profiler in every service, seeds a
 * small tenant, puts one route under load, stops the services (each writes its profile on exit)
 * and prints the hottest functions and packages of each service by self time.
 *
 *   npm run bench:profile -- echo|get|search|list|create|sales-echo|board|move|order|history[,route...] [seconds] [--no-profile] [--baseline]
 *
 * Several routes (e.g. `echo,get`) are loaded one after the other on the same system; the profile
 * then covers all of them. CPU per request is given per process: the services, RabbitMQ
 * (beam.smp) and the load generator (this process). `--baseline` also loads a bare Fastify route
 * (bench/fastify-hello-server.ts) right before each route, and gives the route's req/s as a ratio to it.
 * `--rate=N` paces the load at N req/s in all (autocannon's overallRate) and subtracts each
 * process's idle CPU (measured for 5 s before the loads): the CPU a request adds, which holds up
 * far better than a saturated run's when other work shares the machine.
 *
 * The sales routes (sales-echo, board, move, order, history) also start sales-automation and load
 * its data as bench/sales.bench.ts does (BENCH_DEALS deals, default 100,000, and a contact with 1,000 orders, with SQL).
 *
 * Profiles land in bench/results/profiles/<service>.cpuprofile (not committed); open them in
 * Chrome DevTools or speedscope for the call trees. The services run from source unless
 * BENCH_RUNTIME=bundle (with --no-profile: the rates and CPU of the bundles `npm run bench` runs).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { seed, SEED_DEFAULTS } from '../tools/seed/seed';
import { settle } from './rows/contacts-data';
import { startCrmSystem } from './support/crm-system';
import { Child, freePort, log, root, sleep, start, usage } from './support/processes';
import { seedSalesSql } from './support/sales-sql-seed';

const CONTACT_ROUTES = ['echo', 'get', 'search', 'list', 'create'] as const;
const SALES_ROUTES = ['sales-echo', 'board', 'move', 'order', 'history'] as const;
const ROUTES = [...CONTACT_ROUTES, ...SALES_ROUTES] as const;
type Route = (typeof ROUTES)[number];
const SALES_STAGES = ['Qualification', 'Needs analysis', 'Proposal', 'Negotiation', 'Contract sent', 'Closing'].map((name, i) => ({
  name,
  winProbability: 10 + i * 15,
}));

async function post<T>(baseUrl: string, token: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native / gc / idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const inRepo = url.indexOf('/apps/') >= 0 ? url.slice(url.indexOf('/apps/') + 1) : url.indexOf('/libs/') >= 0 ? url.slice(url.indexOf('/libs/') + 1) : url;
  return inRepo.split('/').slice(0, 2).join('/');
}

/** Monotonic clock in µs: the clock V8 stamps profile samples with (CLOCK_MONOTONIC on Linux). */
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time per function and per package, in % of the profile's non-idle samples taken inside
 * the window (start-up and shutdown left out).
 */
export function summarize(profile: Profile, window: { from: number; to: number }, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t >= window.from && t <= window.to) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)!;
    if (callFrame.functionName === '(idle)' || callFrame.functionName === '(program)') continue;
    busy += us;
    const file = callFrame.url.split('/').slice(-2).join('/');
    const key = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const p = callFrame.functionName === '(garbage collector)' ? '(gc)' : packageOf(callFrame.url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      if (url) onStack.add(packageOf(url));
    }
    for (const q of onStack) inclusive.set(q, (inclusive.get(q) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `busy ${(busy / 1e6).toFixed(1)} s of ${((window.to - window.from) / 1e6).toFixed(1)} s\n by package:\n${rows(pkg)}\n by package, inclusive (on the stack):\n${rows(inclusive)}\n by function:\n${rows(fn)}`;
}

/** RabbitMQ's Erlang VM, when it runs on this machine (its CPU is part of every bus round trip). */
function brokerPid(): number | undefined {
  try {
    return Number(execFileSync('pgrep', ['-o', '-x', 'beam.smp'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** The bare Fastify route, in its own process: the floor a Node HTTP server reaches here. */
async function startFastifyBaseline(): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const child = start('fastify', 'bench/fastify-hello-server.ts', 'bench/tsconfig.json', { BENCH_PORT: String(port) });
  await new Promise<void>((resolve, reject) => {
    child.child.once('message', () => resolve());
    child.child.once('exit', (code) => reject(new Error(`fastify baseline exited (${code}) before it was ready`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function main() {
  const routes = (process.argv[2] ?? 'get').split(',') as Route[];
  for (const route of routes) if (!ROUTES.includes(route)) throw new Error(`route must be one of ${ROUTES.join(', ')}`);
  const seconds = Number(process.argv[3] ?? 10);
  const dir = join(root, 'bench', 'results', 'profiles');
  const raw = join(dir, 'raw');
  rmSync(raw, { recursive: true, force: true });
  const profiling = !process.argv.includes('--no-profile');
  const prof = (name: string) => (profiling ? ['--cpu-prof', `--cpu-prof-dir=${join(raw, name)}`] : []);
  const window = { from: 0, to: 0 };
  const sales = routes.some((route) => (SALES_ROUTES as readonly string[]).includes(route));
  const contactsRoutes = routes.some((route) => route !== 'echo' && (CONTACT_ROUTES as readonly string[]).includes(route));
  const system = await startCrmSystem({
    // From source: the profiles name the source files and packages (a bundle is one main.js).
    // BENCH_RUNTIME=bundle: the production bundles, for req/s and CPU as `npm run bench` measures them.
    runtime: process.env['BENCH_RUNTIME'] === 'bundle' ? 'bundle' : 'source',
    execArgv: { 'api-gateway': prof('api-gateway'), contacts: prof('contacts'), analytics: prof('analytics'), 'sales-automation': prof('sales-automation') },
    ...(sales && { with: ['sales-automation' as const], readyTimeoutMs: 300_000 }),
  });
  const baseline = process.argv.includes('--baseline') ? await startFastifyBaseline() : undefined;
  const label = routes.join(',');
  try {
    const tenant = await seed({
      ...SEED_DEFAULTS,
      baseUrl: system.gatewayUrl,
      companies: contactsRoutes ? 100 : 0,
      contacts: contactsRoutes ? 2_000 : 0,
      interactions: 0,
    });
    // As autovacuum would within a minute of the seed: search plans rely on it (without it, a
    // search's trigram index is one long pending list and Postgres reads the whole vocabulary).
    if (contactsRoutes) log(`contacts outbox sent and tables vacuumed ${(await settle(system.databaseUrls.contacts as string)).toFixed(1)} s after the seed`);
    const ids = tenant.contacts.map((c) => c.id);
    const salesData = sales ? await salesSetup(system.gatewayUrl, system.databaseUrls['sales-automation'] as string, tenant) : undefined;
    let i = 0;
    const run = randomBytes(4).toString('hex'); // new people on every run
    const next = (route: Route): { path: string; method?: 'GET' | 'POST'; body?: string } => {
      i++;
      switch (route) {
        case 'echo':
          return { path: '/api/v1/diagnostics/contacts/echo?payload=x' };
        case 'get':
          return { path: `/api/v1/contacts/${ids[i % ids.length]}` };
        case 'search':
          return { path: `/api/v1/contacts?q=${encodeURIComponent(tenant.contacts[i % ids.length].firstName.toLowerCase())}` };
        case 'list':
          return { path: `/api/v1/contacts?lifecycleStage=customer&sort=-updatedAt&limit=25` };
        case 'create':
          // As `npm run bench`'s create row: a new person with an email address, checked for duplicates.
          return {
            path: '/api/v1/contacts',
            method: 'POST',
            body: JSON.stringify({
              firstName: `Bench${i}`,
              lastName: `Person${run}${i}`,
              emails: [{ address: `bench.${run}.${i}@example.com` }],
              tags: ['bench'],
              lifecycleStage: 'lead',
            }),
          };
        default:
          if (!salesData) throw new Error(`${route}: no sales data`);
          return salesData.next(route, i);
      }
    };
    if (!routes.includes('create')) await system.stop('analytics'); // it would be taking in the seed's events meanwhile
    const pids: Record<string, number | undefined> = {
      ...Object.fromEntries(Object.entries(system.processes).map(([name, p]) => [name, p.child.pid])),
      rabbitmq: brokerPid(),
      'load generator': process.pid,
    };
    const rateArg = process.argv.find((arg) => arg.startsWith('--rate='));
    const rate = rateArg ? Number(rateArg.slice('--rate='.length)) : undefined;
    const idle = rate ? (await usage(pids, () => sleep(5_000))).cpu : undefined;
    if (idle)
      log(
        `idle CPU (% of a core): ${Object.entries(idle)
          .map(([name, percent]) => `${name} ${percent.toFixed(1)}`)
          .join(', ')}`,
      );
    window.from = nowMicros();
    for (const route of routes) {
      let floor: number | undefined;
      if (baseline) {
        const bare = await autocannon({ url: baseline.url, connections: 32, duration: seconds });
        floor = bare.requests.average;
        log(`bare Fastify route: ${floor} req/s, p50 ${bare.latency.p50} ms, p99 ${bare.latency.p99} ms`);
      }
      log(`${route}: ${seconds}s under load (32 connections)`);
      const { result, cpu, machineBusy } = await usage(pids, () =>
        autocannon({
          url: system.gatewayUrl,
          connections: 32,
          duration: seconds,
          headers: { authorization: `Bearer ${tenant.accessToken}`, 'content-type': 'application/json' },
          requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, ...next(route) }) }],
          ...(rate ? { overallRate: rate } : {}),
        }),
      );
      const ratio = floor ? ` (${(result.requests.average / floor).toFixed(3)}x the bare Fastify route)` : '';
      log(
        `${route}: ${result.requests.average} req/s${ratio}, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
      // CPU per request holds better than req/s when other work shares the machine.
      const perRequest = Object.entries(cpu)
        .filter(([, percent]) => Number.isFinite(percent))
        .map(([name, percent]) => `${name} ${(((percent - (idle?.[name] ?? 0)) / 100 / result.requests.average) * 1000).toFixed(3)} ms`);
      log(
        `${route}: CPU per request${idle ? ' (idle CPU subtracted)' : ''}: ${perRequest.join(', ')}; whole machine ${((((machineBusy / 100) * cpus().length) / result.requests.average) * 1000).toFixed(2)} ms (${cpus().length} cores, ${machineBusy.toFixed(0)}% busy)`,
      );
    }
    window.to = nowMicros();
    await sleep(500);
  } finally {
    await baseline?.child.stop().catch(() => undefined);
    await system.close();
  }
  if (!profiling) return;
  mkdirSync(dir, { recursive: true });
  for (const name of ['api-gateway', 'contacts', 'analytics', 'sales-automation']) {
    if (!existsSync(join(raw, name))) continue;
    const files = readdirSync(join(raw, name)).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) continue;
    const target = join(dir, `${label.replace(/,/g, '+')}-${name}.cpuprofile`);
    renameSync(join(raw, name, files[0]), target);
    console.log(`\n== ${name} (${target})\n${summarize(JSON.parse(readFileSync(target, 'utf8')) as Profile, window)}`);
  }
  rmSync(raw, { recursive: true, force: true });
}

/** A pipeline and a contact through the API, then deals, products and the contact's orders with SQL; and each sales route's next request. */
async function salesSetup(gatewayUrl: string, databaseUrl: string, tenant: { tenantId: string; accessToken: string }) {
  const pipeline = await post<{ id: string }>(gatewayUrl, tenant.accessToken, '/api/v1/pipelines', { name: 'Profile pipeline', stages: SALES_STAGES });
  const contact = await post<{ id: string }>(gatewayUrl, tenant.accessToken, '/api/v1/contacts', { firstName: 'History', lastName: 'Holder' });
  const data = await seedSalesSql(databaseUrl, {
    tenantId: tenant.tenantId,
    pipelineId: pipeline.id,
    deals: Number(process.env['BENCH_DEALS'] ?? 100_000),
    products: 50,
    contactId: contact.id,
    orders: 1_000,
  });
  log(`sales data written in ${data.seconds.toFixed(1)} s`);
  // As bench/sales.bench.ts: 20 fixed deals per stage to drop after, the others moved.
  const anchors = data.stages.map((s) => s.openDeals.slice(0, 20));
  const moved = data.stages.flatMap((s) => s.openDeals.slice(20, 1_020));
  const next = (route: Route, i: number): { path: string; method?: 'GET' | 'POST'; body?: string } => {
    const stage = i % data.stages.length;
    switch (route) {
      case 'board':
        return { path: `/api/v1/deals?pipelineId=${pipeline.id}&stageId=${data.stages[stage].id}&sort=position&limit=25` };
      case 'move':
        return {
          path: `/api/v1/deals/${moved[(i * 7919) % moved.length]}/move`,
          method: 'POST',
          body: JSON.stringify({ stageId: data.stages[stage].id, afterId: anchors[stage][Math.floor(i / data.stages.length) % anchors[stage].length] }),
        };
      case 'order': {
        const product = (k: number) => data.productIds[k % data.productIds.length];
        return {
          path: '/api/v1/orders',
          method: 'POST',
          body: JSON.stringify({
            contactId: `00000000-0000-4000-8000-${String(i % 1000).padStart(12, '0')}`,
            currency: 'EUR',
            purchasedAt: '2026-11-30T12:00:00.000Z',
            channel: 'web',
            lines: [0, 1, 2].map((k) => ({ productId: product(i + k), quantity: k + 1 })),
          }),
        };
      }
      case 'history':
        return { path: `/api/v1/contacts/${contact.id}/orders?limit=25` };
      default:
        return { path: '/api/v1/diagnostics/sales-automation/echo?payload=x' };
    }
  };
  return { next };
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
