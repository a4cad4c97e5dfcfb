import { TypedConfigModule } from '@crm/config';
import { AmqpConnections, MessagingModule, prismaTransactions } from '@crm/messaging';
import {
  brokerCheck,
  HealthModule,
  LoggingModule,
  MetricsModule,
  postgresCheck,
  REDIS,
  RedisModule,
  redisCheck,
  RequestContextModule,
} from '@crm/observability';
import { DynamicModule, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig, SERVICE_NAME } from './app.config';
import { DatabaseModule } from './infrastructure/database/database.module';
import { PrismaService } from './infrastructure/database/prisma.service';
import { EchoHandler } from './diagnostics/echo/echo.handler';

@Module({})
export class AppModule {
  /** Built from the config main.ts has already validated, so every forRoot gets plain values. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypedConfigModule.register(AppConfig, { values: config }),
        // One ClsModule per app: it carries the request context and the Prisma transaction.
        RequestContextModule.forRoot({ plugins: [prismaTransactions(PrismaService, [DatabaseModule])] }),
        LoggingModule.forRoot({
          service: SERVICE_NAME,
          level: config.LOG_LEVEL,
          pretty: config.LOG_PRETTY,
        }),
        MetricsModule.forRoot({ service: SERVICE_NAME }),
        RedisModule.forRoot(config.REDIS_URL),
        DatabaseModule,
        MessagingModule.forRoot({
          service: SERVICE_NAME,
          url: config.RABBITMQ_URL,
          shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
        }),
        HealthModule.forRoot({
          inject: [PrismaService, REDIS, AmqpConnections],
          checks: (prisma: PrismaService, redis: Redis, broker: AmqpConnections) => [
            postgresCheck(prisma),
            redisCheck(redis),
            brokerCheck(() => broker.isConnected()),
          ],
        }),
      ],
      providers: [EchoHandler],
    };
  }
}
