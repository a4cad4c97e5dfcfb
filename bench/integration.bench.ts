/**
 * Integration gateway benchmark (issue 13): what an ERP system sees, next to baselines measured in
 * the same run on the same machine (ratios hold up between runs far better than absolute figures):
 *
 *   npm run bench:integration
 *
 * - bulk upsert of BENCH_BULK_ROWS (default 100,000) contacts from CSV through a bulk job
 *   (create, upload, close, poll until completed: end to end, every row applied by the contacts
 *   service with its events in the outbox), an insert run then an update run (every row changed),
 *   next to raw Postgres `COPY` of the same rows into a table of the same columns; target
 *   ≥ 10,000 rows/s. Also the CPU a row costs every process until the consumers settled, and the
 *   floor: the least a row can cost with the design's parts (per-record event through an outbox,
 *   the broker, each consumer's inbox) and no service code (bench/support/bulk-floor.ts), whose
 *   ceiling on these cores bounds any end-to-end figure;
 * - the integration gateway's peak memory (RSS) while a BENCH_UPLOAD_MB (default 100) MB CSV is
 *   uploaded, next to its RSS before the upload (the job is aborted afterwards: only the upload is
 *   measured);
 * - change-feed read throughput: GET /erp/v1/changes pages of 1,000 until caught up, events/s,
 *   next to reading the same rows from change_log with one SELECT per page (the floor);
 * - webhook deliveries/s to a local receiver (signatures checked on a sample with the
 *   `standardwebhooks` package), next to the same number of plain POSTs from this process to the
 *   receiver (the floor).
 *
 * Gateway, contacts, analytics (stopped after start-up: not on these paths), sales-automation and
 * the integration gateway as bench/support/crm-system.ts starts them. Writes
 * bench/results/integration.md.
 */
import 'reflect-metadata';
import { createWriteStream, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Webhook } from 'standardwebhooks';
import { testEnv } from '@crm/testing';
import { seed, SEED_DEFAULTS } from '../tools/seed/seed';
import { busFloor, postgresFloor } from './support/bulk-floor';
import { cpuCeiling, cpuSnapshot, cpuSpent, systemCpuGroups, untilIdle } from './support/cpu-budget';
import { CrmSystem, startCrmSystem } from './support/crm-system';
import { fmt, log, rssMiB, sleep } from './support/processes';

const BULK_ROWS = Number(process.env['BENCH_BULK_ROWS'] ?? 100_000);
const UPLOAD_MB = Number(process.env['BENCH_UPLOAD_MB'] ?? 100);
const WEBHOOK_DELIVERIES = Number(process.env['BENCH_WEBHOOK_DELIVERIES'] ?? 5_000);
const SYSTEM = 'bench-erp';
/** The services whose queues are bound to contacts.contact.created.v1 (analytics, sales-automation, the integration gateway's change feed). */
const CONTACT_EVENT_CONSUMERS = 3;
const HEADER = 'externalId,firstName,lastName,email,phone,title';
/** The file's columns as the contact's fields (the external id column is the key, not a field). */
const CSV_MAPPING = { externalId: '', email: 'emails.0.address', phone: 'phones.0.number' };

/** Measured rows are logged at once, so a run cut short still shows what it measured. */
function measured(rows: Row[], row: Row): void {
  rows.push(row);
  log(`measured: ${row.name}: ${row.figure}${row.baseline ? ` (${row.baseline}, ${row.ratio})` : ''}`);
}

interface Row {
  name: string;
  figure: string;
  baseline?: string;
  ratio?: string;
  target?: string;
  met?: string;
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** One CSV line of contact i; `round` changes the title, so a second run updates every row. */
function csvLine(i: number, round: number): string {
  return `erp-${i},Person${i},Bench${i % 997},person${i}@bench.example,+4930${String(1_000_000 + i)},Title ${round}`;
}

function writeCsv(path: string, rows: number, round: number): number {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) lines.push(csvLine(i, round));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return statSync(path).size;
}

