import { Global, Module } from '@nestjs/common';
import { Database } from './database';
import { DatabasePool } from './database-pool';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [DatabasePool, PrismaService, Database],
  exports: [DatabasePool, PrismaService, Database],
})
export class DatabaseModule {}
