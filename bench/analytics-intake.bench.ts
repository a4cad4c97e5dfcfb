/**
 * Analytics intake benchmark: how fast the analytics service drains a backlog of contacts events
 * (what `npm run seed` leaves: per contact one contact.created and five interaction.logged, all
 * of one tenant), against a raw amqplib consumer draining the same bodies in the same run.
 *
 *   npm run bench:analytics-intake
 *
 * 1. analytics starts once (its own process, from source, fresh migrated database, bus prefix of
 *    its own) to declare its queues, and stops;
 * 2. the backlog goes straight onto the events exchange with the contracts' envelopes, as the
 *    contacts outbox relay sends them (same user-id, headers and properties);
 * 3. baseline: the same bodies into a quorum queue of their own, drained by a raw amqplib
 *    consumer (prefetch 256, an ack each, nothing else) in this process;
 * 4. analytics starts again and drains its queue; done when its inbox holds every event.
 *
 * CPU per event is read from /proc for the analytics process, for the Postgres backends serving
 * its database, and for RabbitMQ (shared with whatever else the machine runs: an upper bound).
 * Env: BENCH_EVENTS (default 60000, a multiple of 6).
 * Prints a markdown table and writes bench/results/analytics-intake.md.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { Contact, contactCreated, EventContract, EventEnvelope, interactionLogged } from '@crm/contracts';
import { createTestDatabase, deleteTestBus, testEnv } from '@crm/testing';
import { jwtKeyPair } from './support/crm-system';
import { Child, cpuSeconds, fmt, freePort, log, root, sleep, start, until } from './support/processes';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 60_000);
const PER_CONTACT = 6;

function envelope<C extends EventContract>(contract: C, data: unknown, tenantId: string, subject: string): EventEnvelope {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'crm/contacts',
    type: contract.name,
    time: new Date().toISOString(),
    subject,
    datacontenttype: 'application/json',
    tenantid: tenantId,
    entityversion: 1,
    correlationid: randomUUID(),
    data,
  } as EventEnvelope;
}

/** The seed's shape: a contact, then five interactions logged on it. */
function backlog(tenantId: string): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  const channels = ['call', 'email', 'meeting', 'chat', 'note'] as const;
  const stages = ['lead', 'prospect', 'customer', 'churned'] as const;
  for (let c = 0; c < EVENTS / PER_CONTACT; c++) {
    const at = new Date().toISOString();
    const contact: Contact = {
      id: randomUUID(),
      firstName: `First${c}`,
      lastName: `Last${c}`,
      title: null,
      emails: [{ address: `person${c}@example.com`, primary: true }],
      phones: [],
      addresses: [],
      companyId: null,
      ownerId: null,
      tags: [],
      lifecycleStage: stages[c % stages.length],
      customFields: {},
      version: 1,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    } as unknown as Contact;
    events.push(envelope(contactCreated, { contact }, tenantId, contact.id));
    for (let i = 0; i < PER_CONTACT - 1; i++) {
      const id = randomUUID();
      const interaction = {
        id,
        contactId: contact.id,
        channel: channels[i],
        direction: null,
        subject: 'follow-up',
        body: null,
        occurredAt: new Date(Date.now() - i * 86_400_000).toISOString(),
        loggedBy: randomUUID(),
        createdAt: at,
      };
      events.push(envelope(interactionLogged, { interaction }, tenantId, id));
    }
  }
  return events;
}

async function publish(channel: amqp.ConfirmChannel, exchange: string, routing: (e: EventEnvelope) => string, events: EventEnvelope[], userId: string) {
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    channel.publish(exchange, routing(e), Buffer.from(JSON.stringify(e)), {
      persistent: true,
      userId,
      messageId: e.id,
      type: e.type,
      contentType: 'application/cloudevents+json',
      headers: { 'x-correlation-id': e.correlationid },
    });
    if (i % 1000 === 999) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
}

/** CPU seconds of every process whose command is `name` (RabbitMQ: beam.smp). */
function cpuOfCommand(name: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name) total += cpuSeconds(Number(pid)) || 0;
    } catch {
      // gone
    }
  }
  return total;
}

