import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client';

export const DATABASE_URL_ENV = 'ANALYTICS_DATABASE_URL';
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/crm_analytics';

/** The analytics service's own database (Rust-free Prisma client over the pg driver adapter). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor() {
    const connectionString = process.env[DATABASE_URL_ENV] || DEFAULT_DATABASE_URL;
    super({ adapter: new PrismaPg({ connectionString }) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
