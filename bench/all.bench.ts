/**
 * The issue's benchmark table in one run on one system:
 *
 *   npm run bench
 *
 * Gateway, contacts and analytics as bench/support/crm-system.ts starts them: the production
 * bundles run as the Dockerfile's CMD runs them (BENCH_RUNTIME=source: from source, swc-node). A tenant is seeded as `npm run seed` does and grown to BENCH_CONTACTS (default
 * 100,000) contacts (bench/rows/contacts-data.ts) while analytics is stopped, so that the seed's
 * events wait for the analytics intake row at the end.
 *
 * HTTP load: wrk (Debian package; installed if missing) in its own process, 2 threads, 32
 * connections, BENCH_WARMUP_SECONDS (default 3) warm-up then BENCH_SECONDS (default 10)
 * measured, Lua scripts for auth headers, rotating paths and POST bodies (bench/support/wrk.ts).
 * Bus rows: the messaging library's lab services (bench/rows/bus.ts), 32 callers.
 * Alongside every measured window, `pidstat -u 1` gives each process's CPU
 * (bench/support/pidstat.ts), reported as CPU ms per request per process.
 *
 * Each row is compared with two floors measured in the same run: raw amqplib request/reply at 32
 * callers, and a bare Fastify route (bench/fastify-hello-server.ts) under the same wrk load.
 * The outbox row has a floor of its own, run right before it: the same events through raw pg and
 * amqplib with none of the library's code (bench/support/outbox-floor.ts); the row's note gives
 * its rate and CPU per event as ratios to that floor. The request/reply row alternates raw amqplib
 * and the library in BENCH_RPC_ROUNDS rounds (default 3) and is judged against the raw rate of
 * those rounds: on a shared machine a floor taken minutes earlier can be 30% off either way.
 * A row that fails is reported as failed and the others still run.
 * Writes bench/results/latest.md. Other knobs: BENCH_EVENTS (outbox row, default 30,000, capped
 * at BENCH_EVENTS_MAX_SECONDS, default 60, after BENCH_EVENTS_WARMUP unmeasured, default 15,000), BENCH_SEED_SCALE (a smaller seed to try things out),
 * BENCH_DRAIN_SECONDS (analytics row, default 20), BENCH_ROWS (comma-separated rows to run of echo,
 * get, search, filtered, create, outbox, rpc, analytics; the two floors always run, the outbox floor with
 * the outbox row). BENCH_PEER_CPU_PROF_DIR: the bus rows' peers write V8 CPU profiles there.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { testEnv } from '@crm/testing';
import { analyticsIntakeRow } from './rows/analytics-intake';
import { BUS_PEER, LOAD_GENERATOR, Lab, outboxFloorRow, outboxToInboxRow, rawRpcRow, startLab, transportRpcRow } from './rows/bus';
import { ContactsData, seedContacts } from './rows/contacts-data';
import { CONNECTIONS, httpRow, Row, SECONDS, WARMUP_SECONDS } from './rows/row';
import { CrmSystem, startCrmSystem } from './support/crm-system';
import { OTHER, POSTGRES, Processes, RABBITMQ, REDIS } from './support/pidstat';
import { Child, fmt, freePort, log, start } from './support/processes';
import { ensureLoadTools } from './support/wrk';

const ONLY = process.env['BENCH_ROWS']?.split(',').map((s) => s.trim());
const CORES = cpus().length;

/** CPU columns of the table, in this order. */
const COLUMNS = ['api-gateway', 'contacts', 'analytics', BUS_PEER, POSTGRES, RABBITMQ, REDIS, LOAD_GENERATOR] as const;

const FILTERS = [
  'lifecycleStage=customer&tag=vip&sort=-updatedAt&limit=25',
  'lifecycleStage=lead&sort=-updatedAt&limit=25',
  'tag=newsletter&sort=lastName&limit=25',
  'lifecycleStage=prospect&tag=decision-maker&sort=-createdAt&limit=25',
  'lifecycleStage=churned&sort=lastName&limit=25',
];

