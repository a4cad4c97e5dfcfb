/**
 * What each contacts request costs Postgres, statement by statement, at 100,000 contacts:
 *
 *   npm run bench:contacts-db
 *
 * A throwaway contacts database is migrated and filled straight with SQL (support/contacts-sql-seed:
 * 100,000 contacts, 1,000 companies, skewed surnames) in seconds. Each path's statements are then
 * built by the service's own repositories and run on one connection, one after another, and the
 * Postgres backend's CPU time is read from /proc (user + system) before and after: CPU ms per
 * request, which holds up when other work shares the machine, where wall times do not. The
 * baseline, in the same run on the same connection: a primary-key SELECT of one contact row as a
 * named prepared statement (what Postgres cannot do for less). Connections are made as the service
 * makes them (createDatabasePool with forceGenericPlans), and the statements run through the
 * service's Database (its Kysely executor: named prepared statements outside a transaction).
 * Then the same paths under 32 concurrent callers, for req/s, p50/p99 and CPU per request of the
 * database alone (Postgres: every backend of the database; Node: this process), twice: as the
 * service ran them before (each statement on a connection checked out of a pool of 10, pg's
 * default) and as it runs them now (plain reads on the shared pipelined connections,
 * PipelinedReads; writes on the pool either way), alternated path by path.
 *
 * Prints a markdown table and writes bench/results/contacts-db.md.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { contactCreated } from '@crm/contracts';
import type { OutboxMessageValues } from '@crm/messaging';
import { createDatabasePool, createPipelinedReads, DEFAULT_READ_CONNECTIONS, PipelinedReads, sortSpec } from '@crm/service-kit';
import { createTestDatabase } from '@crm/testing';
import { CommonTags } from '../apps/contacts/src/contacts/common-tags';
import { toContact } from '../apps/contacts/src/contacts/contact.mapper';
import { ContactRepository, ContactRow, ContactWrite, CONTACT_SORT_COLUMNS } from '../apps/contacts/src/contacts/contact.repository';
import { DuplicateRepository } from '../apps/contacts/src/contacts/duplicates/duplicate.repository';
import { Database } from '../apps/contacts/src/infrastructure/database/database';
import type { DatabasePool } from '../apps/contacts/src/infrastructure/database/database-pool';
import { searchTerms } from '../apps/contacts/src/shared/search-terms';
import { seedContactsSql } from './support/contacts-sql-seed';

const CONTACTS = Number(process.env['BENCH_CONTACTS'] ?? 100_000);
const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 400);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = 32;
const TENANT = 'bench-tenant';
const TICK_MS = 10; // USER_HZ = 100 on Linux

/** The CPU time (ms) a process has used so far. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Repositories as the service builds them, outside a transaction, on `pool` (and its plain reads on `reads`, when given). */
function repositories(pool: Pool, reads?: PipelinedReads) {
  const noTransaction = { isTransactionActive: () => false, tx: undefined } as never;
  const db = new Database({ pool, reads } as DatabasePool, noTransaction);
  return {
    contacts: new ContactRepository(db, new CommonTags(db)),
    duplicates: new DuplicateRepository(db),
    db,
  };
}

/** The created event's outbox row, as EventPublisher.publishAlong hands it to the contact's insert. */
function createdOutboxRow(row: ContactRow): OutboxMessageValues {
  const id = randomUUID();
  const contact = toContact(row);
  const envelope = {
    specversion: '1.0',
    id,
    source: 'crm/contacts',
    type: contactCreated.name,
    time: new Date().toISOString(),
    subject: row.id,
    tenantid: row.tenantId,
    data: { contact },
  };
  return {
    id,
    type: contactCreated.name,
    routing_key: contactCreated.name,
    tenant_id: row.tenantId,
    subject: row.id,
    envelope: JSON.stringify(envelope),
    headers: '{}',
  };
}

type Repos = ReturnType<typeof repositories>;

interface Path {
  name: string;
  target?: string;
  run: (r: Repos, i: number) => Promise<unknown>;
}

const contactWrite = (i: number, run: string): ContactWrite => ({
  firstName: `Bench${i}`,
  lastName: `Person${i}`,
  title: null,
  emails: [{ address: `bench.${i}.${run}@example.com`, primary: true }],
  phones: [],
  addresses: [],
  companyId: null,
  ownerId: null,
  tags: ['bench'],
  lifecycleStage: 'lead',
  customFields: {},
});

