import { Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { prismaTransactions } from '@crm/messaging';
import { AnalyticsCoreModule } from '../analytics.module';
import { DatabaseModule } from '../infrastructure/database/database.module';
import { PrismaService } from '../infrastructure/database/prisma.service';

/** Just the database and the projection: the CLI neither consumes nor serves the bus. */
@Module({
  imports: [ClsModule.forRoot({ global: true, plugins: [prismaTransactions(PrismaService, [DatabaseModule])] }), DatabaseModule, AnalyticsCoreModule],
})
export class RebuildCliModule {}
