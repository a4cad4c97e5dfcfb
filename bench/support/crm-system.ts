import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createTestDatabase, TestDatabase, testEnv } from '@crm/testing';
import { deleteBusNames, deleteRedisKeys } from './cleanup';
import { bundleOf, dockerfileNodeRuntime, ensureBundles } from './bundles';
import { Child, freePort, log, start, startBundle, until } from './processes';

/**
 * The gateway, contacts and analytics services, each in its own process with a fresh migrated
 * database, a bus prefix and Redis prefix of their own, and rate limits out of the way (a
 * benchmark is one user at full speed). `close()` stops them and removes databases, queues and keys.
 */
export interface CrmSystem {
  gatewayUrl: string;
  prefix: string;
  /** How the services were started. */
  runtime: 'source' | 'bundle';
  /** Each service's HTTP port (health, and the gateway's API). */
  ports: Record<ServiceName, number>;
  /** Each service's database (for looking inside, e.g. EXPLAIN or counting rows). */
  databaseUrls: Record<ServiceName, string>;
  processes: Record<ServiceName, Child>;
  /** Stops one service (its queue keeps what arrives meanwhile). */
  stop(name: ServiceName): Promise<void>;
  /** Starts a stopped service again, as it was started; resolves when it is ready. */
  restart(name: ServiceName): Promise<Child>;
  close(): Promise<void>;
}

export type ServiceName = 'api-gateway' | 'contacts' | 'analytics';

export const SERVICES = ['contacts', 'analytics', 'api-gateway'] as const;
const RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

export interface CrmSystemOptions {
  /** Extra node flags per service, e.g. `{ contacts: ['--cpu-prof'] }`. */
  execArgv?: Partial<Record<(typeof SERVICES)[number], string[]>>;
  /**
   * `source` (default): each service's main.ts through swc-node. `bundle`: the production bundle
   * (`nx build`, built first) run by plain node with the Dockerfile CMD's flags and NODE_OPTIONS.
   * Default from BENCH_RUNTIME; BENCH_NODE_OPTIONS replaces the Dockerfile's NODE_OPTIONS.
   */
  runtime?: 'source' | 'bundle';
  /** Extra environment for every service (e.g. pool sizes to try). */
  env?: Record<string, string>;
}

