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
  REDIS_URL: string;
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

export interface ServiceCoreOptions {
  service: string;
  config: ServiceCoreConfig;
  /** The service's own @Global() module that provides its Prisma client. */
  database: Type<unknown>;
  /** The Prisma client class (also the injection token), for transactions and the readiness check. */
  prisma: Type<RawQueryClient>;
  /** Options of the shared Redis client, e.g. the Lua scripts the service runs. */
  redis?: RedisModuleOptions;
  /**
   * The service's DatabasePool (exported by `database`), for a service whose statements are all
   * SQL (Kysely and the messaging tables, no Prisma model calls): its transactions then run on pg
   * directly (TransactionalAdapterPg) instead of through Prisma's raw path.
   */
  sqlTransactionsOn?: Type<{ readonly pool: Pool }>;
  /** The service's database URL: the bus runs its own statements (the outbox relay) on a small pg pool of it. */
  databaseUrl?: string;
}

/**
 * What every service is made of besides its features: request context and transactions
 * (nestjs-cls), JSON logs, metrics, Redis, its database, the bus, and health checks over all three.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot({ service, config, database, prisma, redis, databaseUrl, sqlTransactionsOn }: ServiceCoreOptions): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [
        // One ClsModule per app: it carries the request context and the transaction.
        RequestContextModule.forRoot({ plugins: [sqlTransactionsOn ? pgTransactions(sqlTransactionsOn, [database]) : prismaTransactions(prisma, [database])] }),
        LoggingModule.forRoot({ service, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY }),
        MetricsModule.forRoot({ service }),
        RedisModule.forRoot(config.REDIS_URL, redis),
        database,
        MessagingModule.forRoot({
          service,
          url: config.RABBITMQ_URL,
          namePrefix: config.BUS_NAME_PREFIX,
          brokerUserPrefix: config.BUS_USER_PREFIX,
          shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
          ...(databaseUrl && { database: { url: databaseUrl } }),
          callers: {
            jwksUrl: config.AUTH_JWKS_URL,
            publicKeyPem: config.AUTH_JWT_PUBLIC_KEY,
            issuer: config.AUTH_JWT_ISSUER,
            audience: config.AUTH_JWT_AUDIENCE,
            alsoTrusted: [{ issuer: config.INTEGRATION_JWT_ISSUER, jwksUrl: config.INTEGRATION_JWKS_URL, publicKeyPem: config.INTEGRATION_JWT_PUBLIC_KEY }],
          },
        }),
        HealthModule.forRoot({
          inject: [prisma, REDIS, AmqpConnections],
          checks: (client: RawQueryClient, redisClient: RedisClient, broker: AmqpConnections) => [
            postgresCheck(client),
            redisCheck(redisClient),
            brokerCheck(() => broker.isConnected()),
          ],
        }),
      ],
    };
  }
}