/** A CSV of about `megabytes` MB, written in pieces (never whole in memory). */
async function writeBigCsv(path: string, megabytes: number): Promise<number> {
  const target = megabytes * 1024 * 1024;
  let written = 0;
  let i = 0;
  async function* lines() {
    yield `${HEADER}\n`;
    while (written < target) {
      const chunk: string[] = [];
      for (let k = 0; k < 1_000; k++) chunk.push(csvLine(i++, 1));
      const text = `${chunk.join('\n')}\n`;
      written += Buffer.byteLength(text);
      yield text;
    }
  }
  await pipeline(Readable.from(lines()), createWriteStream(path));
  return statSync(path).size;
}

class ErpClient {
  private token = '';
  constructor(
    readonly baseUrl: string,
    private readonly clientId: string,
    private readonly secret: string,
  ) {}

  async authenticate(): Promise<void> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.clientId, client_secret: this.secret });
    const response = await fetch(`${this.baseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    this.token = (await json<{ access_token: string }>(response, 'POST /oauth/token')).access_token;
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${this.token}`, ...(init.headers as Record<string, string>) } });
  }

  /** JSON in and out; an expired access token (they last 15 minutes, a run longer) is renewed once, as an ERP would. */
  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const request = () => this.fetch(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    let response = await request();
    if (response.status === 401) {
      await response.arrayBuffer();
      await this.authenticate();
      response = await request();
    }
    return json<T>(response, `${method} ${path}`);
  }
}

interface Job {
  id: string;
  state: string;
  rowsProcessed: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsFailed: number;
}

