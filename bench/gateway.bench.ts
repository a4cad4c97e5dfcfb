/**
 * Gateway benchmark: an authenticated request through the api-gateway to a service over the
 * bus, next to two floors measured in the same run on the same machine (ratios matter, absolute
 * numbers drift between runs):
 *
 *   npm run bench:gateway
 *
 * 1. gateway: GET /api/v1/diagnostics/contacts/echo?payload=hello with a bearer token: JWT check,
 *    permission guard, rate limiting (if present), RpcClient -> contacts.rpc -> @OnRpc echo -> reply.
 *    The gateway and the contacts service run as separate processes from source (swc-node), as
 *    `node apps/<svc>/src/main.ts` would, each with a fresh migrated database and a bus prefix of its own.
 * 2. a plain Fastify hello world in its own process (bench/fastify-hello-server.ts).
 * 3. raw amqplib request/reply over direct reply-to, 32 concurrent callers, against an echo
 *    consumer in another process (bench/rpc-echo-server.ts, mode raw).
 *
 * HTTP load: autocannon, 32 connections, BENCH_WARMUP_SECONDS (default 2) warm-up then
 * BENCH_SECONDS (default 10) measured. Prints a markdown table and writes bench/results/gateway.md.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { createTestDatabase, deleteTestBus, TestDatabase, testEnv } from '@crm/testing';
import { deleteRedisKeys } from './support/cleanup';
import { jwtKeyPair } from './support/crm-system';
import { Child, freePort, log, percentile, sleep, start, until } from './support/processes';
import { rawCaller } from './support/raw-rpc-caller';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 2);
const CONNECTIONS = 32;
const PAYLOAD = 'hello';

const runId = randomBytes(4).toString('hex');
// Same shape as @crm/testing testBusPrefix (t + 10 hex + '.'), so tools/clean-test-bus.sh removes leftovers.
const prefix = `t${randomBytes(5).toString('hex')}.`;
const redisPrefix = `bench:${runId}:`;

interface Row {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

// ---------------------------------------------------------------------------------------------
// processes (start, freePort, until: bench/support/processes.ts)

const ipcReady = (proc: Child) =>
  new Promise<void>((resolve, reject) => {
    proc.child.once('message', () => resolve());
    proc.child.once('exit', (code) => reject(new Error(`${proc.name} exited (${code}) before it was ready`)));
  });

// ---------------------------------------------------------------------------------------------
// measurements

async function httpLoad(name: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  const run = (duration: number) => autocannon({ url, connections: CONNECTIONS, duration, headers });
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
  };
}

/** `callers` loops of request/reply over amqplib with direct reply-to (as in bench/messaging.bench.ts). */
async function rawRpc(url: string, queue: string): Promise<Row> {
  const { call, close } = await rawCaller(url, queue, PAYLOAD);
  try {
    for (let answered = false, tries = 0; !answered; tries++) {
      answered = await call().then(
        () => true,
        () => tries > 10 && Promise.reject(new Error('raw echo server does not answer')),
      );
    }

    const latencies: number[] = [];
    let errors = 0;
    let measuring = false;
    let stopping = false;
    const worker = async () => {
      while (!stopping) {
        const t = performance.now();
        try {
          await call();
          if (measuring) latencies.push(performance.now() - t);
        } catch {
          if (measuring) errors++;
        }
      }
    };
    log(`raw rpc: ${WARMUP_SECONDS}s warm-up, then ${SECONDS}s, ${CONNECTIONS} callers`);
    const workers = Array.from({ length: CONNECTIONS }, worker);
    await sleep(WARMUP_SECONDS * 1000);
    measuring = true;
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const seconds = (performance.now() - t0) / 1000;
    const calls = latencies.length;
    measuring = false;
    stopping = true;
    await Promise.all(workers);
    const sorted = latencies.slice(0, calls).sort((a, b) => a - b);
    return {
      name: `raw amqplib request/reply (direct reply-to, ${CONNECTIONS} callers, echo consumer in another process)`,
      perSecond: calls / seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      requests: calls,
      errors,
      non2xx: 0,
    };
  } finally {
    await close();
  }
}

// ---------------------------------------------------------------------------------------------
// cleanup

// ---------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

