import { DynamicModule, Module, Type } from '@nestjs/common';
import { AmqpConnections, MessagingModule, pgTransactions, prismaTransactions } from '@crm/messaging';
import {
  brokerCheck,
  RawQueryClient,
  HealthModule,
  LoggingModule,
  MetricsModule,
  postgresCheck,
  REDIS,
  RedisClient,
  RedisModule,
  RedisModuleOptions,
  redisCheck,
  RequestContextModule,
} from '@crm/observability';
import type { Pool } from 'pg';

/** The settings every service's validated config carries. */
export interface ServiceCoreConfig {
  LOG_LEVEL: string;
  LOG_PRETTY: boolean;
  RABBITMQ_URL: string;
  SHUTDOWN_TIMEOUT_MS: number;
  BUS_NAME_PREFIX: string;
  BUS_USER_PREFIX: string;
  /** Callers of the service's commands and queries are verified against these (see @crm/config). */
  AUTH_JWKS_URL: string;
  AUTH_JWT_PUBLIC_KEY?: string;
  AUTH_JWT_ISSUER: string;
  INTEGRATION_JWKS_URL: string;
  INTEGRATION_JWT_PUBLIC_KEY?: string;
  INTEGRATION_JWT_ISSUER: string;
  AUTH_JWT_AUDIENCE: string;
}

/**
 * Where the service's transactions run. A service whose statements are all SQL (Kysely and the
 * messaging tables, no Prisma model calls) names its DatabasePool: its transactions run on pg
 * directly (TransactionalAdapterPg) and the process loads no Prisma client at all (about 19 MiB
 * of idle memory: bench/results/idle-rss.md). A service that makes Prisma model calls names its
 * Prisma client class (also the injection token) and runs its transactions through Prisma.
 */
export type ServiceDatabaseAccess =
  | { sqlTransactionsOn: Type<{ readonly pool: Pool }>; prisma?: never }
  | { prisma: Type<RawQueryClient>; sqlTransactionsOn?: never };

export type ServiceCoreOptions = ServiceDatabaseAccess & {
  service: string;
  config: ServiceCoreConfig;
  /** The service's own @Global() module that provides its DatabasePool (and Prisma client, if it has one). */
  database: Type<unknown>;
  /**
   * For a service that keeps state in Redis (the API gateway alone): the shared client's URL and
   * options (e.g. the Lua scripts it runs), and a readiness check on it. Others load no Redis client.
   */
  redis?: RedisModuleOptions & { url: string };
  /** The service's database URL: the bus runs its own statements (the outbox relay) on a small pg pool of it. */
  databaseUrl?: string;
  /** A gateway: its broker user may send every request, so it routes them by service (messaging's `rpc.routeByService`). */
  gateway?: boolean;
};

/**
 * What every service is made of besides its features: request context and transactions
 * (nestjs-cls), JSON logs, metrics, its database, the bus, Redis for a service that keeps state there, and health checks over them.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot(options: ServiceCoreOptions): DynamicModule {
    const { service, config, database, redis, databaseUrl, gateway } = options;
    const transactions = options.sqlTransactionsOn ? pgTransactions(options.sqlTransactionsOn, [database]) : prismaTransactions(options.prisma, [database]);
    // The readiness check's SELECT 1 runs on whatever the service reaches its database with.
    const databaseCheck: { inject: Type<unknown>; selectOne: (client: unknown) => PromiseLike<unknown> } = options.sqlTransactionsOn
      ? { inject: options.sqlTransactionsOn, selectOne: (client) => (client as { readonly pool: Pool }).pool.query('SELECT 1') }
      : { inject: options.prisma, selectOne: (client) => (client as RawQueryClient).$queryRaw`SELECT 1` };
    return {
      module: ServiceCoreModule,
      imports: [
        // One ClsModule per app: it carries the request context and the transaction.
        RequestContextModule.forRoot({ plugins: [transactions] }),
        LoggingModule.forRoot({ service, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY }),
        MetricsModule.forRoot({ service }),
        ...(redis ? [RedisModule.forRoot(redis.url, redis)] : []),
        database,
        MessagingModule.forRoot({
          service,
          url: config.RABBITMQ_URL,
          namePrefix: config.BUS_NAME_PREFIX,
          brokerUserPrefix: config.BUS_USER_PREFIX,
          shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
          ...(databaseUrl && { database: { url: databaseUrl } }),
          ...(gateway && { rpc: { routeByService: true } }),
          callers: {
            jwksUrl: config.AUTH_JWKS_URL,
            publicKeyPem: config.AUTH_JWT_PUBLIC_KEY,
            issuer: config.AUTH_JWT_ISSUER,
            audience: config.AUTH_JWT_AUDIENCE,
            alsoTrusted: [{ issuer: config.INTEGRATION_JWT_ISSUER, jwksUrl: config.INTEGRATION_JWKS_URL, publicKeyPem: config.INTEGRATION_JWT_PUBLIC_KEY }],
          },
        }),
        HealthModule.forRoot({
          inject: [databaseCheck.inject, AmqpConnections, ...(redis ? [REDIS] : [])],
          checks: (databaseClient: unknown, broker: AmqpConnections, redisClient?: RedisClient) => [
            postgresCheck(() => databaseCheck.selectOne(databaseClient)),
            brokerCheck(() => broker.isConnected()),
            ...(redisClient ? [redisCheck(redisClient)] : []),
          ],
        }),
      ],
    };
  }
}
