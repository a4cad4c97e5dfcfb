/**
 * Support-tickets benchmark: inbound emails parsed and ticketed per second through the raw-message
 * route (POST /api/v1/tickets/inbound-email, message/rfc822), new tickets and replies threaded into
 * them, next to the gateway's echo round trip to the support-tickets service measured in the same
 * run (the baseline):
 *
 *   npm run bench:support-tickets
 *
 * Gateway, contacts, analytics and support-tickets as bench/support/crm-system.ts starts them
 * (separate processes, the production bundles as the image runs them; BENCH_RUNTIME=source from source). A tenant is
 * signed up (`npm run seed` with no records) and its mailbox defined through the API; analytics and
 * contacts are then stopped (the path measured is the gateway's and support-tickets').
 *
 * HTTP load: wrk (installed if missing), 2 threads, 32 connections, BENCH_WARMUP_SECONDS (default 3)
 * warm-up then BENCH_SECONDS (default 10) measured, pidstat alongside for each process's CPU.
 * Writes bench/results/support-tickets.md. BENCH_ROWS=inbox (or inbound, threaded, timers; the
 * echo always runs) measures some rows only; BENCH_PROFILE=1 profiles the gateway and the service
 * (V8 CPU profiles in bench/results/profiles, not committed).
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { seed, SEED_DEFAULTS } from '../tools/seed/seed';
import { CONNECTIONS, httpRow, Row, SECONDS, WARMUP_SECONDS, withCpu } from './rows/row';
import { CrmSystem, startCrmSystem } from './support/crm-system';
import { POSTGRES, Processes, RABBITMQ, REDIS } from './support/pidstat';
import { fmt, log, sleep } from './support/processes';
import { seedDueTimersSql, seedTicketsSql, timerLateness } from './support/support-sql-seed';
import { ensureLoadTools } from './support/wrk';

const MAILBOX = 'support@bench.example';
const TICKETS = Number(process.env['BENCH_TICKETS'] ?? 100_000);
const GROUPS = 10;
const TIMERS = Number(process.env['BENCH_SLA_TIMERS'] ?? 10_000);
const TIMER_SPREAD_MS = 60_000;
const PAGE = 25;
const LOAD_GENERATOR = 'load generator';
const COLUMNS = ['api-gateway', 'support-tickets', POSTGRES, RABBITMQ, REDIS, LOAD_GENERATOR] as const;

interface Planned {
  key: string;
  name: string;
  target?: string;
  met?: (row: Row) => boolean;
  run: () => Promise<Row>;
}

/** A raw email as a Lua expression: CRLF line ends, a Message-ID unique to the request (`run`, `n`), 1,000 senders rotating. */
function rawEmailLua(extraHeadersLua = "''"): string {
  const crlf = "'\\r\\n'";
  return [
    "'From: Customer ' .. (n % 1000) .. ' <c' .. (n % 1000) .. '@customer.example>'",
    crlf,
    `'To: ${MAILBOX}'`,
    crlf,
    "'Subject: Order ' .. n .. ' has not arrived'",
    crlf,
    "'Message-ID: <' .. run .. '-' .. n .. '@customer.example>'",
    crlf,
    extraHeadersLua,
    "'Date: Tue, 01 Dec 2026 10:00:00 +0000'",
    crlf,
    "'MIME-Version: 1.0'",
    crlf,
    "'Content-Type: multipart/alternative; boundary=\"b1\"'",
    crlf,
    crlf,
    "'--b1'",
    crlf,
    "'Content-Type: text/plain; charset=utf-8'",
    crlf,
    crlf,
    "'Hello, I ordered on Monday and order ' .. n .. ' has still not arrived. Could you check where it is?'",
    crlf,
    crlf,
    "'Thanks, Customer ' .. (n % 1000)",
    crlf,
    "'--b1'",
    crlf,
    "'Content-Type: text/html; charset=utf-8'",
    crlf,
    crlf,
    "'<p>Hello, I ordered on Monday and order ' .. n .. ' has still not arrived. Could you check where it is?</p><p>Thanks</p>'",
    crlf,
    "'--b1--'",
    crlf,
  ].join(' .. ');
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

async function messageIdsOf(databaseUrl: string, limit: number): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('SELECT email_message_id AS id FROM ticket_message WHERE email_message_id IS NOT NULL LIMIT $1', [limit]);
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

async function main() {
  const started = Date.now();
  const hardStop = setTimeout(() => {
    console.error('benchmark exceeded 15 minutes, aborting');
    process.exit(2);
  }, 15 * 60_000);
  hardStop.unref();
  ensureLoadTools();
  let system: CrmSystem | undefined;
  process.once('SIGINT', () => void (system?.close() ?? Promise.resolve()).finally(() => process.exit(130)));

  let report = '';
  try {
    // BENCH_PROFILE=1: V8's CPU profiler in the gateway and support-tickets (bench/results/profiles, written on exit).
    const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${join(__dirname, 'results', 'profiles')}`] : [];
    const running = await startCrmSystem({
      with: ['support-tickets'],
      readyTimeoutMs: 300_000,
      execArgv: { 'api-gateway': profile, 'support-tickets': profile },
    });
    system = running;
    const { gatewayUrl } = running;
    log('signing up a tenant and its mailbox');
    const tenant = await seed({ ...SEED_DEFAULTS, baseUrl: gatewayUrl, companies: 0, contacts: 0, interactions: 0 });
    const token = tenant.accessToken;
    await api(gatewayUrl, token, 'PUT', `/api/v1/support-mailboxes/${MAILBOX}`, {});
    // The other services' consumers of ticket events (contacts: timeline entries and a contact for
    // each new sender; analytics: the event log) run in their own processes and scale on their own:
    // stopped, so the figures are the gateway's and support-tickets' path; their queues wait.
    await running.stop('analytics');
    await running.stop('contacts');

    const databases = Object.values(running.databaseUrls).map((url) => new URL(url).pathname.slice(1));
    const processes = (loadGenerator?: number): Processes => ({
      pids: {
        ...Object.fromEntries(Object.entries(running.processes).map(([name, p]) => [name, [p.child.exitCode === null ? p.child.pid : undefined]])),
        [LOAD_GENERATOR]: [loadGenerator],
      },
      databases,
    });
    const auth = { authorization: `Bearer ${token}` };
    const supportDb = running.databaseUrls['support-tickets'] as string;
    let seedSeconds = 0;
    const v1 = `${gatewayUrl}/api/v1`;
    const inbound = { url: `${v1}/tickets/inbound-email`, method: 'POST' as const, headers: { ...auth, 'content-type': 'message/rfc822' } };
    let created = 0;

    const plan: Planned[] = [
      {
        key: 'echo',
        name: 'baseline: gateway echo, GET /diagnostics/support-tickets/echo',
        run: () => httpRow('gateway echo (support-tickets)', { url: `${v1}/diagnostics/support-tickets/echo?payload=x`, headers: auth }, processes),
      },
      {
        key: 'inbound',
        name: 'inbound email: POST /tickets/inbound-email, multipart/alternative (text + HTML, ~1 KB), each a new ticket (1,000 senders rotating)',
        target: '≥ 200 emails/s',
        met: (r) => r.perSecond >= 200,
        run: async () => {
          const row = await httpRow('inbound email', { ...inbound, bodyLua: rawEmailLua() }, processes);
          created += row.count;
          return row;
        },
      },
      {
        key: 'threaded',
        name: 'inbound reply: the same, each answering an earlier email by In-Reply-To (threaded into its ticket: 2,000 tickets rotating)',
        run: async () => {
          // The threads answered: Message-IDs of emails the inbound row ticketed, rotating.
          const threads = await messageIdsOf(running.databaseUrls['support-tickets'] as string, 2_000);
          if (!threads.length) throw new Error('no tickets to answer: the inbound row made none');
          return httpRow(
            'inbound reply',
            { ...inbound, preludeLua: `local T = { ${threads.map((id) => JSON.stringify(id)).join(', ')} }`, bodyLua: rawEmailLua("'In-Reply-To: ' .. T[n % #T + 1] .. '\\r\\n'") },
            processes,
          );
        },
      },
      {
        key: 'inbox',
        name: `agent inbox: GET /tickets?groupId&status=open&sort=slaDueAt&limit=${PAGE}, first page of one group (${GROUPS} groups rotating, ${fmt(TICKETS)} tickets of the tenant, half open)`,
        target: 'p99 ≤ 50 ms',
        met: (r) => (r.p99 ?? Infinity) <= 50,
        run: async () => {
          log(`writing ${fmt(TICKETS)} tickets with SQL`);
          const seeded = await seedTicketsSql(supportDb, { tenantId: tenant.tenantId, tickets: TICKETS, groups: GROUPS });
          seedSeconds = seeded.seconds;
          const paths = seeded.groupIds.map((g) => `/api/v1/tickets?groupId=${g}&status=open&sort=slaDueAt&limit=${PAGE}`);
          return httpRow('agent inbox', { url: `${gatewayUrl}${paths[0]}`, headers: auth, paths }, processes);
        },
      },
      {
        key: 'timers',
        name: `SLA timers: ${fmt(TIMERS)} breaches due evenly over one minute, fired by the service's runner (poll every 2 s, batches of 500)`,
        target: 'p99 lateness ≤ 30 s',
        met: (r) => (r.p99 ?? Infinity) <= 30_000,
        run: async () => {
          const from = new Date(Date.now() + 5_000);
          await seedDueTimersSql(supportDb, { tenantId: tenant.tenantId, count: TIMERS, from, spreadMs: TIMER_SPREAD_MS });
          const { result, cpu } = await withCpu(processes(), async () => {
            const deadline = from.getTime() + TIMER_SPREAD_MS + 180_000;
            for (;;) {
              await sleep(1_000);
              const state = await timerLateness(supportDb);
              if (state.unfired === 0 || Date.now() > deadline) return state;
            }
          });
          const late = [...result.fired].sort((a, b) => a - b);
          const pct = (p: number) => late[Math.min(late.length - 1, Math.floor((p / 100) * late.length))];
          const seconds = (TIMER_SPREAD_MS + (late.at(-1) ?? 0)) / 1000;
          return {
            name: 'SLA timers',
            perSecond: late.length / seconds,
            unit: 'events/s' as const,
            p50: pct(50),
            p99: pct(99),
            count: late.length,
            errors: result.unfired,
            cpu,
            note: `${fmt(late.length)} fired, ${result.unfired} not within 3 minutes; lateness max ${fmt((late.at(-1) ?? NaN) / 1000, 1)} s`,
          };
        },
      },
    ];

    const only = process.env['BENCH_ROWS']?.split(',').map((s) => s.trim());
    const rows: Row[] = [];
    let echo: Row | undefined;
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
      if (planned.key === 'echo') echo = row;
      rows.push(row);
    }
    const tickets = await api<{ data: unknown[] }>(gatewayUrl, token, 'GET', '/api/v1/tickets?limit=1');
    report = table(rows, echo, { started, runtime: running.runtime, created, anyTicket: tickets.data.length > 0, seedSeconds });
  } finally {
    await system?.close();
  }

  console.log(report);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'support-tickets.md'), report);
  log('written bench/results/support-tickets.md');
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-';

