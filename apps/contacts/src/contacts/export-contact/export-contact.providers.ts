import { ExportContactHandler } from './export-contact.handler';
import { ExportContactService } from './export-contact.service';

export const exportContactProviders = [ExportContactHandler, ExportContactService];
