import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, deleteTestBus, TestDatabase, testEnv } from '@crm/testing';
import { deleteRedisKeys } from './cleanup';
import { bundleOf, deployedNodeOptions, dockerfileNodeRuntime, ensureBundles } from './bundles';
import { Child, freePort, log, start, startBundle, until } from './processes';

/**
 * The gateway, contacts and analytics services (and sales-automation when asked for), each in its
 * own process with a fresh migrated database, a bus prefix and Redis prefix of their own, and rate
 * limits out of the way (a benchmark is one user at full speed). `close()` stops them and removes
 * databases, queues and keys.
 */
export interface CrmSystem {
  gatewayUrl: string;
  prefix: string;
  /** How the services were started. */
  runtime: 'source' | 'bundle';
  /** Each service's HTTP port (health, and the gateway's API). */
  ports: Started<number>;
  /** Each service's database (for looking inside, e.g. EXPLAIN or counting rows). */
  databaseUrls: Started<string>;
  processes: Started<Child>;
  /** Stops one service (its queue keeps what arrives meanwhile). */
  stop(name: ServiceName | OptionalServiceName): Promise<void>;
  /** Starts a stopped service again, as it was started; resolves when it is ready. */
  restart(name: ServiceName | OptionalServiceName): Promise<Child>;
  close(): Promise<void>;
}

export type ServiceName = 'api-gateway' | 'contacts' | 'analytics';

export const SERVICES = ['contacts', 'analytics', 'api-gateway'] as const;

/** Services a benchmark starts only when it asks for them (`options.with`). */
export type OptionalServiceName = 'sales-automation' | 'integration-gateway' | 'support-tickets';

/** A value per service: always the three, the optional ones when started. */
export type Started<T> = Record<ServiceName, T> & Partial<Record<OptionalServiceName, T>>;

