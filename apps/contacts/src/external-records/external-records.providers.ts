import { DeleteExternalHandler } from './delete-external/delete-external.handler';
import { DeleteExternalService } from './delete-external/delete-external.service';
import { ExternalRefRepository } from './external-ref.repository';
import { LookupExternalHandler } from './lookup-external/lookup-external.handler';
import { UpsertCompaniesExternalHandler } from './upsert-companies-external/upsert-companies-external.handler';
import { UpsertCompaniesExternalService } from './upsert-companies-external/upsert-companies-external.service';
import { UpsertContactsExternalHandler } from './upsert-contacts-external/upsert-contacts-external.handler';
import { UpsertContactsExternalService } from './upsert-contacts-external/upsert-contacts-external.service';

/** Contacts and companies keyed by an outside system's ids (ERP upserts through the integration gateway). */
export const externalRecordProviders = [ExternalRefRepository, UpsertContactsExternalService, UpsertCompaniesExternalService, DeleteExternalService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const externalRecordControllers = [UpsertContactsExternalHandler, UpsertCompaniesExternalHandler, DeleteExternalHandler, LookupExternalHandler];