function table(rows: Row[], echo: Row | undefined, facts: { started: number; runtime: 'source' | 'bundle'; created: number; anyTicket: boolean; seedSeconds: number }): string {
  const cores = cpus().length;
  const perRequest = (r: Row, column: string) => (r.cpu && r.perSecond > 0 ? (r.cpu[column] ?? 0) / r.perSecond : NaN);
  const sum = (r: Row) => COLUMNS.reduce((total, column) => total + (perRequest(r, column) || 0), 0);
  const lines = [
    '# Support-tickets benchmark',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${cores} cores shared by everything below (all on 127.0.0.1). ` +
      `Services ${facts.runtime === 'bundle' ? 'from the production bundles' : 'from source (swc-node)'}, NODE_ENV=production, LOG_LEVEL=warn, rate limits raised; contacts and analytics (the other consumers of ticket events) stopped during the loads. ` +
      `HTTP load: wrk in its own process, 2 threads, ${CONNECTIONS} connections, ${WARMUP_SECONDS}s warm-up, ${SECONDS}s measured.`,
    '',
    '| path | req/s | p50 (ms) | p99 (ms) | errors | req/s vs echo | p50 vs echo | p99 vs echo | target | met | CPU ms per request: gateway / support-tickets / Postgres / RabbitMQ / Redis / wrk | sum (ms) | most the cores allow |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|',
  ];
  for (const r of rows) {
    if (r.failed) {
      lines.push(`| ${r.name} | failed: ${r.failed.replace(/\|/g, '/')} |  |  | ${r.errors} |  |  |  | ${r.target ?? ''} | **no** |  |  |  |`);
      continue;
    }
    const base = r === echo ? undefined : echo;
    const total = sum(r);
    if (r.note) r.name = `${r.name} (${r.note})`;
    lines.push(
      `| ${r.name} | ${fmt(r.perSecond)} | ${fmt(r.p50 ?? NaN, 2)} | ${fmt(r.p99 ?? NaN, 2)} | ${r.errors} | ` +
        `${base ? ratio(r.perSecond, base.perSecond) : ''} | ${base ? ratio(r.p50, base.p50) : ''} | ${base ? ratio(r.p99, base.p99) : ''} | ` +
        `${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} | ` +
        `${r.cpu ? COLUMNS.map((c) => (r.cpu?.[c] ? fmt(perRequest(r, c), 3) : '-')).join(' / ') : ''} | ${r.cpu ? fmt(total, 3) : ''} | ${r.cpu && total > 0 ? fmt((cores * 1000) / total) : ''} |`,
    );
  }
  lines.push(
    '',
    'Ratios are to the gateway echo (an authenticated round trip gateway → bus → support-tickets → back, no database) of this run. ' +
      "CPU ms per request: each process's CPU during the measured window (pidstat -u, one-second samples) divided by the rate; Postgres is this run's backends and the " +
      'server\'s background processes; RabbitMQ and Redis are shared servers. "Most the cores allow" = cores × 1,000 ms / sum. ' +
      'Inbound email: the gateway takes the raw body, sends it base64 over the bus; the service parses it (mailparser), routes it by mailbox, looks for its thread, ' +
      'numbers it (one statement) and writes the ticket, its first message and `ticket.created` to the outbox in one more. ' +
      `Inbox: the index (tenant, group, status, sla_due_at, id); ${fmt(TICKETS)} tickets written with SQL in ${facts.seedSeconds.toFixed(1)} s. ` +
      'SLA timers: rows of ticket_sla due evenly over a minute; the row\'s p50/p99 are the lateness behind the due time in ms (breached_at − due_at), its rate the timers fired per second; ' +
      'each breach is one transaction (the ticket read, the policy looked up, `sla.breached` to the outbox, the timer marked).',
    '',
    `Tickets made by the inbound row: ${fmt(facts.created)}${facts.anyTicket ? '' : ' (none listed afterwards: check the run)'}. Load average (1 min) at the end: ${loadavg()[0].toFixed(1)}. ` +
      `Total run time ${((Date.now() - facts.started) / 1000).toFixed(0)} s. Command: \`npm run bench:support-tickets\`.`,
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
