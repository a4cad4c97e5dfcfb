import { Global, Module } from '@nestjs/common';
import { Database } from './database';
import { DatabasePool } from './database-pool';

/** The gateway's database: Database (Kysely) on its one pool; no Prisma client at run time. */
@Global()
@Module({
  providers: [DatabasePool, Database],
  exports: [DatabasePool, Database],
})
export class DatabaseModule {}
