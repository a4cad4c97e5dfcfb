import { ImportCompaniesHandler } from './import-companies/import-companies.handler';
import { ImportCompaniesService } from './import-companies/import-companies.service';
import { ImportContactsHandler } from './import-contacts/import-contacts.handler';
import { ImportContactsService } from './import-contacts/import-contacts.service';
import { ImportCustomFields } from './import-custom-fields';
import { ImportInteractionsHandler } from './import-interactions/import-interactions.handler';
import { ImportInteractionsService } from './import-interactions/import-interactions.service';
import { ImportsRepository } from './imports.repository';

export const importProviders = [ImportsRepository, ImportCustomFields, ImportCompaniesService, ImportContactsService, ImportInteractionsService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const importControllers = [ImportCompaniesHandler, ImportContactsHandler, ImportInteractionsHandler];
