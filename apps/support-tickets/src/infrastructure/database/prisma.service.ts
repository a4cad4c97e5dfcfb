import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client';
import { DatabasePool } from './database-pool';

/** The support-tickets service's own database (Rust-free Prisma client over the pg driver adapter). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  constructor(database: DatabasePool) {
    super({ adapter: new PrismaPg(database.pool, { disposeExternalPool: true }) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  // Last shutdown phase: consumers finish their transactions and the outbox relay flushes
  // (beforeApplicationShutdown) while the database is still there.
  async onApplicationShutdown(): Promise<void> {
    // A pool whose connections broke mid-transaction (database restarted) can wait forever
    // for them to be released; shutdown must not.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.$disconnect(), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
  }
}
