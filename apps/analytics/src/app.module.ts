import { TypedConfigModule } from '@crm/config';
import {
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

@Module({})
export class AppModule {
  /** Built from the config main.ts has already validated, so every forRoot gets plain values. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypedConfigModule.register(AppConfig, { values: config }),
        // Messaging: pass the transactional plugin here (`plugins: [...]`); one ClsModule per app.
        RequestContextModule.forRoot(),
        LoggingModule.forRoot({
          service: SERVICE_NAME,
          level: config.LOG_LEVEL,
          pretty: config.LOG_PRETTY,
        }),
        MetricsModule.forRoot({ service: SERVICE_NAME }),
        RedisModule.forRoot(config.REDIS_URL),
        DatabaseModule,
        HealthModule.forRoot({
          // Messaging: add the broker's provider to `inject` and `brokerCheck(() => broker.isConnected())` below.
          inject: [PrismaService, REDIS],
          checks: (prisma: PrismaService, redis: Redis) => [
            postgresCheck(prisma),
            redisCheck(redis),
          ],
        }),
      ],
    };
  }
}