interface Planned {
  key: string;
  name: string;
  target?: string;
  met?: (row: Row, floors: Floors) => boolean;
  run: () => Promise<Row>;
}

interface Floors {
  raw?: Row;
  fastify?: Row;
  /** Raw pg + amqplib under the outbox row (runs with it). */
  outbox?: Row;
}

async function main() {
  const started = Date.now();
  ensureLoadTools();
  const env = await testEnv();
  let system: CrmSystem | undefined;
  let lab: Lab | undefined;
  const children: Child[] = [];
  const cleanup = async () => {
    for (const child of children.splice(0)) await child.stop().catch(() => undefined);
    await lab?.world.close().catch(() => undefined);
    await system?.close();
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  let report = '';
  try {
    system = await startCrmSystem();
    const running = system;
    await running.stop('analytics');
    const data: ContactsData = await seedContacts(running.gatewayUrl, running.databaseUrls.contacts);
    const databases = Object.values(running.databaseUrls).map((url) => new URL(url).pathname.slice(1));
    const serviceProcesses = (loadGenerator?: number): Processes => ({
      pids: {
        ...Object.fromEntries(Object.entries(running.processes).map(([name, p]) => [name, [p.child.exitCode === null ? p.child.pid : undefined]])),
        [LOAD_GENERATOR]: [loadGenerator],
      },
      databases,
    });
    const auth = { authorization: `Bearer ${data.token}` };
    const api = `${running.gatewayUrl}/api/v1`;
    let created = 0;

    const floors: Floors = {};
    const plan: Planned[] = [
      {
        key: 'fastify',
        name: 'floor: bare Fastify route (own process)',
        run: async () => {
          const port = await freePort();
          const fastify = start('fastify', 'bench/fastify-hello-server.ts', 'libs/messaging/tsconfig.spec.json', { BENCH_PORT: String(port) });
          children.push(fastify);
          await new Promise<void>((resolve, reject) => {
            fastify.child.once('message', () => resolve());
            fastify.child.once('exit', (code) => reject(new Error(`fastify exited (${code})`)));
          });
          try {
            return await httpRow('floor: bare Fastify route (own process)', { url: `http://127.0.0.1:${port}/` }, (wrk) => ({
              pids: { [BUS_PEER]: [fastify.child.pid], [LOAD_GENERATOR]: [wrk] },
              databases: [],
            }));
          } finally {
            await fastify.stop();
          }
        },
      },
      { key: 'raw', name: 'floor: raw amqplib request/reply', run: () => rawRpcRow(env.rabbitmqUrl, running.prefix) },
      {
        key: 'echo',
        name: 'gateway echo',
        target: '≥ 5,000 req/s',
        met: (r) => r.perSecond >= 5_000,
        run: () =>
          httpRow('gateway echo: GET /diagnostics/contacts/echo', { url: `${api}/diagnostics/contacts/echo?payload=x`, headers: auth }, serviceProcesses),
      },
      {
        key: 'get',
        name: 'GET /contacts/:id via gateway',
        target: '≥ 2,500 req/s, p99 ≤ 25 ms',
        met: (r) => r.perSecond >= 2_500 && (r.p99 ?? Infinity) <= 25,
        run: () =>
          httpRow(
            `GET /contacts/:id via gateway (${fmt(data.ids.length)} ids rotating)`,
            { url: `${api}/contacts/${data.ids[0]}`, headers: auth, paths: data.ids.map((id) => `/api/v1/contacts/${id}`) },
            serviceProcesses,
          ),
      },
      {
        key: 'search',
        name: 'search ?q= common surname',
        target: '≥ 500 req/s, p99 ≤ 100 ms',
        met: (r) => r.perSecond >= 500 && (r.p99 ?? Infinity) <= 100,
        run: () =>
          httpRow(
            `search ?q=${data.surname} (held by ${fmt(data.surnameHolders)} of ${fmt(data.contacts)} contacts)`,
            { url: `${api}/contacts?q=${data.surname}&limit=25`, headers: auth },
            serviceProcesses,
          ),
      },
      {
        key: 'filtered',
        name: 'filtered + sorted first page',
        target: '≥ 1,000 req/s, p99 ≤ 60 ms',
        met: (r) => r.perSecond >= 1_000 && (r.p99 ?? Infinity) <= 60,
        run: () =>
          httpRow(
            `filtered + sorted first page, 25 rows (${FILTERS.length} combinations, ${fmt(data.contacts)} contacts)`,
            { url: `${api}/contacts?${FILTERS[0]}`, headers: auth, paths: FILTERS.map((f) => `/api/v1/contacts?${f}`) },
            serviceProcesses,
          ),
      },
      {
        key: 'create',
        name: 'POST /contacts',
        target: '≥ 800 creates/s',
        met: (r) => r.perSecond >= 800,
        run: async () => {
          const row = await httpRow(
            'POST /contacts (a new person each)',
            {
              url: `${api}/contacts`,
              method: 'POST',
              headers: auth,
              // Unique per request across runs: `run` (per wrk run) and `n` (per request).
              bodyLua: `'{"firstName":"Bench' .. n .. '","lastName":"Person' .. run .. n .. '","emails":[{"address":"bench.' .. run .. '.' .. n .. '@example.com"}],"tags":["bench"],"lifecycleStage":"lead"}'`,
            },
            serviceProcesses,
          );
          created += row.count;
          return row;
        },
      },
      { key: 'outbox-floor', name: 'floor: outbox → broker → inbox', run: async () => outboxFloorRow((lab ??= await startLab())) },
      {
        key: 'outbox',
        name: 'outbox → broker → inbox',
        target: '≥ 5,000 events/s',
        met: (r) => r.perSecond >= 5_000,
        run: async () => outboxToInboxRow((lab ??= await startLab())),
      },
      {
        key: 'rpc',
        name: 'request/reply on the transport',
        target: '≥ 0.8x raw amqplib (measured in alternation with it)',
        met: (r) => r.baselinePerSecond !== undefined && r.perSecond >= 0.8 * r.baselinePerSecond,
        run: async () => transportRpcRow((lab ??= await startLab())),
      },
      {
        key: 'analytics',
        name: 'analytics intake draining a backlog',
        target: '≥ 2,000 events/s',
        met: (r) => r.perSecond >= 2_000,
        run: () => analyticsIntakeRow(running, () => serviceProcesses()),
      },
    ];

    const rows: Row[] = [];
    for (const planned of plan) {
      const wanted = ONLY?.includes(planned.key) || (planned.key === 'outbox-floor' && ONLY?.includes('outbox'));
      if (ONLY && !wanted && !['fastify', 'raw'].includes(planned.key)) continue;
      let row: Row;
      try {
        row = await planned.run();
      } catch (error) {
        log(`${planned.name} failed:`, error);
        row = { name: planned.name, perSecond: NaN, unit: 'req/s', count: 0, errors: 0, failed: (error as Error).message.split('\n')[0] };
      }
      if (planned.key === 'raw') floors.raw = row;
      if (planned.key === 'fastify') floors.fastify = row;
      if (planned.key === 'outbox-floor') floors.outbox = row;
      if (planned.key === 'outbox' && floors.outbox && !row.failed && !floors.outbox.failed) row.note = `${row.note}; ${againstOutboxFloor(row, floors.outbox)}`;
      row.target = planned.target;
      if (planned.met && !row.failed) row.met = planned.met(row, floors) && row.errors === 0;
      rows.push(row);
    }
    report = table(rows, floors, data, running, started, created);
  } finally {
    await cleanup();
  }

  console.log(report);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.md'), report);
  log('written bench/results/latest.md');
}

/** The outbox row against its raw floor: rate, and CPU per event over every process. */
function againstOutboxFloor(row: Row, floor: Row): string {
  const perEvent = (r: Row) => COLUMNS.reduce((total, column) => total + (r.cpu?.[column] ?? 0), 0) / r.perSecond;
  return `${ratio(row.perSecond, floor.perSecond)} the raw floor's rate at ${ratio(perEvent(row), perEvent(floor))} its CPU per event`;
}

const ratio = (a: number, b: number | undefined) => (Number.isFinite(a) && b && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : '-');

function table(rows: Row[], floors: Floors, data: ContactsData, system: CrmSystem, started: number, created: number): string {
  const perRequest = (r: Row, column: string) => (r.cpu && r.perSecond > 0 ? (r.cpu[column] ?? 0) / r.perSecond : NaN);
  const sum = (r: Row) => COLUMNS.reduce((total, column) => total + (perRequest(r, column) || 0), 0);
  const lines = [
    "# Benchmark: the issue's table",
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${CORES} cores shared by everything below (all on 127.0.0.1). ` +
      `Services ${system.runtime === 'bundle' ? 'from the production bundles (`nx build`, run as the Dockerfile runs them)' : 'from source (swc-node)'}, NODE_ENV=production, LOG_LEVEL=warn, rate limits raised. ` +
      `HTTP load: wrk in its own process, 2 threads, ${CONNECTIONS} connections, ${WARMUP_SECONDS}s warm-up, ${SECONDS}s measured; bus rows: ${CONNECTIONS} callers in the benchmark process. ` +
      `Data: \`npm run seed\`'s tenant grown to ${fmt(data.contacts)} contacts (seed ${data.seedSeconds.toFixed(0)} s, growth ${data.growSeconds.toFixed(0)} s).`,
    '',
    '| path | rate | p50 (ms) | p99 (ms) | errors | target | met | vs raw amqplib | vs bare Fastify | CPU ms per request: gateway / contacts / analytics / bus peer / Postgres / RabbitMQ / Redis / load generator | sum (ms) | most the 2 cores allow | other work on the machine (ms/s) |',
    '|---|---:|---:|---:|---:|---|---|---:|---:|---|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.failed) {
      lines.push(`| ${r.name} | failed: ${r.failed.replace(/\|/g, '/')} |  |  |  | ${r.target ?? ''} | **no** |  |  |  |  |  |  |`);
      continue;
    }
    const cpu = r.cpu ? COLUMNS.map((c) => (r.cpu?.[c] ? fmt(perRequest(r, c), 3) : '-')).join(' / ') : '';
    const total = sum(r);
    lines.push(
      `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${fmt(r.perSecond)} ${r.unit} | ${r.p50 === undefined ? '' : fmt(r.p50, 2)} | ${r.p99 === undefined ? '' : fmt(r.p99, 2)} | ${r.errors} | ` +
        `${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} | ${ratio(r.perSecond, r.baselinePerSecond ?? floors.raw?.perSecond)} | ${ratio(r.perSecond, floors.fastify?.perSecond)} | ` +
        `${cpu} | ${r.cpu ? fmt(total, 3) : ''} | ${r.cpu && total > 0 ? fmt((CORES * 1000) / total) : ''} | ${r.cpu ? fmt(r.cpu[OTHER] ?? 0) : ''} |`,
    );
  }
  lines.push(
    '',
    "Rate: requests, calls or events per second over the measured window. CPU ms per request: each process's CPU during the measured window (pidstat -u, one-second samples) " +
      "divided by the rate. Postgres: the backends of this run's databases plus the server's background processes; RabbitMQ (beam.smp) and Redis are shared servers, so " +
      'they also carry whatever else used them meanwhile. Bus peer: the process at the other end of a bus row (echo server, consuming lab service) or the bare Fastify server. ' +
      'Load generator: wrk for HTTP rows, this benchmark process for bus rows (caller, or the lab publisher). Sum: all of them; "most the 2 cores allow" = 2,000 ms / sum, ' +
      "the rate this path could reach if it had the machine to itself. Other work: CPU of processes that are not this run's (other Postgres backends, builds, tests), ms per second: " +
      'well above zero means the figures were taken on a busy machine. Ratios are to the two floors measured in this run; the request/reply row\'s "vs raw amqplib" is to the raw amqplib measured in alternation with it (its note).',
    '',
    `Creates during the POST row: ${fmt(created)}. Load average (1 min) at the end: ${loadavg()[0].toFixed(1)}. Total run time ${((Date.now() - started) / 1000).toFixed(0)} s. Command: \`npm run bench\`.`,
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
