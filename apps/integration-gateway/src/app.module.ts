import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypedConfigModule } from '@crm/config';
import { ProblemDetailsFilter, ServiceCoreModule } from '@crm/service-kit';
import { ApiClientsModule } from './api-clients/api-clients.module';
import { AppConfig, SERVICE_NAME } from './app.config';
import { BulkJobsModule } from './bulk-jobs/bulk-jobs.module';
import { EchoHandler } from './diagnostics/echo/echo.handler';
import { ExportsModule } from './exports/exports.module';
import { ErpAuthModule } from './erp-auth/erp-auth.module';
import { DatabaseModule } from './infrastructure/database/database.module';
import { JobsModule } from './infrastructure/jobs/jobs.module';
import { DatabasePool } from './infrastructure/database/database-pool';
import { ProcessSyncModule } from './process-sync/process-sync.module';
import { SyncLogModule } from './sync-log/sync-log.module';
import { ContactLifecycleModule } from './contact-lifecycle/contact-lifecycle.module';
import { ChangesModule } from './changes/changes.module';
import { OAuthModule } from './oauth/oauth.module';
import { RecordsModule } from './records/records.module';

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
          databaseUrl: config.INTEGRATION_GATEWAY_DATABASE_URL,
        }),
        JobsModule,
        ErpAuthModule,
        // Features (one module each): api clients and the token endpoint, bulk jobs and upserts,
        // the change feed, webhooks, process sync and the sync log.
        SyncLogModule,
        ProcessSyncModule,
        ChangesModule,
        ContactLifecycleModule,
        BulkJobsModule,
        ExportsModule,
        ApiClientsModule,
        OAuthModule,
        RecordsModule,
      ],
      controllers: [EchoHandler],
      // Every HTTP error leaves as problem+json (the API gateway's filter, shared in @crm/service-kit).
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
