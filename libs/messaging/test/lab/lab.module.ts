import { DynamicModule, INestApplication, LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { TEST_JWT_ISSUER, testJwtKeys } from '@crm/testing';
import { removeUnmountedClsEnhancers } from '@crm/observability';
import { ClsModule } from 'nestjs-cls';
import { connectMessaging, MessagingFaultHooks, MessagingModule, MessagingOptions, pgTransactions, prismaTransactions } from '../../src';
import { LabDatabaseModule, LabPool, LabPrisma } from './lab.database';
import { LAB_CONTROL, LAB_TRANSACTIONS, LabControl, LabEffects, LabHandlers, LabPublisher, type LabTransactions } from './lab.handlers';

/** The lab's retry delays unless a test sets its own. */
export const LAB_RETRY_DELAYS_MS = [200, 400, 800];

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
  /**
   * What transactions run on: `prisma` (the default; Prisma's interactive transactions, as
   * analytics runs) or `pg` (TransactionalAdapterPg on a pool, as the other services run).
   */
  transactions?: LabTransactions;
}

@Module({})
class LabModule {
  static create(options: LabOptions): DynamicModule {
    const database = LabDatabaseModule.forUrl(options.databaseUrl);
    const transactions = options.transactions ?? 'prisma';
    return {
      module: LabModule,
      imports: [
        database,
        ClsModule.forRoot({ global: true, plugins: [transactions === 'pg' ? pgTransactions(LabPool, [database]) : prismaTransactions(LabPrisma, [database])] }),
        MessagingModule.forRoot({
          service: options.service,
          url: options.amqpUrl,
          namePrefix: options.prefix,
          retryDelaysMs: options.retryDelaysMs ?? LAB_RETRY_DELAYS_MS,
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
        { provide: LAB_TRANSACTIONS, useValue: transactions },
        LabEffects,
        LabPublisher,
      ],
      controllers: options.role === 'consumer' ? [LabHandlers] : [],
    };
  }
}

/** The lab service as a service runs: a Nest app (no HTTP listener) with the bus connected as its microservice. */
export async function startLab(options: LabOptions, logger: LogLevel[] | false = ['error']): Promise<INestApplication> {
  const debug = process.env['LAB_DEBUG'] ? (['error', 'warn', 'log'] as LogLevel[]) : logger;
  const app = await NestFactory.create(LabModule.create(options), new FastifyAdapter(), { logger: debug });
  removeUnmountedClsEnhancers(app);
  connectMessaging(app);
  await app.init();
  await app.startAllMicroservices();
  return app;
}
