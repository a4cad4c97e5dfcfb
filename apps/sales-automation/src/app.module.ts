import { DynamicModule, Module } from '@nestjs/common';
import { TypedConfigModule } from '@crm/config';
import { ServiceCoreModule } from '@crm/service-kit';
import { AppConfig, SERVICE_NAME } from './app.config';
import { DealsModule } from './deals/deals.module';
import { LeadsModule } from './leads/leads.module';
import { PipelinesModule } from './pipelines/pipelines.module';
import { OrdersModule } from './orders/orders.module';
import { ProductsModule } from './products/products.module';
import { EchoHandler } from './diagnostics/echo/echo.handler';
import { DatabaseModule } from './infrastructure/database/database.module';
import { DatabasePool } from './infrastructure/database/database-pool';
import { LocalCopiesModule } from './local-copies/local-copies.module';
import { TasksModule } from './tasks/tasks.module';
import { EmailModule } from './email/email.module';
import { AutomationPortsModule } from './automation-ports/automation-ports.module';
import { WorkflowRulesModule } from './workflow-rules/workflow-rules.module';
import { SequencesModule } from './sequences/sequences.module';
import { CampaignsModule } from './campaigns/campaigns.module';

@Module({})
export class AppModule {
  /** Built from the config main.ts has already validated, so every forRoot gets plain values. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypedConfigModule.register(AppConfig, { values: config }),
        ServiceCoreModule.forRoot({
          service: SERVICE_NAME,
          config,
          database: DatabaseModule,
          sqlTransactionsOn: DatabasePool,
          databaseUrl: config.SALES_AUTOMATION_DATABASE_URL,
        }),
        AutomationPortsModule,
        DealsModule,
        PipelinesModule,
        ProductsModule,
        OrdersModule,
        TasksModule,
        LocalCopiesModule,
        EmailModule,
        LeadsModule,
        WorkflowRulesModule,
        SequencesModule,
        CampaignsModule,
      ],
      controllers: [EchoHandler],
    };
  }
}