/** A bulk job end to end: create, upload the file (streamed), close, poll until it ends. Seconds from upload start to the end. */
async function bulkUpsert(erp: ErpClient, file: string): Promise<{ seconds: number; job: Job }> {
  const job = await erp.send<Job>('POST', '/erp/v1/jobs', { object: 'contacts', operation: 'upsert', system: SYSTEM, externalIdField: 'externalId', contentType: 'text/csv', columnMapping: CSV_MAPPING });
  const started = performance.now();
  const { createReadStream } = await import('node:fs');
  const upload = await erp.fetch(`/erp/v1/jobs/${job.id}/data`, {
    method: 'PUT',
    headers: { 'content-type': 'text/csv', 'content-length': String(statSync(file).size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!upload.ok) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  await erp.send('PATCH', `/erp/v1/jobs/${job.id}`, { state: 'upload_complete' });
  for (;;) {
    const state = await erp.send<Job>('GET', `/erp/v1/jobs/${job.id}`);
    if (['job_complete', 'failed', 'aborted'].includes(state.state)) {
      if (state.state !== 'job_complete') throw new Error(`job ${job.id} ended ${state.state}`);
      return { seconds: (performance.now() - started) / 1000, job: state };
    }
    await sleep(100);
  }
}

/** The floor: COPY of the same rows into a table of the same columns, in the contacts database's server. */
async function copyBaseline(databaseUrl: string, file: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE copy_floor (external_id text, first_name text, last_name text, email text, phone text, title text)');
    const { createReadStream } = await import('node:fs');
    const started = performance.now();
    await pipeline(createReadStream(file), client.query(copyFrom('COPY copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)')));
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

async function main() {
  const hardStop = setTimeout(() => {
    console.error('benchmark exceeded 30 minutes, aborting');
    process.exit(2);
  }, 30 * 60_000);
  hardStop.unref();
  let system: CrmSystem | undefined;
  process.once('SIGINT', () => void (system?.close() ?? Promise.resolve()).finally(() => process.exit(130)));
  const rows: Row[] = [];
  const files: string[] = [];
  try {
    const running = await startCrmSystem({ with: ['sales-automation', 'integration-gateway'], readyTimeoutMs: 300_000 });
    system = running;
    await running.stop('analytics');
    const erpUrl = `http://127.0.0.1:${running.ports['integration-gateway']}`;
    const integrationPid = running.processes['integration-gateway']?.child.pid;

    log('signing up a tenant; an API client with every scope through the API gateway');
    const tenant = await seed({ ...SEED_DEFAULTS, baseUrl: running.gatewayUrl, companies: 0, contacts: 0, interactions: 0 });
    const created = await json<{ id: string; secret: string }>(
      await fetch(`${running.gatewayUrl}/api/v1/integrations/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bench ERP', scopes: ['contacts:read', 'contacts:write', 'changes:read', 'webhooks:manage'] }),
      }),
      'POST /api/v1/integrations/clients',
    );
    const erp = new ErpClient(erpUrl, created.id, created.secret);
    await erp.authenticate();

    // Bulk upsert: insert run, update run, and COPY of the same file as the floor.
    const insertFile = join(tmpdir(), `bench-bulk-insert-${process.pid}.csv`);
    const updateFile = join(tmpdir(), `bench-bulk-update-${process.pid}.csv`);
    files.push(insertFile, updateFile);
    const bytes = writeCsv(insertFile, BULK_ROWS, 1);
    writeCsv(updateFile, BULK_ROWS, 2);
    const copySeconds = await copyBaseline(running.databaseUrls.contacts, insertFile);
    const copyRate = BULK_ROWS / copySeconds;
    log(`COPY floor: ${fmt(copyRate)} rows/s`);
    const bus = await busFloor((await testEnv()).rabbitmqUrl, BULK_ROWS, CONTACT_EVENT_CONSUMERS);
    const database = await postgresFloor(running.databaseUrls.contacts, BULK_ROWS, CONTACT_EVENT_CONSUMERS);
    const floor = bus.bus + database.postgres + bus.clients + database.clients;
    measured(rows, {
      name: `floor per contact: the design's parts with no service code, ${fmt(BULK_ROWS)} rows (raw amqplib: persistent publish with confirms to ${CONTACT_EVENT_CONSUMERS} quorum queues, as many as consume contacts.contact.created.v1, consumed with acks; raw pg, batches of 1,000: upsert by external id with the outbox rows, the relay taking them out, per consumer its inbox rows and one kept row per event; insert and update rounds)`,
      figure: `${floor.toFixed(3)} CPU ms (rabbitmq ${bus.bus.toFixed(3)}, postgres ${database.postgres.toFixed(3)}, their Node clients ${(bus.clients + database.clients).toFixed(3)})`,
      baseline: `${cpus().length} cores`,
      ratio: `ceiling ${fmt(cpuCeiling(floor / 1000))} rows/s (broker and Postgres alone: ${fmt(cpuCeiling((bus.bus + database.postgres) / 1000))})`,
      target: '≥ 10,000 rows/s',
      met: cpuCeiling(floor / 1000) >= 10_000 ? 'the floor allows it' : 'impossible here: the floor alone is over the 2 cores',
    });
    const cpuGroups = systemCpuGroups(
      Object.fromEntries(Object.entries(running.processes).map(([name, child]) => [name, child?.child.pid])),
      Object.values(running.databaseUrls).map((url) => new URL(url).pathname.slice(1)),
    );
    for (const [run, file, outcome] of [
      ['insert', insertFile, 'rowsCreated'],
      ['update', updateFile, 'rowsUpdated'],
    ] as const) {
      await untilIdle(cpuGroups);
      const cpuBefore = cpuSnapshot(cpuGroups);
      const clientBefore = process.cpuUsage();
      const { seconds, job } = await bulkUpsert(erp, file);
      const rate = BULK_ROWS / seconds;
      log(`bulk ${run}: ${fmt(rate)} rows/s (${JSON.stringify(job)})`);
      if (job[outcome] !== BULK_ROWS) throw new Error(`bulk ${run}: expected ${BULK_ROWS} ${outcome}, got ${job[outcome]}`);
      // The whole system's CPU for these rows: until the consumers of their events have caught up too.
      await untilIdle(cpuGroups);
      const spent = cpuSpent(cpuBefore, cpuSnapshot(cpuGroups));
      const client = process.cpuUsage(clientBefore);
      const perThousand = (Object.values(spent).reduce((a, b) => a + b, 0) / BULK_ROWS) * 1000;
      const parts = Object.entries(spent)
        .sort((a, b) => b[1] - a[1])
        .map(([group, cpu]) => `${group} ${((cpu / BULK_ROWS) * 1000).toFixed(3)}`)
        .join(', ');
      measured(rows, {
        name: `CPU per 1,000 contacts of the ${run} run, every process of the system until its consumers settled (the CSV client apart: ${(((client.user + client.system) / 1e6 / BULK_ROWS) * 1000).toFixed(3)} s)`,
        figure: `${perThousand.toFixed(3)} CPU s (${parts})`,
        baseline: `${cpus().length} cores`,
        ratio: `ceiling ${fmt(cpuCeiling(perThousand / 1000))} rows/s`,
        target: '≥ 10,000 rows/s',
        met: cpuCeiling(perThousand / 1000) >= 10_000 ? 'ceiling allows it' : 'out of reach on this machine',
      });
      measured(rows, {
        name: `bulk upsert of ${fmt(BULK_ROWS)} contacts from CSV (${(bytes / 1e6).toFixed(1)} MB), ${run} run, end to end`,
        figure: `${fmt(rate)} rows/s (${seconds.toFixed(1)} s)`,
        baseline: `COPY: ${fmt(copyRate)} rows/s`,
        ratio: `${(rate / copyRate).toFixed(3)}x`,
        target: '≥ 10,000 rows/s',
        met: rate >= 10_000 ? 'yes' : 'no',
      });
    }

    // Peak memory during a big upload (the job is aborted afterwards).
    const bigFile = join(tmpdir(), `bench-upload-${process.pid}.csv`);
    files.push(bigFile);
    const bigBytes = await writeBigCsv(bigFile, UPLOAD_MB);
    await erp.authenticate(); // a fresh token: the upload may take longer than one lives
    const before = rssMiB(integrationPid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(integrationPid))), 25);
    const job = await erp.send<Job>('POST', '/erp/v1/jobs', { object: 'contacts', operation: 'upsert', system: `${SYSTEM}-big`, externalIdField: 'externalId', contentType: 'text/csv', columnMapping: CSV_MAPPING });
    const { createReadStream } = await import('node:fs');
    const uploadStarted = performance.now();
    const upload = await erp.fetch(`/erp/v1/jobs/${job.id}/data`, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv', 'content-length': String(bigBytes) },
      body: Readable.toWeb(createReadStream(bigFile)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;
    clearInterval(sampler);
    if (!upload.ok) throw new Error(`big upload: ${upload.status} ${await upload.text()}`);
    await erp.send('PATCH', `/erp/v1/jobs/${job.id}`, { state: 'aborted' });
    measured(rows, {
      name: `integration gateway's memory while a ${(bigBytes / 1e6).toFixed(0)} MB CSV is uploaded (${(bigBytes / 1e6 / uploadSeconds).toFixed(1)} MB/s)`,
      figure: `peak RSS ${fmt(peak)} MiB`,
      baseline: `before: ${fmt(before)} MiB`,
      ratio: `+${fmt(peak - before)} MiB`,
      target: `far below the file (${(bigBytes / 1048576).toFixed(0)} MiB)`,
      met: peak - before < bigBytes / 1048576 / 2 ? 'yes' : 'no',
    });

    // Change feed: every change so far (the two bulk runs' events), pages of 1,000.
    const feedStarted = performance.now();
    let cursor: string | undefined;
    let events = 0;
    for (;;) {
      const page = await erp.send<{ data: unknown[]; next: string }>('GET', `/erp/v1/changes?limit=1000${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`);
      events += page.data.length;
      // The feed answers `next` (where the client stands); a page that does not move it on ends the read.
      if (page.data.length === 0 || page.next === cursor) break;
      cursor = page.next;
    }
    const feedSeconds = (performance.now() - feedStarted) / 1000;
    const selectSeconds = await selectFloor(running.databaseUrls['integration-gateway'] as string, tenant.tenantId);
    measured(rows, {
      name: `change feed: GET /erp/v1/changes, pages of 1,000 until caught up (${fmt(events)} events)`,
      figure: `${fmt(events / feedSeconds)} events/s`,
      baseline: `SELECT of the same pages: ${fmt(events / selectSeconds)} events/s`,
      ratio: `${(selectSeconds / feedSeconds).toFixed(3)}x`,
    });

    // Webhooks: a local receiver; one update job of WEBHOOK_DELIVERIES rows makes as many deliveries.
    const received = { count: 0, verified: 0, firstAt: 0, lastAt: 0 };
    let verifier: Webhook | undefined;
    const receiver = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.count++;
        received.lastAt = performance.now();
        if (received.count % 100 === 1 && verifier) {
          verifier.verify(Buffer.concat(chunks).toString(), request.headers as Record<string, string>);
          received.verified++;
        }
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      // The floor: the same number of plain POSTs from here, 16 in flight.
      const floorStarted = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next++ < WEBHOOK_DELIVERIES) await (await fetch(receiverUrl, { method: 'POST', body: '{}' })).arrayBuffer();
        }),
      );
      const floorRate = WEBHOOK_DELIVERIES / ((performance.now() - floorStarted) / 1000);
      received.count = 0;
      const subscription = await erp.send<{ id: string; secret: string }>('POST', '/erp/v1/webhooks', { url: receiverUrl, eventTypes: ['contacts.contact.updated.v1'] });
      verifier = new Webhook(subscription.secret);
      const hookFile = join(tmpdir(), `bench-hooks-${process.pid}.csv`);
      files.push(hookFile);
      writeCsv(hookFile, WEBHOOK_DELIVERIES, 3);
      const hooksStarted = performance.now();
      await bulkUpsert(erp, hookFile);
      while (received.count < WEBHOOK_DELIVERIES && performance.now() - hooksStarted < 600_000) await sleep(100);
      const seconds = (received.lastAt - hooksStarted) / 1000;
      const rate = received.count / seconds;
      measured(rows, {
        name: `webhook deliveries to a local receiver (${fmt(received.count)} of ${fmt(WEBHOOK_DELIVERIES)}, ${received.verified} signatures verified), from the update job's start`,
        figure: `${fmt(rate)} deliveries/s`,
        baseline: `plain POSTs from the bench: ${fmt(floorRate)}/s`,
        ratio: `${(rate / floorRate).toFixed(3)}x`,
      });
    } finally {
      receiver.close();
    }
  } finally {
    for (const file of files) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
    await system?.close();
  }

  const table = [
    '| measure | figure | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.figure} | ${r.baseline ?? ''} | ${r.ratio ?? ''} | ${r.target ?? ''} | ${r.met ?? ''} |`),
  ].join('\n');
  const report = [
    '# Integration gateway benchmark (`npm run bench:integration`)',
    '',
    `${new Date().toISOString()}; ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at the end.`,
    '',
    table,
    '',
  ].join('\n');
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'integration.md'), report);
  console.log(report);
}

/** The feed's floor: the same pages read straight from change_log (seq order, 1,000 at a time). */
async function selectFloor(databaseUrl: string, tenantId: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    let after = '0';
    for (;;) {
      const { rows } = await client.query<{ seq: string }>(
        'SELECT seq, event_id, type, subject, occurred_at, data FROM change_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000',
        [tenantId, after],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1].seq;
    }
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
