import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';

export const LAB_DATABASE_URL = Symbol('LAB_DATABASE_URL');

@Injectable()
export class LabPrisma extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(LAB_DATABASE_URL) url: string) {
    super({ adapter: new PrismaPg({ connectionString: url, max: 20 }) });
  }
  // The last phase: the messaging library drains its handlers and relay before this.
  async onApplicationShutdown() {
    // A pool whose connections broke mid-transaction (database restarted) can wait forever
    // for them to be released; shutdown must not.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.$disconnect(), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
  }
}

/** The lab's database as the services that run on pg reach it (TransactionalAdapterPg over a pool). */
@Injectable()
export class LabPool implements OnApplicationShutdown {
  readonly pool: Pool;
  constructor(@Inject(LAB_DATABASE_URL) url: string) {
    // Pipelined, as the services' DatabasePool is.
    this.pool = new Pool({ connectionString: url, max: 20, pipeline: true });
    // An idle connection the server ended is dropped and replaced; unlistened, it would end the process.
    this.pool.on('error', () => undefined);
  }
  async onApplicationShutdown() {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.pool.end(), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
  }
}

@Global()
@Module({})
export class LabDatabaseModule {
  static forUrl(url: string): DynamicModule {
    return {
      module: LabDatabaseModule,
      providers: [{ provide: LAB_DATABASE_URL, useValue: url }, LabPrisma, LabPool],
      exports: [LabPrisma, LabPool],
    };
  }
}
