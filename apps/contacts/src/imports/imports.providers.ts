import { ImportCompaniesHandler } from './import-companies/import-companies.handler';
import { ImportCompaniesService } from './import-companies/import-companies.service';
import { ImportContactsHandler } from './import-contacts/import-contacts.handler';
import { ImportContactsService } from './import-contacts/import-contacts.service';
import { ImportCustomFields } from './import-custom-fields';
import { ImportInteractionsHandler } from './import-interactions/import-interactions.handler';
import { ImportInteractionsService } from './import-interactions/import-interactions.service';
import { ImportsRepository } from './imports.repository';

export const importProviders = [
  ImportsRepository,
  ImportCustomFields,
  ImportCompaniesHandler,
  ImportCompaniesService,
  ImportContactsHandler,
  ImportContactsService,
  ImportInteractionsHandler,
  ImportInteractionsService,
];
