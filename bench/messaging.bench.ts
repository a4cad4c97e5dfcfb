/**
 * Messaging benchmark: the library (libs/messaging) against raw amqplib baselines measured in
 * the same run on the same machine (ratios matter, absolute numbers drift between runs).
 *
 *   npm run bench:messaging
 *
 * 1. events: outbox -> broker -> inbox, 10,000 events (LabPublisher.publishItems, one
 *    transaction each, concurrency 16), until the consumer's inbox holds all of them;
 *    baseline: amqplib persistent publish + confirms (awaited every 500) to a durable quorum
 *    queue, consumer with manual acks.
 * 2. request/reply at 1 and 32 callers, server in a child process (bench/rpc-echo-server.ts):
 *    library RpcClient.call(labEcho) vs raw amqplib (direct reply-to) vs NestJS RMQ transport.
 *
 * Prints a markdown table and writes it to bench/results/messaging.md (`npm run bench` writes latest.md).
 * Env: BENCH_EVENTS (default 10000), BENCH_RPC_SECONDS (default 5), BENCH_WARMUP_SECONDS (1),
 *      BENCH_SKIP_NEST=1 to leave out the NestJS transport, BENCH_LAB_TRANSACTIONS=prisma for the
 *      lab's transactions through Prisma (as analytics runs) instead of pg (as the other services).
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as amqp from 'amqplib';
import type { INestApplicationContext } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { EventPublisher, OutboxRelay, RpcClient } from '@crm/messaging';
import { deleteTestBus, testJwtKeys, testToken } from '@crm/testing';
import { countRows, waitFor } from '../libs/messaging/test/lab/delivery-report';
import { LAB_CONSUMER, newLabWorld } from '../libs/messaging/test/lab/fixture';
import { itemCreated, labEcho } from '../libs/messaging/test/lab/lab.contracts';
import { LabPublisher } from '../libs/messaging/test/lab/lab.handlers';
import { LAB_TRANSACTIONS } from './support/lab-transactions';
import { cpuSeconds } from './support/processes';
import { rawCaller } from './support/raw-rpc-caller';

const root = join(__dirname, '..');
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 10_000);
const RPC_SECONDS = Number(process.env['BENCH_RPC_SECONDS'] ?? 5);
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 1);
const SKIP_NEST = process.env['BENCH_SKIP_NEST'] === '1';
const CALLERS = [1, 32];
const PAYLOAD = 'x'.repeat(64);

const runId = `bench${randomBytes(4).toString('hex')}.`;
const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 23)}]`, ...args);

// ---------------------------------------------------------------------------------------------
// helpers

function only127(url: string): string {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`benchmark runs on 127.0.0.1 only, got ${url}`);
  return url;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

interface ServerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  stop(): Promise<void>;
}

function spawnServer(env: Record<string, string>): ServerProcess {
  const child = fork(join(__dirname, 'rpc-echo-server.ts'), [], {
    cwd: root,
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(root, 'libs/messaging/tsconfig.spec.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((how) => reject(new Error(`echo server (${env['BENCH_SERVER']}) exited (${how}) before it was ready`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 6_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

interface RpcResult {
  callers: number;
  calls: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `callers` loops of `call` for warm-up then measurement; latencies of measured calls only. */
