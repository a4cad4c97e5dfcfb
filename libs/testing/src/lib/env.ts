import { createConnection } from 'node:net';
import { execFile } from 'node:child_process';
import { DEFAULT_DATABASE_SERVER_URL } from '@crm/config';

export interface TestEnv {
  /** Admin connection (a superuser on the maintenance database) used to create test databases. */
  postgresUrl: string;
  rabbitmqUrl: string;
  redisUrl: string;
}

export const DEFAULT_POSTGRES_URL = `${DEFAULT_DATABASE_SERVER_URL}/postgres`;
export const DEFAULT_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

type Kind = 'postgres' | 'rabbitmq' | 'redis';
const VARS: Record<Kind, string> = { postgres: 'TEST_POSTGRES_URL', rabbitmq: 'RABBITMQ_URL', redis: 'REDIS_URL' };
const DEFAULTS: Record<Kind, string> = { postgres: DEFAULT_POSTGRES_URL, rabbitmq: DEFAULT_RABBITMQ_URL, redis: DEFAULT_REDIS_URL };

let pending: Promise<TestEnv> | undefined;

/**
 * Where the test servers are. For each of Postgres, RabbitMQ and Redis:
 * 1. the env var (TEST_POSTGRES_URL, RABBITMQ_URL, REDIS_URL) when set;
 * 2. else the default local port when something listens there;
 * 3. else, when a Docker engine is reachable, a container started with testcontainers (loaded
 *    lazily, only in this case); its URL is written back to the env var so every later call in
 *    this process (and child processes) reuses it. Ryuk removes the containers when tests end.
 * 4. else the default URL (the test then fails with a connection error naming the server).
 */
export function testEnv(): Promise<TestEnv> {
  pending ??= resolveEnv().catch((err) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

async function resolveEnv(): Promise<TestEnv> {
  const [postgresUrl, rabbitmqUrl, redisUrl] = await Promise.all((['postgres', 'rabbitmq', 'redis'] as const).map((k) => resolveOne(k)));
  return { postgresUrl, rabbitmqUrl, redisUrl };
}

async function resolveOne(kind: Kind): Promise<string> {
  const fromEnv = process.env[VARS[kind]];
  if (fromEnv) return fromEnv;
  const fallback = DEFAULTS[kind];
  const u = new URL(fallback);
  if (await portOpen(u.hostname, Number(u.port))) return fallback;
  if (!(await dockerReachable())) return fallback;
  const url = await startContainer(kind);
  process.env[VARS[kind]] = url;
  return url;
}

export function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function dockerReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000 }, (err, stdout) => resolve(!err && stdout.trim().length > 0));
  });
}

// Lazy: these packages are only loaded when a container is really needed.
async function startContainer(kind: Kind): Promise<string> {
  if (kind === 'postgres') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const c = await new PostgreSqlContainer('postgres:15').withUsername('postgres').withPassword('postgres').withDatabase('postgres').start();
    return c.getConnectionUri();
  }
  if (kind === 'rabbitmq') {
    const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
    const c = await new RabbitMQContainer('rabbitmq:3.10-management').start();
    return c.getAmqpUrl();
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  const c = await new RedisContainer('redis:7').start();
  return c.getConnectionUrl();
}
