import { DynamicModule, INestApplicationContext, LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TEST_JWT_ISSUER, testJwtKeys } from '@crm/testing';
import { ClsModule } from 'nestjs-cls';
import { MessagingFaultHooks, MessagingModule, MessagingOptions, prismaTransactions } from '../../src';
import { LabDatabaseModule, LabPrisma } from './lab.database';
import { LAB_CONTROL, LabControl, LabEffects, LabHandlers, LabPublisher } from './lab.handlers';

export interface LabOptions {
  service: string;
  databaseUrl: string;
  amqpUrl: string;
  prefix: string;
  /** consumer: has the handlers; publisher: only publishes. */
  role: 'publisher' | 'consumer';
  instance?: string;
  retryDelaysMs?: number[];
  faults?: MessagingFaultHooks;
  messaging?: Partial<MessagingOptions>;
}

@Module({})
class LabModule {
  static create(options: LabOptions): DynamicModule {
    const database = LabDatabaseModule.forUrl(options.databaseUrl);
    return {
      module: LabModule,
      imports: [
        database,
        ClsModule.forRoot({ global: true, plugins: [prismaTransactions(LabPrisma, [database])] }),
        MessagingModule.forRoot({
          service: options.service,
          url: options.amqpUrl,
          namePrefix: options.prefix,
          retryDelaysMs: options.retryDelaysMs ?? [200, 400, 800],
          relay: { pollIntervalMs: 200, confirmTimeoutMs: 3_000 },
          faults: options.faults,
          database: { url: options.databaseUrl },
          // Callers are verified against the test key pair (tests send `testToken(...)`).
          callers: { publicKeyPem: testJwtKeys().publicKeyPem, issuer: TEST_JWT_ISSUER },
          ...options.messaging,
        }),
      ],
      providers: [
        { provide: LAB_CONTROL, useValue: new LabControl(options.instance ?? options.service) },
        LabEffects,
        LabPublisher,
        ...(options.role === 'consumer' ? [LabHandlers] : []),
      ],
    };
  }
}

export async function startLab(options: LabOptions, logger: LogLevel[] | false = ['error']): Promise<INestApplicationContext> {
  const debug = process.env['LAB_DEBUG'] ? (['error', 'warn', 'log'] as LogLevel[]) : logger;
  const app = await NestFactory.createApplicationContext(LabModule.create(options), { logger: debug });
  await app.init();
  return app;
}
