import { Global, Module } from '@nestjs/common';
import { DatabasePool } from './database-pool';
import { PreparedStatements } from './prepared-statements';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [DatabasePool, PrismaService, PreparedStatements],
  exports: [PrismaService, PreparedStatements],
})
export class DatabaseModule {}
