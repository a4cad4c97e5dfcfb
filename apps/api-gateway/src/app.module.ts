import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypedConfigModule } from '@crm/config';
import { ServiceCoreModule } from '@crm/service-kit';
import { AnalyticsRoutesModule } from './analytics/analytics.module';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AuthModule } from './auth/auth.module';
import { AuthzModule } from './authz/authz.module';
import { CrmRecordsModule } from './crm-records/crm-records.module';
import { DiagnosticsModule } from './diagnostics/diagnostics.module';
import { EdgeModule } from './edge/edge.module';
import { IdempotencyModule } from './http/idempotency/idempotency.module';
import { ProblemDetailsFilter } from '@crm/service-kit';
import { GATEWAY_REDIS_SCRIPTS } from './http/rate-limit/admit-request.script';
import { RateLimitModule } from './http/rate-limit/rate-limit.module';
import { RedisAnswersModule } from './redis/redis-answers.module';
import { ImportsRoutesModule } from './imports/imports.module';
import { IntegrationsRoutesModule } from './integrations/integrations.module';
import { DatabaseModule } from './infrastructure/database/database.module';
import { DatabasePool } from './infrastructure/database/database-pool';
import { OperationsModule } from './operations/operations.module';
import { PlatformModule } from './platform/platform.module';
import { SalesDealsModule } from './sales/pipelines-and-deals/sales-deals.module';
import { SalesOrdersModule } from './sales/orders-and-products/sales-orders.module';
import { TasksRoutesModule } from './sales/tasks/tasks.module';
import { WorkflowRulesRoutesModule } from './sales/workflow-rules/workflow-rules.module';
import { SequencesRoutesModule } from './sales/sequences/sequences.module';
import { CampaignsRoutesModule } from './sales/campaigns/campaigns.module';
import { ChatModule } from './support/chat/chat.module';
import { TicketsRoutesModule } from './support/tickets/tickets.module';
import { EmailRoutesModule } from './sales/email/email.module';
import { IntegrationSyncRoutesModule } from './integration-sync/integration-sync.module';
import { SalesLeadsModule } from './sales/leads-and-forms/sales-leads.module';
import { UsersModule } from './users/users.module';

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
          gateway: true,
          config,
          database: DatabaseModule,
          sqlTransactionsOn: DatabasePool,
          redis: { url: config.REDIS_URL, scripts: GATEWAY_REDIS_SCRIPTS },
          databaseUrl: config.API_GATEWAY_DATABASE_URL,
        }),
        RedisAnswersModule,
        AuthModule,
        AuthzModule,
        // After AuthzModule: its guard needs the caller; the interceptor scopes keys by the caller.
        RateLimitModule,
        IdempotencyModule,
        UsersModule,
        EdgeModule,
        DiagnosticsModule,
        OperationsModule,
        PlatformModule,
        CrmRecordsModule,
        AnalyticsRoutesModule,
        SalesDealsModule,
        SalesOrdersModule,
        SalesLeadsModule,
        ImportsRoutesModule,
        TasksRoutesModule,
        WorkflowRulesRoutesModule,
        SequencesRoutesModule,
        CampaignsRoutesModule,
        TicketsRoutesModule,
        ChatModule,
        EmailRoutesModule,
        IntegrationSyncRoutesModule,
        IntegrationsRoutesModule,
      ],
      // Every error at the HTTP edge leaves as application/problem+json.
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
