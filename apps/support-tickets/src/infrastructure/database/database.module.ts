import { Global, Module } from '@nestjs/common';
import { Database } from './database';
import { DatabasePool } from './database-pool';

/** The service's database: Database (Kysely) on its one pool; the service runs no Prisma client (its statements are all SQL). */
@Global()
@Module({
  providers: [DatabasePool, Database],
  exports: [DatabasePool, Database],
})
export class DatabaseModule {}
