import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { RpcClient, TopologyNames } from '@crm/messaging';
import { deleteTestBus, testJwtKeys, testToken } from '@crm/testing';
import { waitFor } from '../../libs/messaging/test/lab/delivery-report';
import { LAB_CONSUMER, LabWorld, newLabWorld } from '../../libs/messaging/test/lab/fixture';
import { labEcho } from '../../libs/messaging/test/lab/lab.contracts';
import { LabPublisher } from '../../libs/messaging/test/lab/lab.handlers';
import { LAB_TRANSACTIONS } from '../support/lab-transactions';
import { runOutboxFloor } from '../support/outbox-floor';
import { rawCaller, rawEnvelopeCaller } from '../support/raw-rpc-caller';
import { dockerfileNodeRuntime } from '../support/bundles';
import { CpuByGroup, OTHER, Processes } from '../support/pidstat';
import { fmt, log, percentile, root, sleep } from '../support/processes';
import { CONNECTIONS, Row, SECONDS, WARMUP_SECONDS, withCpu } from './row';

/**
 * The bus rows, on the messaging library's lab services (libs/messaging/test/lab), as
 * bench/messaging.bench.ts measures them: outbox -> broker -> inbox, and request/reply on the
 * library's transport against raw amqplib at 32 callers. The caller (or the publisher) is this
 * process: its CPU is the "load generator" column; the echo server or the consuming service is
 * a process of its own (bench/rpc-echo-server.ts), the "bus peer" column.
 */

export const BUS_PEER = 'bus peer';
export const LOAD_GENERATOR = 'load generator';
/** Measured events: at 3,000-5,000 a second, 6-10 s, as the HTTP rows' 10 s (pidstat samples each second). */
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 30_000);
/** The outbox row stops measuring here if the events have not all arrived (a slow library must not take the whole run). */
const EVENTS_MAX_SECONDS = Number(process.env['BENCH_EVENTS_MAX_SECONDS'] ?? 60);
const PAYLOAD = 'x'.repeat(64);
/** Transactions publishing at once in the outbox row and its floor: the table loads every row with 32 connections. */
const PUBLISHERS = CONNECTIONS;
/**
 * Events through the outbox row (and its floor) before the measured ones: about the HTTP rows'
 * WARMUP_SECONDS (3 s) at 5,000 a second. At 5,000 (one second) the freshly started consumer and
 * the publisher were still being compiled by V8 when the measurement began: 0.054 and 0.096 ms of
 * CPU per event against 0.043 and 0.087 after 15,000.
 */
const WARMUP_EVENTS = Number(process.env['BENCH_EVENTS_WARMUP'] ?? 15_000);
/** The request/reply row alternates raw amqplib and the library this many times. */
const RPC_ROUNDS = Number(process.env['BENCH_RPC_ROUNDS'] ?? 3);