export async function startCrmSystem(options: CrmSystemOptions = {}): Promise<CrmSystem> {
  const env = await testEnv();
  for (const u of [env.rabbitmqUrl, env.postgresUrl, env.redisUrl]) {
    if (!['127.0.0.1', 'localhost'].includes(new URL(u).hostname)) throw new Error(`benchmark runs on 127.0.0.1 only, got ${u}`);
  }
  // Same shape as @crm/testing testBusPrefix (t + 10 hex + '.'), so tools/clean-test-bus.sh removes leftovers.
  const prefix = `t${randomBytes(5).toString('hex')}.`;
  const redisPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const databases: TestDatabase[] = [];
  const children: Child[] = [];
  const close = async () => {
    for (const child of children.splice(0).reverse()) await child.stop().catch(() => undefined);
    await Promise.allSettled([...databases.splice(0).map((db) => db.drop()), deleteBusNames(env.rabbitmqUrl, busNamesOf(prefix), [`${prefix}crm.events`]), deleteRedisKeys(env.redisUrl, redisPrefix)]);
  };
  try {
    const [gatewayDb, contactsDb, analyticsDb] = await Promise.all([
      createTestDatabase('api-gateway'),
      createTestDatabase('contacts'),
      createTestDatabase('analytics'),
    ]);
    databases.push(gatewayDb, contactsDb, analyticsDb);
    const [gatewayPort, contactsPort, analyticsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    // Services verify callers against this run's gateway.
    const jwksUrl = `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`;
    // INTERNAL_PORT 0: metrics on any free port, so the services never collide with another run's.
    const common = { NODE_ENV: 'production', LOG_LEVEL: 'warn', INTERNAL_PORT: '0', RABBITMQ_URL: env.rabbitmqUrl, REDIS_URL: env.redisUrl, BUS_NAME_PREFIX: prefix };
    const exec = options.execArgv ?? {};
    const runtime = options.runtime ?? (process.env['BENCH_RUNTIME'] === 'bundle' ? 'bundle' : 'source');
    const docker = runtime === 'bundle' ? dockerfileNodeRuntime() : undefined;
    // To try other V8 settings on the bundles without editing the Dockerfile.
    if (docker && process.env['BENCH_NODE_OPTIONS'] !== undefined) docker.env['NODE_OPTIONS'] = process.env['BENCH_NODE_OPTIONS'];
    if (runtime === 'bundle') ensureBundles(SERVICES);
    const specs: Record<ServiceName, { entry: string; project: string; port: number; env: Record<string, string> }> = {
      contacts: {
        entry: 'apps/contacts/src/main.ts',
        project: 'apps/contacts/tsconfig.app.json',
        port: contactsPort,
        env: { CONTACTS_DATABASE_URL: contactsDb.url, CONTACTS_CURSOR_SECRET: randomBytes(32).toString('hex'), AUTH_JWKS_URL: jwksUrl },
      },
      analytics: {
        entry: 'apps/analytics/src/main.ts',
        project: 'apps/analytics/tsconfig.app.json',
        port: analyticsPort,
        env: { ANALYTICS_DATABASE_URL: analyticsDb.url, AUTH_JWKS_URL: jwksUrl },
      },
      'api-gateway': {
        entry: 'apps/api-gateway/src/main.ts',
        project: 'apps/api-gateway/tsconfig.app.json',
        port: gatewayPort,
        env: {
          API_GATEWAY_DATABASE_URL: gatewayDb.url,
          AUTH_REDIS_PREFIX: redisPrefix,
          // Production is sign-up off by default; the benchmark signs up its tenant.
          AUTH_SIGNUP_ENABLED: 'true',
          GATEWAY_RATE_LIMIT_PER_USER: '1000000000',
          GATEWAY_RATE_LIMIT_PER_TENANT: '1000000000',
          ...jwtKeyPair(),
        },
      },
    };
    const processes = {} as Record<ServiceName, Child>;
    const launch = async (name: ServiceName) => {
      const spec = specs[name];
      const env = { ...common, PORT: String(spec.port), ...spec.env, ...options.env };
      const child = docker
        ? startBundle(name, bundleOf(name), { ...docker.env, ...env }, [...docker.args, ...(exec[name] ?? [])])
        : start(name, spec.entry, spec.project, env, exec[name]);
      children.push(child);
      processes[name] = child;
      await until(`${name} ready`, child, async () => (await fetch(`http://127.0.0.1:${spec.port}/health/ready`)).status === 200);
      return child;
    };
    await Promise.all(SERVICES.map(launch));
    log(`gateway, contacts and analytics ready (${runtime === 'bundle' ? 'production bundles' : 'from source'}, bus prefix ${prefix})`);
    return {
      gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
      prefix,
      runtime,
      ports: { 'api-gateway': gatewayPort, contacts: contactsPort, analytics: analyticsPort },
      databaseUrls: { 'api-gateway': gatewayDb.url, contacts: contactsDb.url, analytics: analyticsDb.url },
      processes,
      stop: (name) => processes[name].stop(),
      restart: launch,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The gateway refuses to start in production without a key pair: a throwaway one for this run. */
export function jwtKeyPair(): Record<string, string> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { AUTH_JWT_PRIVATE_KEY: privateKey, AUTH_JWT_PUBLIC_KEY: publicKey };
}

function busNamesOf(prefix: string): string[] {
  return SERVICES.flatMap((s) => [
    `${prefix}${s}.rpc`,
    `${prefix}${s}.events`,
    `${prefix}${s}.events.parked`,
    ...RETRY_DELAYS_MS.map((ms) => `${prefix}${s}.events.retry.${ms}ms`),
  ]);
}