async function main() {
  const started = Date.now();
  const hardStop = setTimeout(() => {
    console.error('benchmark exceeded 4 minutes, aborting');
    process.exit(2);
  }, 240_000);
  hardStop.unref();

  const env = await testEnv();
  for (const u of [env.rabbitmqUrl, env.postgresUrl, env.redisUrl]) {
    if (!['127.0.0.1', 'localhost'].includes(new URL(u).hostname)) throw new Error(`benchmark runs on 127.0.0.1 only, got ${u}`);
  }
  log(`run ${runId}, bus prefix ${prefix}`);
  const rawQueue = `${prefix}bench.raw.rpc`;
  const children: Child[] = [];
  const databases: TestDatabase[] = [];
  const cleanup = async () => {
    for (const child of children.splice(0).reverse()) await child.stop().catch(() => undefined);
    await Promise.allSettled([
      ...databases.splice(0).map((db) => db.drop()),
      deleteTestBus(prefix, { rabbitmqUrl: env.rabbitmqUrl }),
      deleteRedisKeys(env.redisUrl, redisPrefix),
    ]);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  let table = '';
  try {
    const [gatewayDb, contactsDb] = await Promise.all([createTestDatabase('api-gateway'), createTestDatabase('contacts')]);
    databases.push(gatewayDb, contactsDb);
    const [gatewayPort, contactsPort, fastifyPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const common = {
      NODE_ENV: 'production',
      // Metrics on any free port, so the services never collide with another run's.
      INTERNAL_PORT: '0',
      ...jwtKeyPair(),
      LOG_LEVEL: 'warn',
      RABBITMQ_URL: env.rabbitmqUrl,
      REDIS_URL: env.redisUrl,
      BUS_NAME_PREFIX: prefix,
    };

    // --- the system: contacts and the gateway, each in its own process.
    const contacts = start('contacts', 'apps/contacts/src/main.ts', 'apps/contacts/tsconfig.app.json', {
      ...common,
      PORT: String(contactsPort),
      CONTACTS_DATABASE_URL: contactsDb.url,
      CONTACTS_CURSOR_SECRET: randomBytes(32).toString('hex'),
    });
    children.push(contacts);
    const gateway = start('api-gateway', 'apps/api-gateway/src/main.ts', 'apps/api-gateway/tsconfig.app.json', {
      ...common,
      PORT: String(gatewayPort),
      API_GATEWAY_DATABASE_URL: gatewayDb.url,
      AUTH_REDIS_PREFIX: redisPrefix,
      // Production is sign-up off by default; the benchmark signs up its tenant.
      AUTH_SIGNUP_ENABLED: 'true',
      // The benchmark is one user at full speed: per-user and per-tenant limits would answer 429.
      GATEWAY_RATE_LIMIT_PER_USER: '1000000000',
      GATEWAY_RATE_LIMIT_PER_TENANT: '1000000000',
    });
    children.push(gateway);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const ready = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200;
    await Promise.all([until('contacts ready', contacts, ready(contactsPort)), until('gateway ready', gateway, ready(gatewayPort))]);
    log('contacts and gateway ready');

    const signup = await fetch(`${gatewayUrl}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organization: 'Bench', name: 'Bench', email: `bench-${runId}@example.com`, password: 'correct horse battery staple' }),
    });
    if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${await signup.text()}`);
    const { accessToken } = (await signup.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const echoUrl = `${gatewayUrl}/api/v1/diagnostics/contacts/echo?payload=${PAYLOAD}`;
    await until('echo through the gateway', gateway, async () => (await fetch(echoUrl, { headers: auth })).status === 200, 30_000);
    const gatewayRow = await httpLoad('gateway: GET /api/v1/diagnostics/contacts/echo (JWT, permission, bus round trip to contacts)', echoUrl, auth);
    await gateway.stop();
    await contacts.stop();

    // --- floor 1: Fastify hello world.
    const fastify = start('fastify', 'bench/fastify-hello-server.ts', 'libs/messaging/tsconfig.spec.json', { BENCH_PORT: String(fastifyPort) });
    children.push(fastify);
    await ipcReady(fastify);
    const fastifyRow = await httpLoad('plain Fastify 5 hello world (own process)', `http://127.0.0.1:${fastifyPort}/`);
    await fastify.stop();

    // --- floor 2: raw request/reply over the broker.
    const echo = start('raw echo server', 'bench/rpc-echo-server.ts', 'libs/messaging/tsconfig.spec.json', {
      BENCH_SERVER: 'raw',
      BENCH_AMQP_URL: env.rabbitmqUrl,
      BENCH_QUEUE: rawQueue,
    });
    children.push(echo);
    await ipcReady(echo);
    const rawRow = await rawRpc(env.rabbitmqUrl, rawQueue);

    const lines: string[] = [];
    lines.push('# Gateway benchmark');
    lines.push('');
    lines.push(
      `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores shared by the load generator, the servers, ` +
        `RabbitMQ, Postgres and Redis (all on 127.0.0.1). ${CONNECTIONS} connections / callers, ${WARMUP_SECONDS}s warm-up, ` +
        `${SECONDS}s measured. Services run from source (swc-node), NODE_ENV=production, LOG_LEVEL=warn. ` +
        `Load average (1 min) at the end: ${loadavg()[0].toFixed(1)}; anything well above the core count means other work competed.`,
    );
    lines.push('');
    lines.push('| path | req/s | p50 (ms) | p99 (ms) | requests | errors | non-2xx | req/s vs gateway |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of [gatewayRow, fastifyRow, rawRow]) {
      lines.push(
        `| ${r.name} | ${fmt(r.perSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.requests)} | ${r.errors} | ${r.non2xx} | ${ratio(r.perSecond, gatewayRow.perSecond)} |`,
      );
    }
    lines.push('');
    lines.push(
      `Gateway vs Fastify hello world: ${ratio(gatewayRow.perSecond, fastifyRow.perSecond)} of its req/s, ${ratio(gatewayRow.p50, fastifyRow.p50)} its p50. ` +
        `Gateway vs raw request/reply: ${ratio(gatewayRow.perSecond, rawRow.perSecond)} of its calls/s, ${ratio(gatewayRow.p50, rawRow.p50)} its p50.`,
    );
    lines.push('');
    lines.push(`Total run time ${((Date.now() - started) / 1000).toFixed(0)} s. Command: \`npm run bench:gateway\`.`);
    table = lines.join('\n') + '\n';
  } finally {
    await cleanup();
  }

  console.log(table);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'gateway.md'), table);
  log('written bench/results/gateway.md');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