const FILTERS: [Record<string, string>, string][] = [
  [{ lifecycleStage: 'customer', tag: 'vip' }, '-updatedAt'],
  [{ lifecycleStage: 'lead' }, '-updatedAt'],
  [{ tag: 'newsletter' }, 'lastName'],
  [{ lifecycleStage: 'prospect', tag: 'decision-maker' }, '-createdAt'],
  [{ lifecycleStage: 'churned' }, 'lastName'],
];

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  postgresMs: number;
  nodeMs: number;
}

/** `path` run by CONNECTIONS callers for SECONDS on `repos`: rate, latency and the CPU per request of Postgres's backends and of this process. */
async function underLoad(admin: Client, path: Path, repos: Repos): Promise<Load> {
  for (let i = 0; i < 4; i++) await Promise.all(Array.from({ length: CONNECTIONS }, (_, j) => path.run(repos, i * CONNECTIONS + j)));
  const backends = (
    await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
  ).rows.map((r) => r.pid);
  const postgresCpu = () => backends.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const latencies: number[] = [];
  const [postgresBefore, nodeBefore] = [postgresCpu(), process.cpuUsage()];
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await path.run(repos, i++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const node = process.cpuUsage(nodeBefore);
  const postgresMs = postgresCpu() - postgresBefore;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))];
  return {
    perSecond: latencies.length / SECONDS,
    p50: at(50),
    p99: at(99),
    postgresMs: postgresMs / latencies.length,
    nodeMs: (node.user + node.system) / 1000 / latencies.length,
  };
}