interface Peer {
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * A lab service stands for a service: node tuned as the image tunes it (the Dockerfile's
 * NODE_OPTIONS and allocator), with this run's own NODE_OPTIONS after them (profiling flags).
 */
function imageNodeRuntime(): Record<string, string> {
  const image = dockerfileNodeRuntime().env;
  const nodeOptions = [image['NODE_OPTIONS'], process.env['NODE_OPTIONS']].filter(Boolean).join(' ');
  return { ...image, ...(nodeOptions && { NODE_OPTIONS: nodeOptions }) };
}

function startPeer(env: Record<string, string>): Promise<Peer> {
  const child = fork(join(root, 'bench/rpc-echo-server.ts'), [], {
    cwd: root,
    // BENCH_PEER_CPU_PROF_DIR: the peer writes a V8 CPU profile there on exit (bench/profile.ts's summarize reads it).
    execArgv: [
      '-r',
      '@swc-node/register',
      ...(process.env['BENCH_PEER_CPU_PROF_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PEER_CPU_PROF_DIR']}`] : []),
    ],
    env: { ...process.env, ...imageNodeRuntime(), ...env, SWC_NODE_PROJECT: join(root, 'libs/messaging/tsconfig.spec.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const peer: Peer = {
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 6_000);
      await exited;
      clearTimeout(killer);
    },
  };
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(peer));
    void exited.then(() => reject(new Error(`echo server (${env['BENCH_SERVER']}) exited before it was ready`)));
  });
}

const processesOf = (peer: Peer, databases: string[]): Processes => ({ pids: { [BUS_PEER]: [peer.pid], [LOAD_GENERATOR]: [process.pid] }, databases });
const databaseName = (url: string) => new URL(url).pathname.slice(1);

/** One measured stretch of a request/reply load. */
interface Stretch {
  calls: number;
  seconds: number;
  latencies: number[];
  errors: number;
  cpu: CpuByGroup;
}

/** `CONNECTIONS` loops of `call`: a warm-up, then `seconds` measured with pidstat alongside. */
async function stretch(name: string, call: () => Promise<unknown>, processes: Processes, seconds: number, warmupSeconds: number): Promise<Stretch> {
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
  for (let tries = 0; ; tries++) {
    const ok = await call().then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (tries > 100) throw new Error(`${name}: the echo server does not answer`);
    await sleep(100);
  }
  log(`${name}: ${warmupSeconds}s warm-up, then ${seconds}s, ${CONNECTIONS} callers`);
  const workers = Array.from({ length: CONNECTIONS }, worker);
  await sleep(warmupSeconds * 1000);
  const { result, cpu } = await withCpu(processes, async () => {
    measuring = true;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const calls = latencies.length;
    measuring = false;
    return { calls, seconds: (performance.now() - t0) / 1000 };
  });
  stopping = true;
  await Promise.all(workers);
  return { ...result, latencies: latencies.slice(0, result.calls), errors, cpu };
}

/** A row from stretches of one load (their CPU weighted by their length). */
function rowOf(name: string, stretches: Stretch[]): Row {
  const calls = stretches.reduce((sum, s) => sum + s.calls, 0);
  const seconds = stretches.reduce((sum, s) => sum + s.seconds, 0);
  const sorted = stretches.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const cpu: CpuByGroup = {};
  for (const s of stretches) for (const [group, msPerSecond] of Object.entries(s.cpu)) cpu[group] = (cpu[group] ?? 0) + (msPerSecond * s.seconds) / seconds;
  return {
    name,
    perSecond: calls / seconds,
    unit: 'calls/s',
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    count: calls,
    errors: stretches.reduce((sum, s) => sum + s.errors, 0),
    cpu,
  };
}

/** Raw amqplib request/reply over direct reply-to, against an amqplib echo consumer in another process. */
export async function rawRpcRow(amqpUrl: string, prefix: string): Promise<Row> {
  const queue = `${prefix}bench.raw.rpc`;
  const peer = await startPeer({ BENCH_SERVER: 'raw', BENCH_AMQP_URL: amqpUrl, BENCH_QUEUE: queue });
  const raw = await rawCaller(amqpUrl, queue, PAYLOAD);
  try {
    const name = 'raw amqplib request/reply';
    return rowOf(name, [await stretch(name, raw.call, processesOf(peer, []), SECONDS, WARMUP_SECONDS)]);
  } finally {
    await raw.close();
    await peer.stop();
    await deleteTestBus(prefix, { names: { queues: [queue] }, rabbitmqUrl: amqpUrl });
  }
}

/** The lab's two databases and bus prefix, and its publisher service in this process, for both bus rows. */
export interface Lab {
  world: LabWorld;
  publisher: INestApplicationContext;
}

export async function startLab(): Promise<Lab> {
  const world = await newLabWorld();
  try {
    // Its requests take a gateway's route (by service): the one every request from a user takes.
    return { world, publisher: await world.publisher({ transactions: LAB_TRANSACTIONS, messaging: { rpc: { routeByService: true } } }) };
  } catch (error) {
    await world.close();
    throw error;
  }
}

/**
 * The library's request/reply: its client here, a lab service (@OnRpc echo) in another process,
 * measured in RPC_ROUNDS rounds that each load raw amqplib (its own echo peer) and then the
 * library for SECONDS / RPC_ROUNDS: the library's rate is given against the raw rate of the same
 * minutes (`baselinePerSecond`), which a shared machine's drift does not tilt as it does a floor
 * measured minutes earlier. Each round also loads raw amqplib sending the library's envelope to
 * the lab service (rawEnvelopeCaller): the note splits the library's cost between its server and
 * its client.
 */
export async function transportRpcRow({ world, publisher }: Lab): Promise<Row> {
  // The echo service trusts the test key pair: generated here first, passed down in the environment.
  testJwtKeys();
  const rawQueue = `${world.prefix}bench.raw.rpc.paired`;
  const [peer, rawPeer] = await Promise.all([
    startPeer({ BENCH_SERVER: 'lab', BENCH_AMQP_URL: world.env.rabbitmqUrl, BENCH_PREFIX: world.prefix, BENCH_DATABASE_URL: world.consumerDb }),
    startPeer({ BENCH_SERVER: 'raw', BENCH_AMQP_URL: world.env.rabbitmqUrl, BENCH_QUEUE: rawQueue }),
  ]);
  const raw = await rawCaller(world.env.rabbitmqUrl, rawQueue, PAYLOAD);
  try {
    const client = publisher.get(RpcClient);
    // One caller with one token, as a logged-in user: the server verifies it once, then hits its cache.
    const token = testToken({ tenantId: 'bench', userId: 'bench', roles: ['viewer'] });
    const names = publisher.get(TopologyNames);
    const toServer = await rawEnvelopeCaller(
      world.env.rabbitmqUrl,
      { queue: names.rpcQueueOf(LAB_CONSUMER), replyExchange: names.replyExchange, replyQueue: names.newReplyQueue(), type: labEcho.name },
      Buffer.from(JSON.stringify({ payload: { payload: PAYLOAD }, token })),
    );
    const name = 'request/reply on the transport';
    const seconds = SECONDS / RPC_ROUNDS;
    const library: Stretch[] = [];
    const baseline: Stretch[] = [];
    const server: Stretch[] = [];
    try {
      for (let round = 0; round < RPC_ROUNDS; round++) {
        const warmup = round === 0 ? WARMUP_SECONDS : 1;
        baseline.push(await stretch(`raw amqplib (round ${round + 1})`, raw.call, processesOf(rawPeer, []), seconds, warmup));
        server.push(
          await stretch(
            `raw amqplib to the library's server (round ${round + 1})`,
            toServer.call,
            processesOf(peer, [databaseName(world.consumerDb)]),
            seconds,
            warmup,
          ),
        );
        library.push(
          await stretch(
            `${name} (round ${round + 1})`,
            () => client.call(labEcho, { payload: PAYLOAD }, { token }),
            processesOf(peer, [databaseName(world.consumerDb)]),
            seconds,
            warmup,
          ),
        );
      }
    } finally {
      await toServer.close();
    }
    const rawRow = rowOf('raw', baseline);
    const serverRow = rowOf('server', server);
    const libraryRow = rowOf(name, library);
    const perCall = (row: Row, group: string) => fmt((row.cpu?.[group] ?? 0) / row.perSecond, 3);
    return {
      ...libraryRow,
      baselinePerSecond: rawRow.perSecond,
      note:
        `raw amqplib in the same ${RPC_ROUNDS} rounds: ${fmt(rawRow.perSecond)} calls/s, ${fmt(sumCpu(rawRow) / rawRow.perSecond, 3)} ms of CPU per call; ` +
        `raw amqplib sending the library's envelope to its server: ${fmt(serverRow.perSecond)} calls/s (${(serverRow.perSecond / rawRow.perSecond).toFixed(2)}x raw), ` +
        `the server's CPU ${perCall(serverRow, BUS_PEER)} ms per call against the raw echo's ${perCall(rawRow, BUS_PEER)}, the caller's ${perCall(serverRow, LOAD_GENERATOR)} against the library client's ${perCall(libraryRow, LOAD_GENERATOR)}`,
    };
  } finally {
    await raw.close();
    await Promise.all([peer.stop(), rawPeer.stop()]);
    await deleteTestBus(world.prefix, { names: { queues: [rawQueue] }, rabbitmqUrl: world.env.rabbitmqUrl });
  }
}

