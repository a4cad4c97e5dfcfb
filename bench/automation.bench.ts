/**
 * Automation benchmark (issue 14): 100,000 sequence enrolments waiting and 10,000 due in the same
 * minute; the time until all are rendered and accepted by the local SMTP server, emails/s, and how
 * late each was behind its due time (p50/p99), next to a baseline measured in the same run: raw
 * nodemailer over the same pooled SMTP connections, with no database, no templates and no runner.
 *
 *   npm run bench:automation
 *
 * The sales-automation service runs as main.ts runs it, in a process of its own from source
 * (swc-node), against a fresh database, with its runner polling as deployed (default poll, batch,
 * concurrency, lease and pool settings). The SMTP server is in this process and only records each
 * message's Message-ID, recipient and time of acceptance (apps/sales-automation/src/testing/
 * counting-smtp.ts). Enrolments, contacts (subscribed) and a marketing template with a link
 * (tracked: click redirect and open pixel) are written with SQL (sequence-fixtures.ts).
 *
 * Two rows: "one minute" (the case: 10,000 due spread over one minute among 100,000
 * waiting a year: lateness is what the runner adds), and "burst" (10,000 due at the same instant:
 * the runner's throughput, all of it backlog). Targets: ≥ 300 emails/s rendered and accepted (the
 * burst row) and p99 lateness ≤ 30 s (the one-minute row). Knobs: BENCH_DUE (10,000),
 * BENCH_WAITING (100,000). Writes bench/results/automation.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { sql } from 'kysely';
import { createTestDatabase, deleteTestBus, testBusPrefix, testEnv, testGatewayKeyEnv, testKysely } from '@crm/testing';
import { spawnChildService } from '../apps/sales-automation/src/testing/child-service';
import { CountingSmtp } from '../apps/sales-automation/src/testing/counting-smtp';
import { seedDueEnrolments } from '../apps/sales-automation/src/testing/sequence-fixtures';
import { fmt, log } from './support/processes';

const DUE = Number(process.env['BENCH_DUE'] ?? 10_000);
const WAITING = Number(process.env['BENCH_WAITING'] ?? 100_000);
const MINUTE_MS = 60_000;
/** Time to finish writing the rows before the first is due. */
const LEAD_MS = 5_000;
const BASELINE_MESSAGES = 2_000;
const POOL = 5;