async function main() {
  const database = await createTestDatabase('contacts');
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  const lines: string[] = [];
  try {
    const seeded = await seedContactsSql(admin, { tenantId: TENANT, companies: 1_000, contacts: CONTACTS });
    await admin.query('VACUUM ANALYZE');
    const surname = seeded.commonSurnames.find((s) => s.contacts >= CONTACTS / 100 && s.contacts <= CONTACTS / 30) ?? seeded.commonSurnames[0];
    const typo = surname.word.slice(0, 1) + surname.word[2] + surname.word[1] + surname.word.slice(3);
    console.error(
      `seeded ${CONTACTS} contacts in ${seeded.seconds.toFixed(1)} s; common surname "${surname.word}" (${surname.contacts} contacts), typo "${typo}"`,
    );
    const ids = seeded.contactIds;
    const run = Date.now().toString(36);
    let created = 0;

    const paths: Path[] = [
      {
        name: 'baseline: primary-key SELECT of one contact row (prepared)',
        run: (r, i) =>
          r.db
            .selectFrom('contact')
            .selectAll()
            .where('id', '=', ids[i % ids.length])
            .execute(),
      },
      {
        name: 'GET /contacts/:id (ContactRepository.findDetail: the contract JSON with the purchase summary)',
        run: (r, i) => r.contacts.findDetail(TENANT, ids[i % ids.length]),
      },
      {
        name: 'POST /contacts: the write (contact, email, search words, outbox row; allowDuplicates)',
        target: '>= 800 creates/s',
        run: (r) => {
          const { row, insert } = r.contacts.newContact(TENANT, contactWrite(++created, run));
          return r.db.executeQuery(insert(createdOutboxRow(row)));
        },
      },
      {
        name: 'POST /contacts: the duplicate check (email, phone, company)',
        run: (r, i) =>
          r.duplicates.candidates(
            TENANT,
            { emailKeys: [`bench.${i}.${run}@example.com`], phoneDigits: ['15550100200'], fullName: `Bench${i} Person${i}`, companyId: null },
            0.6,
            10,
          ),
      },
      {
        name: `GET /contacts?q=<common surname> (${surname.word}: ${surname.contacts} contacts), first page`,
        target: '>= 500 req/s, p99 <= 100 ms',
        run: (r) => r.contacts.list(TENANT, { filter: {}, terms: searchTerms(surname.word), sort: sortSpec('-updatedAt', CONTACT_SORT_COLUMNS), limit: 25 }),
      },
      {
        name: `GET /contacts?q=<the surname with a typo> (${typo}), first page`,
        run: (r) => r.contacts.list(TENANT, { filter: {}, terms: searchTerms(typo), sort: sortSpec('-updatedAt', CONTACT_SORT_COLUMNS), limit: 25 }),
      },
      {
        name: `GET /contacts?<filter>&sort&limit=25 (${FILTERS.length} combos)`,
        target: '>= 1,000 req/s, p99 <= 60 ms',
        run: (r, i) => {
          const [filter, sort] = FILTERS[i % FILTERS.length];
          return r.contacts.list(TENANT, { filter, terms: [], sort: sortSpec(sort, CONTACT_SORT_COLUMNS), limit: 25 });
        },
      },
    ];

    // CPU per request: one connection, one request after another.
    const single = createDatabasePool({ url: database.url, max: 1, forceGenericPlans: true });
    const pid = (await single.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const one = repositories(single);
    const cpu: number[] = [];
    for (const path of paths) {
      for (let i = 0; i < 20; i++) await path.run(one, i); // warm: prepared, cached
      // At least ITERATIONS and 2 s: the clock ticks in 10 ms steps.
      const before = cpuMs(pid);
      const until = performance.now() + 2_000;
      let n = 0;
      while (n < ITERATIONS || performance.now() < until) await path.run(one, n++);
      cpu.push((cpuMs(pid) - before) / n);
      console.error(`${path.name}: ${cpu[cpu.length - 1].toFixed(3)} ms CPU`);
    }
    await single.end();

    // Throughput, latency and CPU: 32 callers for SECONDS each, on the pool alone and with the
    // pipelined reads, alternated path by path so that both see the same machine.
    const options = { url: database.url, forceGenericPlans: true };
    const pool = createDatabasePool(options);
    const reads = createPipelinedReads(options);
    const modes = [repositories(pool), repositories(pool, reads)];
    const load: Load[][] = [];
    for (const path of paths) {
      load.push([]);
      for (const repos of modes) {
        load[load.length - 1].push(await underLoad(admin, path, repos));
        console.error(`${path.name}: ${load[load.length - 1].map((l) => l.perSecond.toFixed(0)).join(' / ')} req/s`);
      }
    }
    await reads.end();
    await pool.end();

    const base = cpu[0];
    lines.push('# Contacts database benchmark');
    lines.push('');
    lines.push(
      `${new Date().toISOString()}, ${cpus().length} cores, ${CONTACTS.toLocaleString('en')} contacts in one tenant (SQL seed), ` +
        `the service's own statements straight on Postgres (no gateway, no bus). CPU: the backend's user + system time over at least ${ITERATIONS} ` +
        `requests and 2 s on one connection; load: ${CONNECTIONS} callers for ${SECONDS} s, the caller in the same Node process.`,
    );
    lines.push('');
    lines.push('| path | Postgres CPU ms / request | vs primary-key SELECT | issue target (whole system) |');
    lines.push('|---|---:|---:|---|');
    paths.forEach((path, i) => lines.push(`| ${path.name} | ${cpu[i].toFixed(3)} | ${(cpu[i] / base).toFixed(1)}x | ${path.target ?? ''} |`));
    lines.push('');
    lines.push(
      `${CONNECTIONS} callers, each path on the pool (10 connections, one checked out per statement) / with the plain reads on ${DEFAULT_READ_CONNECTIONS} shared ` +
        `pipelined connections (the service's PipelinedReads; writes stay on the pool). CPU ms per request: Postgres (every backend of the database) and Node (this process, callers included).`,
    );
    lines.push('');
    lines.push('| path | req/s | p50 (ms) | p99 (ms) | Postgres CPU ms / request | Node CPU ms / request |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    const pair = (values: number[], digits: number) => values.map((v) => v.toFixed(digits)).join(' / ');
    paths.forEach((path, i) => {
      const [p, r] = load[i];
      lines.push(
        `| ${path.name} | ${pair([p.perSecond, r.perSecond], 0)} | ${pair([p.p50, r.p50], 1)} | ${pair([p.p99, r.p99], 1)} | ${pair([p.postgresMs, r.postgresMs], 3)} | ${pair([p.nodeMs, r.nodeMs], 3)} |`,
      );
    });
    lines.push('');
    lines.push(`Load average (1 min) at the end: ${loadavg()[0].toFixed(1)}. Command: \`npm run bench:contacts-db\`.`);
  } finally {
    await admin.end();
    await database.drop();
  }
  const report = lines.join('\n') + '\n';
  console.log(report);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'contacts-db.md'), report);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