export interface CrmSystemOptions {
  /** Extra node flags per service, e.g. `{ contacts: ['--cpu-prof'] }`. */
  execArgv?: Partial<Record<ServiceName | OptionalServiceName, string[]>>;
  /** Optional services to start too (e.g. `['sales-automation']` for bench/sales.bench.ts). */
  with?: OptionalServiceName[];
  /**
   * `bundle` (default): the production bundle (`nx build`, built first) run by plain node with the
   * Dockerfile CMD's flags and NODE_OPTIONS: what ships is what is measured. `source`: each
   * service's main.ts through swc-node (CPU profiles that name the source files).
   * Default from BENCH_RUNTIME; BENCH_NODE_OPTIONS replaces the Dockerfile's NODE_OPTIONS.
   */
  runtime?: 'source' | 'bundle';
  /** How long a service may take to answer ready (default 90 s; four services from source on a busy machine take longer). */
  readyTimeoutMs?: number;
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
    await Promise.allSettled([
      ...databases.splice(0).map((db) => db.drop()),
      deleteTestBus(prefix, { rabbitmqUrl: env.rabbitmqUrl }),
      deleteRedisKeys(env.redisUrl, redisPrefix),
    ]);
  };
  try {
    const withSales = options.with?.includes('sales-automation') ?? false;
    const withIntegration = options.with?.includes('integration-gateway') ?? false;
    const withSupport = options.with?.includes('support-tickets') ?? false;
    const [gatewayDb, contactsDb, analyticsDb, salesDb, integrationDb, supportDb] = await Promise.all([
      createTestDatabase('api-gateway'),
      createTestDatabase('contacts'),
      createTestDatabase('analytics'),
      withSales ? createTestDatabase('sales-automation') : undefined,
      withIntegration ? createTestDatabase('integration-gateway') : undefined,
      withSupport ? createTestDatabase('support-tickets') : undefined,
    ]);
    databases.push(gatewayDb, contactsDb, analyticsDb, ...(salesDb ? [salesDb] : []), ...(integrationDb ? [integrationDb] : []), ...(supportDb ? [supportDb] : []));
    const [gatewayPort, contactsPort, analyticsPort, salesPort, integrationPort, supportPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    // Services verify callers against this run's gateways.
    const jwksUrl = `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`;
    const integrationKeys = withIntegration ? jwtKeyPair() : undefined;
    // INTERNAL_PORT 0: metrics on any free port, so the services never collide with another run's.
    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      INTERNAL_PORT: '0',
      RABBITMQ_URL: env.rabbitmqUrl,
      REDIS_URL: env.redisUrl,
      BUS_NAME_PREFIX: prefix,
      INTEGRATION_JWKS_URL: `http://127.0.0.1:${integrationPort}/.well-known/jwks.json`,
    };
    const exec = options.execArgv ?? {};
    const runtime = options.runtime ?? (process.env['BENCH_RUNTIME'] === 'source' ? 'source' : 'bundle');
    const docker = runtime === 'bundle' ? dockerfileNodeRuntime() : undefined;
    // To try other V8 settings on the bundles without editing the Dockerfile.
    // (It also replaces what an app's k8s manifest sets, if it sets any.)
    const overriddenNodeOptions = process.env['BENCH_NODE_OPTIONS'] !== undefined;
    if (docker && overriddenNodeOptions) docker.env['NODE_OPTIONS'] = process.env['BENCH_NODE_OPTIONS'] as string;
    const names = [
      ...(withSales ? (['sales-automation'] as const) : []),
      ...(withIntegration ? (['integration-gateway'] as const) : []),
      ...(withSupport ? (['support-tickets'] as const) : []),
      ...SERVICES,
    ];
    if (runtime === 'bundle') ensureBundles(names);
    const specs: Started<{ entry: string; project: string; port: number; env: Record<string, string> }> = {
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
      ...(salesDb && {
        'sales-automation': {
          entry: 'apps/sales-automation/src/main.ts',
          project: 'apps/sales-automation/tsconfig.app.json',
          port: salesPort,
          env: {
            SALES_AUTOMATION_DATABASE_URL: salesDb.url,
            SALES_AUTOMATION_CURSOR_SECRET: randomBytes(32).toString('hex'),
            SALES_AUTOMATION_UNSUBSCRIBE_SECRET: randomBytes(32).toString('hex'),
            AUTH_JWKS_URL: jwksUrl,
          },
        },
      }),
      ...(supportDb && {
        'support-tickets': {
          entry: 'apps/support-tickets/src/main.ts',
          project: 'apps/support-tickets/tsconfig.app.json',
          port: supportPort,
          env: {
            SUPPORT_TICKETS_DATABASE_URL: supportDb.url,
            SUPPORT_TICKETS_CSAT_SECRET: randomBytes(32).toString('hex'),
            AUTH_JWKS_URL: jwksUrl,
            // Its SMTP listener on a free port; attachments in a directory of this run.
            SUPPORT_TICKETS_INBOUND_SMTP_PORT: '0',
            SUPPORT_TICKETS_INBOUND_SMTP_HOST: '127.0.0.1',
            SUPPORT_TICKETS_ATTACHMENTS_DIR: join(tmpdir(), `crm-bench-attachments-${prefix}`),
          },
        },
      }),
      ...(integrationDb &&
        integrationKeys && {
          'integration-gateway': {
            entry: 'apps/integration-gateway/src/main.ts',
            project: 'apps/integration-gateway/tsconfig.app.json',
            port: integrationPort,
            env: {
              INTEGRATION_GATEWAY_DATABASE_URL: integrationDb.url,
              INTEGRATION_JWT_PRIVATE_KEY: integrationKeys['AUTH_JWT_PRIVATE_KEY'],
              INTEGRATION_JWT_PUBLIC_KEY: integrationKeys['AUTH_JWT_PUBLIC_KEY'],
              AUTH_JWKS_URL: jwksUrl,
              // The benchmark's webhook receiver listens on 127.0.0.1.
              WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
            },
          },
        }),
    };
    const processes = {} as Started<Child>;
    const launch = async (name: ServiceName | OptionalServiceName) => {
      const spec = specs[name];
      if (!spec) throw new Error(`${name} was not started with this system (options.with)`);
      const env = { ...common, PORT: String(spec.port), ...spec.env, ...options.env };
      const child = docker
        ? startBundle(name, bundleOf(name), { ...docker.env, ...(overriddenNodeOptions ? {} : deployedNodeOptions(name)), ...env }, [...docker.args, ...(exec[name] ?? [])])
        : start(name, spec.entry, spec.project, env, exec[name]);
      children.push(child);
      processes[name] = child;
      await until(`${name} ready`, child, async () => (await fetch(`http://127.0.0.1:${spec.port}/health/ready`)).status === 200, options.readyTimeoutMs);
      return child;
    };
    await Promise.all(names.map(launch));
    log(`${names.join(', ')} ready (${runtime === 'bundle' ? 'production bundles' : 'from source'}, bus prefix ${prefix})`);
    return {
      gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
      prefix,
      runtime,
      ports: {
        'api-gateway': gatewayPort,
        contacts: contactsPort,
        analytics: analyticsPort,
        ...(salesDb && { 'sales-automation': salesPort }),
        ...(integrationDb && { 'integration-gateway': integrationPort }),
        ...(supportDb && { 'support-tickets': supportPort }),
      },
      databaseUrls: {
        'api-gateway': gatewayDb.url,
        contacts: contactsDb.url,
        analytics: analyticsDb.url,
        ...(salesDb && { 'sales-automation': salesDb.url }),
        ...(integrationDb && { 'integration-gateway': integrationDb.url }),
        ...(supportDb && { 'support-tickets': supportDb.url }),
      },
      processes,
      stop: async (name) => processes[name]?.stop(),
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
