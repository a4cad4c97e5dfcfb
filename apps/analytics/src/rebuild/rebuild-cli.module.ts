import { Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { TypedConfigModule } from '@crm/config';
import { prismaTransactions } from '@crm/messaging';
import { AnalyticsCoreModule } from '../analytics.module';
import { AppConfig } from '../app.config';
import { DatabaseModule } from '../infrastructure/database/database.module';
import { PrismaService } from '../infrastructure/database/prisma.service';

/** Just the config (its database URL), the database and the projection: the CLI neither consumes nor serves the bus. */
@Module({
  imports: [
    TypedConfigModule.register(AppConfig),
    ClsModule.forRoot({ global: true, plugins: [prismaTransactions(PrismaService, [DatabaseModule])] }),
    DatabaseModule,
    AnalyticsCoreModule,
  ],
})
export class RebuildCliModule {}