/** CPU of every process of a row, ms per second (the machine's other work left out). */
function sumCpu(row: Row): number {
  return Object.entries(row.cpu ?? {}).reduce((sum, [group, ms]) => (group === OTHER ? sum : sum + ms), 0);
}

/**
 * Outbox -> broker -> inbox: BENCH_EVENTS (default 30,000) events published by the lab's
 * publisher (one transaction each, 32 at once: PUBLISHERS), until the consumer's inbox holds them
 * all or BENCH_EVENTS_MAX_SECONDS (default 60) have passed: the rate is what arrived in that time.
 * First WARMUP_EVENTS go through unmeasured, as the HTTP rows' warm-up: the consumer is a process
 * started for the row, and its first thousands of events ran on code V8 had not compiled yet.
 */
export async function outboxToInboxRow({ world, publisher }: Lab): Promise<Row> {
  const peer = await startPeer({
    BENCH_SERVER: 'lab',
    BENCH_AMQP_URL: world.env.rabbitmqUrl,
    BENCH_PREFIX: world.prefix,
    BENCH_DATABASE_URL: world.consumerDb,
  });
  const poller = new Client({ connectionString: world.consumerDb });
  try {
    // Polled 20 times a second, on one connection, for what arrived since a moment (a range of the
    // received_at index): countRows opened a connection per call (a backend started each time) and
    // counted the whole inbox, Postgres CPU the row carried as its own.
    await poller.connect();
    const serverNow = async () => (await poller.query<{ now: Date }>('SELECT now()')).rows[0].now;
    const arrivedSince = async (since: Date) =>
      (await poller.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_message WHERE consumer = $1 AND received_at >= $2', [LAB_CONSUMER, since]))
        .rows[0].n;
    const firstItem = 1_000_000 + (await arrivedSince(new Date(0)));
    log(`outbox -> broker -> inbox: ${WARMUP_EVENTS} events to warm up, then ${EVENTS} measured`);
    const warmupSince = await serverNow();
    await publisher.get(LabPublisher).publishItems(firstItem, WARMUP_EVENTS, PUBLISHERS);
    await waitFor('the warm-up events in the inbox', async () => (await arrivedSince(warmupSince)) >= WARMUP_EVENTS, 5 * EVENTS_MAX_SECONDS * 1000, 100);
    // A warm-up event received in the millisecond `since` is truncated to would count as measured.
    await sleep(20);
    const since = await serverNow();
    const { result, cpu } = await withCpu(processesOf(peer, [databaseName(world.consumerDb), databaseName(world.publisherDb)]), async () => {
      const t0 = performance.now();
      const published = publisher.get(LabPublisher).publishItems(firstItem + WARMUP_EVENTS, EVENTS, PUBLISHERS);
      let arrived = 0;
      const all = await waitFor(
        `${EVENTS} events in the consumer's inbox`,
        async () => (arrived = await arrivedSince(since)) >= EVENTS,
        EVENTS_MAX_SECONDS * 1000,
        50,
      ).then(
        () => true,
        () => false,
      );
      const seconds = (performance.now() - t0) / 1000;
      if (all) await published;
      return { arrived, seconds, published, all };
    });
    if (!result.all) {
      // The rest must arrive before the next row: its peer would otherwise consume them meanwhile.
      log(`outbox -> broker -> inbox: ${result.arrived} of ${EVENTS} after ${EVENTS_MAX_SECONDS}s; waiting for the rest (not measured)`);
      await result.published;
      await waitFor(`the rest of the ${EVENTS} events`, async () => (await arrivedSince(since)) >= EVENTS, 5 * EVENTS_MAX_SECONDS * 1000, 250).catch(() =>
        log('outbox -> broker -> inbox: events still on their way; the next row shares the machine with them'),
      );
    }
    return {
      name: 'outbox → broker → inbox',
      perSecond: result.arrived / result.seconds,
      unit: 'events/s',
      count: result.arrived,
      errors: 0,
      cpu,
      note: result.all
        ? `${fmt(EVENTS)} events, 1 transaction each, ${PUBLISHERS} at once`
        : `${fmt(result.arrived)} of ${fmt(EVENTS)} events within the ${EVENTS_MAX_SECONDS}s cap`,
    };
  } finally {
    await poller.end().catch(() => undefined);
    await peer.stop();
  }
}

/**
 * The floor under the outbox row: the same events through raw pg and amqplib with none of the
 * library's code (bench/support/outbox-floor.ts), writers, relay and consumer all in this
 * process (the "load generator" column), on scratch tables in the lab's two databases.
 */
export async function outboxFloorRow({ world }: Lab): Promise<Row> {
  const processes: Processes = { pids: { [LOAD_GENERATOR]: [process.pid] }, databases: [databaseName(world.consumerDb), databaseName(world.publisherDb)] };
  const urls = { rabbitmq: world.env.rabbitmqUrl, publisherDb: world.publisherDb, consumerDb: world.consumerDb };
  log(`floor: outbox -> broker -> inbox, raw pg + amqplib: ${WARMUP_EVENTS} events to warm up, then ${EVENTS} measured`);
  await runOutboxFloor(urls, WARMUP_EVENTS, PUBLISHERS, EVENTS_MAX_SECONDS);
  const { result, cpu } = await withCpu(processes, () => runOutboxFloor(urls, EVENTS, PUBLISHERS, EVENTS_MAX_SECONDS));
  return {
    name: 'floor: outbox → broker → inbox, raw pg + amqplib',
    perSecond: result.arrived / result.seconds,
    unit: 'events/s',
    count: result.arrived,
    errors: 0,
    cpu,
    note: `${fmt(result.arrived)} events, 1 transaction each, ${PUBLISHERS} at once; writers, relay and consumer in one process`,
  };
}
