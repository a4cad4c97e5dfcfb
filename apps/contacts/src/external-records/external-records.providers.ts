import { DeleteCompaniesExternalHandler } from './delete-companies-external/delete-companies-external.handler';
import { DeleteCompaniesExternalService } from './delete-companies-external/delete-companies-external.service';
import { DeleteContactsExternalHandler } from './delete-contacts-external/delete-contacts-external.handler';
import { DeleteContactsExternalService } from './delete-contacts-external/delete-contacts-external.service';
import { ExternalCustomFields } from './external-items';
import { ExternalRecordsRepository } from './external-records.repository';
import { GetCompanyExternalHandler } from './get-company-external/get-company-external.handler';
import { GetContactExternalHandler } from './get-contact-external/get-contact-external.handler';
import { ResolveContactExternalHandler } from './resolve-contact-external/resolve-contact-external.handler';
import { UpsertCompaniesExternalHandler } from './upsert-companies-external/upsert-companies-external.handler';
import { UpsertCompaniesExternalService } from './upsert-companies-external/upsert-companies-external.service';
import { UpsertContactsExternalHandler } from './upsert-contacts-external/upsert-contacts-external.handler';
import { UpsertContactsExternalService } from './upsert-contacts-external/upsert-contacts-external.service';

export const externalRecordProviders = [
  ExternalRecordsRepository,
  ExternalCustomFields,
  UpsertContactsExternalService,
  DeleteContactsExternalService,
  UpsertCompaniesExternalService,
  DeleteCompaniesExternalService,
];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const externalRecordControllers = [
  UpsertContactsExternalHandler,
  DeleteContactsExternalHandler,
  GetContactExternalHandler,
  ResolveContactExternalHandler,
  UpsertCompaniesExternalHandler,
  DeleteCompaniesExternalHandler,
  GetCompanyExternalHandler,
];
