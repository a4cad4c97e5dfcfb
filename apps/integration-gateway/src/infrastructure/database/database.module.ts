import { Global, Module } from '@nestjs/common';
import { Database } from './database';
import { DatabasePool } from './database-pool';
import { PrismaService } from './prisma.service';

/** The service's database: Prisma Client for ordinary reads and writes, Database (Kysely) for the hot paths, on one pool. */
@Global()
@Module({
  providers: [DatabasePool, PrismaService, Database],
  exports: [DatabasePool, PrismaService, Database],
})
export class DatabaseModule {}