/** CPU of the Postgres backends serving one database, sampled while they live. */
class BackendCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer?: NodeJS.Timeout;
  constructor(
    private readonly admin: Client,
    private readonly database: string,
  ) {}
  async sample(): Promise<void> {
    const { rows } = await this.admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database]);
    for (const { pid } of rows) {
      const cpu = cpuSeconds(pid);
      if (!Number.isFinite(cpu)) continue;
      if (!this.first.has(pid)) this.first.set(pid, cpu);
      this.last.set(pid, cpu);
    }
  }
  start(): void {
    this.timer = setInterval(() => void this.sample().catch(() => undefined), 250);
  }
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sample();
    let total = 0;
    for (const [pid, first] of this.first) total += (this.last.get(pid) ?? first) - first;
    return total;
  }
}

interface Row {
  path: string;
  seconds: number;
  perSecond: number;
  cpuMsPerEvent: Record<string, number>;
}

async function rawBaseline(url: string, queue: string, events: EventEnvelope[], userId: string): Promise<Row> {
  const connection = await amqp.connect(url, { noDelay: true });
  try {
    const pub = await connection.createConfirmChannel();
    await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await publish(pub, '', () => queue, events, userId);
    const con = await connection.createChannel();
    await con.prefetch(256);
    let consumed = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const cpu0 = process.cpuUsage();
    const beam0 = cpuOfCommand('beam.smp');
    const t0 = performance.now();
    await con.consume(queue, (msg) => {
      if (!msg) return;
      JSON.parse(msg.content.toString('utf8'));
      con.ack(msg);
      if (++consumed === events.length) done();
    });
    await finished;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const beam = cpuOfCommand('beam.smp') - beam0;
    await pub.deleteQueue(queue).catch(() => undefined);
    return {
      path: 'raw amqplib consumer (prefetch 256, JSON.parse + ack, nothing else)',
      seconds,
      perSecond: events.length / seconds,
      cpuMsPerEvent: { consumer: (cpu.user + cpu.system) / 1000 / events.length, rabbitmq: (beam * 1000) / events.length },
    };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function main() {
  const env = await testEnv();
  for (const u of [env.rabbitmqUrl, env.postgresUrl]) {
    if (!['127.0.0.1', 'localhost'].includes(new URL(u).hostname)) throw new Error(`benchmark runs on 127.0.0.1 only, got ${u}`);
  }
  const prefix = `t${randomBytes(5).toString('hex')}.`;
  const db = await createTestDatabase('analytics');
  const admin = new Client({ connectionString: env.postgresUrl });
  await admin.connect();
  const port = await freePort();
  const userId = decodeURIComponent(new URL(env.rabbitmqUrl).username) || 'guest';
  const childEnv = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    INTERNAL_PORT: '0',
    PORT: String(port),
    RABBITMQ_URL: env.rabbitmqUrl,
    REDIS_URL: env.redisUrl,
    BUS_NAME_PREFIX: prefix,
    ANALYTICS_DATABASE_URL: db.url,
    AUTH_JWT_PUBLIC_KEY: jwtKeyPair()['AUTH_JWT_PUBLIC_KEY'],
  };
  const launch = async () => {
    // BENCH_ANALYTICS_LOG=<file>: the service's JSON log (its stdout) goes there.
    const logFile = process.env['BENCH_ANALYTICS_LOG'];
    // BENCH_ANALYTICS_EXEC_ARGV: Node flags for the service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    const execArgv = (process.env['BENCH_ANALYTICS_EXEC_ARGV'] ?? '').split(' ').filter(Boolean);
    const child = start('analytics', 'apps/analytics/src/main.ts', 'apps/analytics/tsconfig.app.json', childEnv, execArgv, logFile ? 'pipe' : 'ignore');
    if (logFile) child.child.stdout?.pipe(createWriteStream(logFile, { flags: 'a' }));
    await until('analytics ready', child, async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200);
    return child;
  };
  let analytics: Child | undefined;
  // Interrupted: still remove this run's database and queues (a 60,000-message queue left behind weighs on the broker).
  let interrupted = false;
  const onSignal = () => (interrupted = true);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const connection = await amqp.connect(env.rabbitmqUrl, { noDelay: true });
  try {
    log(`run ${prefix} events=${EVENTS}`);
    analytics = await launch();
    await analytics.stop();
    const tenantId = randomUUID();
    const events = backlog(tenantId);
    const channel = await connection.createConfirmChannel();

    log('baseline: raw amqplib consumer');
    const raw = await rawBaseline(env.rabbitmqUrl, `${prefix}raw.backlog`, events, userId);
    log(`raw: ${fmt(raw.perSecond)} events/s`);

    await publish(channel, `${prefix}crm.events`, (e) => e.type, events, userId);
    const queue = `${prefix}analytics.events`;
    log(`backlog of ${fmt((await channel.checkQueue(queue)).messageCount)} in ${queue}`);

    const inbox = new Client({ connectionString: db.url });
    await inbox.connect();
    const applied = async () => (await inbox.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_message')).rows[0].n;
    const backends = new BackendCpu(admin, new URL(db.url).pathname.slice(1));
    const beam0 = cpuOfCommand('beam.smp');
    const t0 = performance.now();
    analytics = await launch();
    const pid = analytics.child.pid;
    const cpu0 = cpuSeconds(pid);
    backends.start();
    let last = 0;
    for (;;) {
      last = await applied();
      if (last >= EVENTS) break;
      if (interrupted) throw new Error(`interrupted after ${last}/${EVENTS}`);
      if (performance.now() - t0 > 900_000) throw new Error(`analytics applied ${last}/${EVENTS} in 15 minutes`);
      if (analytics.child.exitCode !== null) throw new Error(`analytics exited (${analytics.child.exitCode}) after ${last}/${EVENTS}`);
      await sleep(250);
    }
    // Start-up (a second or two) is inside the wall time: the drain's rate is what a seed sees.
    const seconds = (performance.now() - t0) / 1000;
    const cpuAnalytics = cpuSeconds(pid) - cpu0;
    const cpuPostgres = await backends.stop();
    const cpuBeam = cpuOfCommand('beam.smp') - beam0;
    const parked = (await channel.checkQueue(`${queue}.parked`)).messageCount;
    // Rows of one transaction share its now(): distinct times ≈ transactions (a few may share a millisecond).
    const transactions = (await inbox.query<{ n: number }>('SELECT count(DISTINCT received_at)::int AS n FROM inbox_message')).rows[0].n;
    await inbox.end();
    const service: Row = {
      path: 'analytics service (its own process): consumer, inbox, event log, projection',
      seconds,
      perSecond: EVENTS / seconds,
      cpuMsPerEvent: { consumer: (cpuAnalytics * 1000) / EVENTS, postgres: (cpuPostgres * 1000) / EVENTS, rabbitmq: (cpuBeam * 1000) / EVENTS },
    };
    log(`analytics: ${fmt(service.perSecond)} events/s, parked ${parked}, ~${fmt(transactions)} transactions`);

    const cell = (r: Row, k: string) => (r.cpuMsPerEvent[k] === undefined ? 'n/a' : fmt(r.cpuMsPerEvent[k], 3));
    const table = [
      '# Analytics intake benchmark',
      '',
      `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, broker and Postgres on 127.0.0.1 (same machine). ` +
        `Backlog: ${fmt(EVENTS)} events of one tenant (per contact: 1 contact.created, 5 interaction.logged). Target: ≥ 2,000 events/s.`,
      '',
      '| path | wall time (s) | events/s | vs raw | consumer CPU ms/event | Postgres CPU ms/event (its backends) | RabbitMQ CPU ms/event (whole broker) |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...[service, raw].map(
        (r) =>
          `| ${r.path} | ${fmt(r.seconds, 2)} | ${fmt(r.perSecond)} | ${(r.perSecond / raw.perSecond).toFixed(2)}x | ${cell(r, 'consumer')} | ${cell(r, 'postgres')} | ${cell(r, 'rabbitmq')} |`,
      ),
      '',
      `Parked during the drain: ${parked}. Consumer transactions: ~${fmt(transactions)} (${fmt(EVENTS / transactions, 1)} events each). RabbitMQ's figure counts everything the shared broker did meanwhile. Command: \`npm run bench:analytics-intake\`.`,
      '',
    ].join('\n');
    console.log(table);
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/analytics-intake.md'), table);
    // Machine load while it ran, for the reader of the table.
    log(execFileSync('uptime').toString().trim());
  } finally {
    await analytics?.stop().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await admin.end().catch(() => undefined);
    await Promise.allSettled([db.drop(), deleteTestBus(prefix, { rabbitmqUrl: env.rabbitmqUrl })]);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