interface Row {
  name: string;
  due: number;
  seconds: number;
  emailsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  target: string;
  met: boolean | undefined;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Raw nodemailer, pooled like the service's transport, to the same server: what SMTP alone allows here. */
async function baseline(smtp: CountingSmtp): Promise<number> {
  const transport = createTransport({ url: smtp.url, pool: true, maxConnections: POOL } as never);
  const html = '<p>Hello Reader, 10% off your next order. <a href="https://shop.example/offer">Shop</a></p>';
  const before = smtp.accepted.length;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: POOL * 2 }, async () => {
      while (next < BASELINE_MESSAGES) {
        const n = next++;
        await transport.sendMail({ from: 'Shop <hello@shop.example>', to: `baseline-${n}@example.test`, subject: 'An offer', html, text: 'Hello Reader' });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  if (smtp.accepted.length - before !== BASELINE_MESSAGES) throw new Error('the baseline lost messages');
  return BASELINE_MESSAGES / seconds;
}

async function main(): Promise<void> {
  const runStarted = Date.now();
  const env = await testEnv();
  const database = await createTestDatabase('sales-automation');
  const db = testKysely(database.url);
  const smtp = await CountingSmtp.start();
  const prefix = testBusPrefix();
  const service = spawnChildService('sales-automation', 'src/testing/sales-automation-process.ts', {
    RABBITMQ_URL: env.rabbitmqUrl,
    REDIS_URL: env.redisUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    BUS_NAME_PREFIX: prefix,
    ...testGatewayKeyEnv(),
    SALES_AUTOMATION_DATABASE_URL: database.url,
    SALES_AUTOMATION_SMTP_URL: smtp.url,
    SALES_AUTOMATION_UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789abcdef',
    SALES_AUTOMATION_CURSOR_SECRET: 'bench-cursor-secret-0123456789abcdef-0123',
    SALES_AUTOMATION_PUBLIC_BASE_URL: 'https://crm.example',
  });
  const rows: Row[] = [];
  let seedSeconds = 0;
  try {
    await service.ready;
    const raw = await baseline(smtp);
    log(`baseline: raw nodemailer ${fmt(raw)} emails/s`);

    const run = async (name: string, spreadMs: number, waiting: number, target: string, met: (row: Row) => boolean) => {
      const seedStarted = performance.now();
      const dueAt = new Date(Date.now() + LEAD_MS + (waiting > 0 ? 20_000 : 0));
      const seeded = await seedDueEnrolments(db, { count: DUE, dueAt, spreadMs, waiting });
      await sql`ANALYZE sequence_enrolment`.execute(db);
      seedSeconds += (performance.now() - seedStarted) / 1000;
      if (Date.now() > dueAt.getTime()) log(`${name}: the seed ended ${Date.now() - dueAt.getTime()} ms after the first was due`);
      const wanted = new Set(seeded.addresses);
      const dueOf = new Map(seeded.addresses.map((address, i) => [address, dueAt.getTime() + (i * spreadMs) / DUE]));
      const mine = () => smtp.accepted.filter((m) => wanted.has(m.to));
      await waitUntil(() => smtp.accepted.length > 0 && mine().length >= DUE, 10 * MINUTE_MS, name);
      const accepted = mine();
      const first = Math.min(...accepted.map((m) => m.at));
      const last = Math.max(...accepted.map((m) => m.at));
      const lateness = accepted.map((m) => (m.at - (dueOf.get(m.to) as number)) / 1000).sort((a, b) => a - b);
      const seconds = (last - dueAt.getTime()) / 1000;
      const row: Row = {
        name,
        due: DUE,
        seconds,
        emailsPerSecond: DUE / Math.max((last - first) / 1000, 0.001),
        p50: quantile(lateness, 0.5),
        p99: quantile(lateness, 0.99),
        max: lateness[lateness.length - 1],
        target,
        met: undefined,
      };
      row.met = met(row);
      rows.push(row);
      log(
        `${name}: ${fmt(row.seconds)} s from the first due time to the last accepted, ${fmt(row.emailsPerSecond)} emails/s, lateness p50 ${fmt(row.p50)} s, p99 ${fmt(row.p99)} s`,
      );
    };

    await run(
      `one minute: ${fmt(DUE)} due spread over one minute, ${fmt(WAITING)} waiting a year`,
      MINUTE_MS,
      WAITING,
      'p99 lateness ≤ 30 s',
      (r) => r.p99 <= 30,
    );
    await run(`burst: ${fmt(DUE)} due at the same instant`, 0, 0, '≥ 300 emails/s', (r) => r.emailsPerSecond >= 300);

    const table = [
      '| row | due | seconds until all accepted (from the first due time) | emails/s (first to last accepted) | vs raw nodemailer | lateness p50 (s) | lateness p99 (s) | max (s) | target | met |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
      `| baseline: raw nodemailer, ${POOL} pooled connections, ${fmt(BASELINE_MESSAGES)} messages | | | ${fmt(raw)} | 1.00x | | | | | |`,
      ...rows.map(
        (r) =>
          `| ${r.name} | ${fmt(r.due)} | ${fmt(r.seconds)} | ${fmt(r.emailsPerSecond)} | ${(r.emailsPerSecond / raw).toFixed(2)}x | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${r.target} | ${r.met ? 'yes' : '**no**'} |`,
      ),
    ].join('\n');
    const text = [
      '# Automation benchmark',
      '',
      `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores shared by everything below (all on 127.0.0.1). sales-automation from source (swc-node), NODE_ENV=production, its runner as deployed (poll 1 s, batches of 200, 2 at once, ${POOL} pooled SMTP connections); the SMTP server in the benchmark's process (records Message-ID, recipient, time). Each message: a marketing template rendered with Liquid for its contact (consent checked at sending, click tracking and open pixel, List-Unsubscribe), its send row, its emailSent event in the outbox, the enrolment's history. Rows written with SQL in ${fmt(seedSeconds)} s.`,
      '',
      table,
      '',
      'Emails/s: recipients over the time from the first to the last message the SMTP server accepted. Lateness: time of acceptance minus the enrolment due time, per message. The baseline sends pre-rendered messages with nodemailer alone over the same number of pooled connections to the same server: the ceiling SMTP sets here.',
      '',
      `Load average (1 min) at the end: ${loadavg()[0].toFixed(1)}. Total run time ${Math.round((Date.now() - runStarted) / 1000)} s. Command: \`npm run bench:automation\`.`,
    ].join('\n');
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'automation.md'), `${text}\n`);
    console.log(`\n${text}\n`);
  } finally {
    await service.stop();
    await db.destroy();
    await smtp.close();
    await database.drop();
    await deleteTestBus(prefix);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
