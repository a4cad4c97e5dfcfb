import { DynamicModule, Module } from '@nestjs/common';
import { TypedConfigModule } from '@crm/config';
import { ServiceCoreModule } from '@crm/service-kit';
import { activityControllers, activityProviders } from './activities/activities.providers';
import { AppConfig, SERVICE_NAME } from './app.config';
import { companyControllers, companyProviders } from './companies/companies.providers';
import { contactControllers, contactProviders } from './contacts/contacts.providers';
import { duplicateProviders } from './contacts/duplicates/duplicates.providers';
import { eraseContactControllers, eraseContactProviders } from './contacts/erase-contact/erase-contact.providers';
import { exportContactControllers, exportContactProviders } from './contacts/export-contact/export-contact.providers';
import { mergeContactsControllers, mergeContactsProviders } from './contacts/merge-contacts/merge-contacts.providers';
import { customFieldControllers, customFieldProviders } from './custom-fields/custom-fields.providers';
import { dataSubjectRequestControllers, dataSubjectRequestProviders } from './data-subject-requests/data-subject-requests.providers';
import { EchoHandler } from './diagnostics/echo/echo.handler';
import { externalRecordControllers, externalRecordProviders } from './external-records/external-records.providers';
import { importControllers, importProviders } from './imports/imports.providers';
import { DatabaseModule } from './infrastructure/database/database.module';
import { DatabasePool } from './infrastructure/database/database-pool';
import { JobsModule } from './infrastructure/jobs/jobs.module';
import { interactionControllers, interactionProviders } from './interactions/interactions.providers';
import { purgeProviders } from './purge/purge.providers';
import { CursorCodec } from './shared/cursor';

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
          databaseUrl: config.CONTACTS_DATABASE_URL,
        }),
        JobsModule,
      ],
      // One spread per feature area; add an area's controllers and providers with one line each here.
      controllers: [
        EchoHandler,
        ...customFieldControllers,
        ...companyControllers,
        ...contactControllers,
        ...mergeContactsControllers,
        ...exportContactControllers,
        ...eraseContactControllers,
        ...dataSubjectRequestControllers,
        ...interactionControllers,
        ...importControllers,
        ...activityControllers,
        ...externalRecordControllers,
      ],
      providers: [
        CursorCodec,
        ...customFieldProviders,
        ...companyProviders,
        ...contactProviders,
        ...duplicateProviders,
        ...mergeContactsProviders,
        ...exportContactProviders,
        ...eraseContactProviders,
        ...dataSubjectRequestProviders,
        ...interactionProviders,
        ...importProviders,
        ...purgeProviders,
        ...activityProviders,
        ...externalRecordProviders,
      ],
    };
  }
}