async function drive(callers: number, call: () => Promise<unknown>): Promise<RpcResult> {
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stopping = false;
  const worker = async () => {
    while (!stopping) {
      const start = performance.now();
      try {
        await call();
        if (measuring) latencies.push(performance.now() - start);
      } catch (error) {
        if (measuring) errors++;
        if (errors === 1 && measuring) log('call failed:', (error as Error).message);
      }
    }
  };
  const workers = Array.from({ length: callers }, worker);
  await sleep(WARMUP_SECONDS * 1000);
  measuring = true;
  const t0 = performance.now();
  await sleep(RPC_SECONDS * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const calls = latencies.length; // snapshot: calls completed inside the window
  measuring = false;
  stopping = true;
  await Promise.all(workers);
  latencies.length = calls;
  latencies.sort((a, b) => a - b);
  return { callers, calls, errors, seconds, perSecond: calls / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until one call succeeds (the server's consumer is up and the client sees it). */
async function untilAnswered(what: string, call: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await call();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: no answer within 20 s (${(error as Error).message})`);
      await sleep(100);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 1. events

async function libraryEvents(world: Awaited<ReturnType<typeof newLabWorld>>, publisher: INestApplicationContext) {
  const inboxCount = () => countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM inbox_message WHERE consumer = $1', [LAB_CONSUMER]);
  const t0 = performance.now();
  const published = publisher.get(LabPublisher).publishItems(1, EVENTS, 16);
  let publishedAt = NaN;
  void published.then(() => (publishedAt = performance.now()));
  let received = 0;
  await waitFor(`${EVENTS} events in the consumer's inbox`, async () => (received = await inboxCount()) >= EVENTS, 300_000, 50);
  const seconds = (performance.now() - t0) / 1000;
  await published;
  return {
    seconds,
    perSecond: EVENTS / seconds,
    publishSeconds: (publishedAt - t0) / 1000,
    received,
  };
}

/**
 * The bus alone: EVENTS rows committed to the outbox beforehand (500 per transaction, relay
 * stopped), then the relay started; until the consumer's inbox holds them all. What a backlog
 * costs the relay, the broker and the consumer, without the publishers' own transactions.
 */
async function libraryRelayEvents(world: Awaited<ReturnType<typeof newLabWorld>>, publisher: INestApplicationContext, consumerPid: number | undefined) {
  const inboxCount = () => countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM inbox_message WHERE consumer = $1', [LAB_CONSUMER]);
  const before = await inboxCount();
  const relay = publisher.get(OutboxRelay);
  await relay.stop();
  const events = publisher.get(EventPublisher);
  const txHost = publisher.get(TransactionHost);
  for (let first = 0; first < EVENTS; first += 500) {
    const items = Array.from({ length: Math.min(500, EVENTS - first) }, (_, i) => ({
      data: { itemId: 1_000_000 + first + i },
      meta: { tenantId: 'lab', subject: `item-${1_000_000 + first + i}`, entityVersion: 1 },
    }));
    await txHost.withTransaction(() => events.publishMany(itemCreated, items));
  }
  const pending = () => countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL');
  const cpu0 = { publisher: process.cpuUsage(), consumer: cpuSeconds(consumerPid) };
  const t0 = performance.now();
  relay.start();
  let received = 0;
  let relaySeconds = NaN;
  await waitFor(
    `${EVENTS} more events in the consumer's inbox`,
    async () => {
      if (Number.isNaN(relaySeconds) && (await pending()) === 0) relaySeconds = (performance.now() - t0) / 1000;
      return (received = (await inboxCount()) - before) >= EVENTS;
    },
    300_000,
    50,
  );
  const seconds = (performance.now() - t0) / 1000;
  const publisherCpu = process.cpuUsage(cpu0.publisher);
  return {
    seconds,
    perSecond: EVENTS / seconds,
    publishSeconds: NaN,
    received,
    // How long the relay took to send everything (confirmed and marked): the consumer's part is the rest.
    relaySeconds,
    // CPU ms per event: this process (relay, and the benchmark's polling) and the consumer's.
    publisherCpuMs: (publisherCpu.user + publisherCpu.system) / 1000 / EVENTS,
    consumerCpuMs: ((cpuSeconds(consumerPid) - cpu0.consumer) * 1000) / EVENTS,
  };
}

async function rawEvents(url: string, messageSize: number) {
  const queue = `${runId}raw.events`;
  const pubConn = await amqp.connect(url, { noDelay: true });
  const conConn = await amqp.connect(url, { noDelay: true });
  try {
    const pub = await pubConn.createConfirmChannel();
    await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const con = await conConn.createChannel();
    await con.prefetch(100);
    let consumed = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    await con.consume(
      queue,
      (msg) => {
        if (!msg) return;
        con.ack(msg);
        if (++consumed === EVENTS) resolveDone();
      },
      { noAck: false },
    );
    const body = (i: number) => {
      const head = JSON.stringify({ id: i, type: 'lab.item.created', data: { itemId: i }, pad: '' });
      return Buffer.from(head.replace('"pad":""', `"pad":"${'p'.repeat(Math.max(0, messageSize - head.length))}"`));
    };
    const t0 = performance.now();
    for (let i = 1; i <= EVENTS; i++) {
      pub.sendToQueue(queue, body(i), { persistent: true, contentType: 'application/json', messageId: String(i) });
      if (i % 500 === 0) await pub.waitForConfirms();
    }
    await pub.waitForConfirms();
    const publishSeconds = (performance.now() - t0) / 1000;
    await Promise.race([done, sleep(60_000).then(() => Promise.reject(new Error(`raw consumer got ${consumed}/${EVENTS}`)))]);
    const seconds = (performance.now() - t0) / 1000;
    await pub.deleteQueue(queue).catch(() => undefined);
    return { seconds, perSecond: EVENTS / seconds, publishSeconds, received: consumed };
  } finally {
    await Promise.allSettled([pubConn.close(), conConn.close()]);
  }
}

/** Size of one relayed event's body (the outbox envelope JSON), to give the raw baseline the same. */
async function outboxMessageSize(dbUrl: string): Promise<number> {
  try {
    const n = await countRows(dbUrl, 'SELECT avg(octet_length(envelope::text))::int AS n FROM (SELECT envelope FROM outbox_message LIMIT 100) t');
    return n > 0 ? n : 400;
  } catch {
    return 400;
  }
}

// ---------------------------------------------------------------------------------------------
// 2. request/reply

async function libraryRpc(url: string, world: Awaited<ReturnType<typeof newLabWorld>>, client: RpcClient): Promise<RpcResult[]> {
  // The echo server (a child process) trusts the test key pair: generated here first, passed down in the environment.
  testJwtKeys();
  const server = spawnServer({ BENCH_SERVER: 'lab', BENCH_AMQP_URL: url, BENCH_PREFIX: world.prefix, BENCH_DATABASE_URL: world.consumerDb });
  try {
    await server.ready;
    // One caller with one token, as a logged-in user: the server verifies it once, then hits its cache.
    const token = testToken({ tenantId: 'bench', userId: 'bench', roles: ['viewer'] });
    const call = () => client.call(labEcho, { payload: PAYLOAD }, { token });
    await untilAnswered('library echo', call);
    const results: RpcResult[] = [];
    for (const callers of CALLERS) {
      log(`rpc library, ${callers} caller(s)`);
      results.push(await drive(callers, call));
    }
    return results;
  } finally {
    await server.stop();
  }
}

async function rawRpc(url: string): Promise<RpcResult[]> {
  const queue = `${runId}raw.rpc`;
  const server = spawnServer({ BENCH_SERVER: 'raw', BENCH_AMQP_URL: url, BENCH_QUEUE: queue });
  let caller: Awaited<ReturnType<typeof rawCaller>> | undefined;
  try {
    await server.ready;
    caller = await rawCaller(url, queue, PAYLOAD);
    const { call } = caller;
    await untilAnswered('raw echo', call);
    const results: RpcResult[] = [];
    for (const callers of CALLERS) {
      log(`rpc raw amqplib, ${callers} caller(s)`);
      results.push(await drive(callers, call));
    }
    return results;
  } finally {
    await caller?.close();
    await server.stop();
    await deleteTestBus(runId, { names: { queues: [queue] }, rabbitmqUrl: url });
  }
}

async function nestRpc(url: string): Promise<RpcResult[]> {
  const { ClientProxyFactory, Transport } = require('@nestjs/microservices') as typeof import('@nestjs/microservices');
  const { lastValueFrom } = require('rxjs') as typeof import('rxjs');
  const queue = `${runId}nest.rpc`;
  const server = spawnServer({ BENCH_SERVER: 'nest', BENCH_AMQP_URL: url, BENCH_QUEUE: queue });
  const client = ClientProxyFactory.create({
    transport: Transport.RMQ,
    options: { urls: [url], queue, queueOptions: { durable: false, autoDelete: true } },
  });
  try {
    await server.ready;
    await client.connect();
    const call = () => lastValueFrom(client.send('echo', { payload: PAYLOAD }));
    await untilAnswered('nest echo', call);
    const results: RpcResult[] = [];
    for (const callers of CALLERS) {
      log(`rpc NestJS RMQ transport, ${callers} caller(s)`);
      results.push(await drive(callers, call));
    }
    return results;
  } finally {
    await Promise.resolve(client.close()).catch(() => undefined);
    await server.stop();
    await deleteTestBus(runId, { names: { queues: [queue] }, rabbitmqUrl: url });
  }
}

// ---------------------------------------------------------------------------------------------

/** Fault tests stop and restart the broker or Postgres: measuring meanwhile is meaningless. */
async function waitForQuietMachine(): Promise<void> {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const busy = () => {
    try {
      return execFileSync('pgrep', ['-f', 'fault\\.spec'], { encoding: 'utf8' }).trim().length > 0;
    } catch {
      return false; // pgrep exits 1 when nothing matches (or is missing)
    }
  };
  const deadline = Date.now() + Number(process.env['BENCH_WAIT_SECONDS'] ?? 300) * 1000;
  let quietSince = busy() ? 0 : Date.now();
  if (quietSince) return;
  log('fault tests are running (pgrep -f fault.spec); waiting for them to finish');
  while (Date.now() < deadline) {
    await sleep(2_000);
    if (busy()) quietSince = 0;
    else if (!quietSince) quietSince = Date.now();
    else if (Date.now() - quietSince >= 6_000) return;
  }
  throw new Error('fault tests still running; not measuring');
}

async function main() {
  await waitForQuietMachine();
  const started = Date.now();
  const hardStop = setTimeout(() => {
    console.error('benchmark exceeded 10 minutes, aborting');
    process.exit(2);
  }, 600_000);
  hardStop.unref();

  log(`run ${runId} events=${EVENTS} rpc=${WARMUP_SECONDS}s warm-up + ${RPC_SECONDS}s`);
  const world = await newLabWorld();
  const url = only127(world.env.rabbitmqUrl);
  log(`library bus prefix ${world.prefix}, databases ${new URL(world.publisherDb).pathname} ${new URL(world.consumerDb).pathname}`);
  only127(world.env.postgresUrl);

  const cleanup = async () => {
    await world.close();
    await deleteTestBus(world.prefix, { rabbitmqUrl: url }).catch((error) => log('queue cleanup failed:', error));
  };
  // A connection error some library client does not handle (e.g. Postgres restarted under us)
  // would end the process without the finally below: clean up, then fail.
  process.once('uncaughtException', (error) => {
    console.error('benchmark aborted:', error);
    const giveUp = setTimeout(() => process.exit(1), 15_000);
    void cleanup().finally(() => {
      clearTimeout(giveUp);
      process.exit(1);
    });
  });

  let table = '';
  try {
    // --- 1. events: publisher service here, consumer service in its own process (as deployed).
    const consumer = spawnServer({ BENCH_SERVER: 'lab', BENCH_AMQP_URL: url, BENCH_PREFIX: world.prefix, BENCH_DATABASE_URL: world.consumerDb });
    await consumer.ready;
    const publisher = await world.publisher({ transactions: LAB_TRANSACTIONS });
    log(`events: library, ${EVENTS} events`);
    const lib = await libraryEvents(world, publisher);
    log(`events: library, relay and consumer only, ${EVENTS} events`);
    const relayOnly = await libraryRelayEvents(world, publisher, consumer.child.pid);
    const size = await outboxMessageSize(world.publisherDb);
    log(`events: raw amqplib, ${EVENTS} messages of ~${size} bytes`);
    const raw = await rawEvents(url, size);

    // --- 2. request/reply: the events consumer goes away so the next child process is the only echo server.
    await consumer.stop();
    const client = publisher.get(RpcClient);
    const libRpc = await libraryRpc(url, world, client);
    const rawRpcResults = await rawRpc(url);
    let nest: RpcResult[] | undefined;
    if (!SKIP_NEST) {
      try {
        nest = await nestRpc(url);
      } catch (error) {
        log('NestJS RMQ transport skipped:', (error as Error).message);
      }
    }

    // --- table
    const lines: string[] = [];
    lines.push(`# Messaging benchmark`);
    lines.push('');
    lines.push(
      `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, broker and Postgres on 127.0.0.1 (same machine). ` +
        `Ratios are to raw amqplib measured in the same run.`,
    );
    lines.push('');
    lines.push(`## 1. Events: ${fmt(EVENTS)} events end to end`);
    lines.push('');
    lines.push('| path | wall time (s) | events/s | publish phase (s) | received | vs raw |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    lines.push(
      `| library: publishItems (1 tx each, concurrency 16) → outbox → relay → quorum queue → consumer process (inbox + effect row, 1 tx each) | ${fmt(lib.seconds, 2)} | ${fmt(lib.perSecond)} | ${fmt(lib.publishSeconds, 2)} | ${fmt(lib.received)} | ${ratio(lib.perSecond, raw.perSecond)} |`,
    );
    lines.push(
      `| library: ${fmt(EVENTS)} rows already committed to the outbox → relay (pg pool, confirm channel) → quorum queue → consumer process (batches: one tx, one inbox insert each) | ${fmt(relayOnly.seconds, 2)} | ${fmt(relayOnly.perSecond)} | n/a | ${fmt(relayOnly.received)} | ${ratio(relayOnly.perSecond, raw.perSecond)} |`,
    );
    lines.push(
      `| raw amqplib: persistent publish, confirms every 500, durable quorum queue, manual acks (prefetch 100), ${size} B bodies (= library envelope) | ${fmt(raw.seconds, 2)} | ${fmt(raw.perSecond)} | ${fmt(raw.publishSeconds, 2)} | ${fmt(raw.received)} | 1.00x |`,
    );
    lines.push('');
    lines.push(
      `Relay and consumer only: the relay had sent (confirmed and marked) every row after ${fmt(relayOnly.relaySeconds, 2)} s ` +
        `(${fmt(EVENTS / relayOnly.relaySeconds)} events/s); CPU per event: publisher process (relay) ${fmt(relayOnly.publisherCpuMs, 3)} ms, ` +
        `consumer process ${fmt(relayOnly.consumerCpuMs, 3)} ms (its handler writes one row per event, ${LAB_TRANSACTIONS === 'pg' ? 'one INSERT in a transaction on pg, as the services run' : "through Prisma's ORM, as analytics runs"}).`,
    );
    lines.push('');
    lines.push(`## 2. Request/reply (echo, server in another process; ${WARMUP_SECONDS}s warm-up, ${RPC_SECONDS}s measured)`);
    lines.push('');
    lines.push('| path | callers | calls/s | p50 (ms) | p99 (ms) | errors | calls/s vs raw | p50 vs raw |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    const rows: [string, RpcResult[] | undefined][] = [
      ['library RpcClient.call(labEcho) → @OnRpc', libRpc],
      ['raw amqplib, direct reply-to, noDelay', rawRpcResults],
      ['NestJS 12 RMQ transport (ClientProxy.send → @MessagePattern)', nest],
    ];
    for (const [name, results] of rows) {
      if (!results) continue;
      results.forEach((r, i) => {
        const base = rawRpcResults[i];
        lines.push(
          `| ${name} | ${r.callers} | ${fmt(r.perSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} | ${ratio(r.perSecond, base.perSecond)} | ${ratio(r.p50, base.p50)} |`,
        );
      });
    }
    lines.push('');
    lines.push(`Total run time ${((Date.now() - started) / 1000).toFixed(0)} s. Command: \`npm run bench:messaging\`.`);
    table = lines.join('\n') + '\n';
  } finally {
    await cleanup();
  }

  console.log(table);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'messaging.md'), table);
  log(`written bench/results/messaging.md`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
